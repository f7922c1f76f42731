package profile

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/wsdlsess/wsdlsess/templates"
)

// Builtin is a built-in profile's name and one-line summary, for
// `wsdlsess profiles`.
type Builtin struct {
	Name    string
	Summary string
	// Extends is the profile this built-in extends, "" for none.
	Extends string
}

// builtinNames lists the embedded profiles, sorted.
func builtinNames() []string {
	entries, err := fs.Glob(templates.FS, "*.yaml")
	if err != nil {
		return nil // the pattern is constant and valid
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e, ".yaml"))
	}
	sort.Strings(names)
	return names
}

// Builtins lists the built-in profiles, sorted by name.
func Builtins() []Builtin {
	var out []Builtin
	for _, name := range builtinNames() {
		b := Builtin{Name: name, Extends: Extends(name)}
		src, _ := BuiltinSource(name)
		if p, err := Parse(name+".yaml", src); err == nil {
			b.Summary = p.Summary
		} else {
			// Tests keep every built-in valid; say so rather than hide it.
			b.Summary = "(invalid built-in: " + err.Error() + ")"
		}
		out = append(out, b)
	}
	return out
}

// BuiltinSource returns the YAML text of the built-in profile name, with
// its comments, to print for copying (`wsdlsess profiles NAME`).
func BuiltinSource(name string) ([]byte, bool) {
	if !profileNameRE.MatchString(name) {
		return nil, false
	}
	b, err := templates.FS.ReadFile(name + ".yaml")
	if err != nil {
		return nil, false
	}
	return b, true
}

// Load reads a profile by built-in name ("salesforce") or file path. A
// plain name (no "/" and no .yaml or .yml extension) is a built-in; anything
// else is a file, so a local file always needs a path such as
// ./salesforce.yaml.
func Load(nameOrPath string) (*Profile, error) {
	if isBuiltinName(nameOrPath) {
		src, ok := BuiltinSource(nameOrPath)
		if !ok {
			return nil, Errors{{File: nameOrPath, Msg: unknownBuiltin(nameOrPath)}}
		}
		return Parse(nameOrPath+".yaml", src)
	}
	data, err := os.ReadFile(nameOrPath)
	if err != nil {
		msg := fmt.Sprintf("cannot read the profile: %v", unwrapPath(err))
		if fi, serr := os.Stat(nameOrPath); serr == nil && fi.IsDir() {
			msg = "is a directory, not a profile file"
		}
		return nil, Errors{{File: nameOrPath, Msg: msg + " (fix: pass a built-in profile name, listed by wsdlsess profiles, or the path of a profile .yaml file)"}}
	}
	return Parse(nameOrPath, data)
}

// unknownBuiltin says that name is no built-in, and what is.
func unknownBuiltin(name string) string {
	names := builtinNames()
	msg := fmt.Sprintf("no built-in profile %q", name)
	if s, ok := DidYouMean(name, names); ok {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return fmt.Sprintf("%s (built-ins: %s; a file needs a path ending in .yaml)", msg, strings.Join(names, ", "))
}

func isBuiltinName(s string) bool {
	ext := path.Ext(s)
	return !strings.ContainsAny(s, `/\`) && ext != ".yaml" && ext != ".yml"
}

// unwrapPath drops the file name an *fs.PathError repeats, since the
// message already starts with it.
func unwrapPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// Schema returns the JSON Schema of the profile format
// (templates/profile.schema.json), for a CLI that prints it for editors.
func Schema() []byte {
	b, _ := templates.FS.ReadFile(templates.SchemaFile) // embedded: cannot fail
	return b
}
