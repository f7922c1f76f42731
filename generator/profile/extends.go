package profile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A profile may extend another (extends: cookie, or extends: ./base.yaml)
// and write only what differs. The files are merged as YAML before any
// check runs, so Parse validates, and the binder binds, the merged result.
// The merge rules, also in templates/profile.schema.json and
// templates/README.md:
//
//   - a mapping merges key by key: a key the extending file gives replaces
//     the base's value of that key, recursively for nested mappings
//     (limits, login.operation, logout, a set);
//   - a list (tokens, send, constant, gone) or a scalar replaces the
//     base's whole value: lists are ordered rules, and half of one list
//     spliced into another is never what was meant;
//   - login holds alternatives (operation, headers, wssecurity, http,
//     borrowed): an extending file that gives one the base does not use
//     replaces the base's, so oauth2 over basic needs no removal;
//   - key: null (or key: ~, or key: with nothing after it) removes the
//     base's key; removing a key the base does not set is an error;
//   - version is inherited; name must be given, since sessions are stored
//     and logged under it.
//
// Every key keeps the file and line that set it, so a message about the
// merged profile points at the file to edit.

// maxExtends bounds a chain of extends; real ones are one or two long.
const maxExtends = 8

// loginAlternatives are the keys of login, of which one is used.
var loginAlternatives = map[string]bool{"operation": true, "headers": true, "wssecurity": true, "http": true, "borrowed": true}

// layer is one file of a chain, read but not yet checked.
type layer struct {
	file string
	// id identifies the file for cycle detection: "builtin:cookie" or an
	// absolute path.
	id   string
	root *yaml.Node
	// base is the extends value as written; extendsPos where.
	base       string
	extendsPos Pos
}

// merger holds the state of one Parse: where each node came from, the
// removed keys and the problems found while chaining and merging.
type merger struct {
	origin  map[*yaml.Node]string
	removed map[string]Pos
	// removedIn: the file of each removed key.
	removedIn map[string]string
	errs      Errors
}

func (m *merger) errorf(file string, pos Pos, key, format string, args ...any) {
	m.errs = append(m.errs, &Error{File: file, Pos: pos, Key: key, Msg: fmt.Sprintf(format, args...)})
}

// mark records file as the origin of n and everything below it.
func (m *merger) mark(n *yaml.Node, file string) {
	m.origin[n] = file
	for _, c := range n.Content {
		m.mark(c, file)
	}
}

// takeExtends removes the top-level extends key from l.root and records
// its value.
func (m *merger) takeExtends(l *layer) {
	r := l.root
	for i := 0; i+1 < len(r.Content); i += 2 {
		k, v := r.Content[i], r.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Value != "extends" {
			continue
		}
		r.Content = append(r.Content[:i:i], r.Content[i+2:]...)
		l.extendsPos = Pos{k.Line, k.Column}
		if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" || v.Value == "" {
			m.errorf(l.file, Pos{v.Line, v.Column}, "extends", "want a built-in profile name (like cookie) or the path of a profile file relative to this one (like ./base.yaml), got %s", got(v))
			return
		}
		l.base = v.Value
		return
	}
}

// chain reads the bases of top, nearest first, and returns the merged
// root. read parses one file's YAML into its root mapping.
func (m *merger) chain(top *layer, read func(file string, data []byte) (*yaml.Node, error)) (*yaml.Node, []string, error) {
	top.id = fileID(top.file)
	layers := []*layer{top}
	m.mark(top.root, top.file)
	m.takeExtends(top)
	var bases []string
	for l := top; l.base != ""; {
		if len(layers) > maxExtends {
			m.errorf(l.file, l.extendsPos, "extends", "the chain of extends is longer than %d profiles; extend a complete profile instead", maxExtends)
			return nil, nil, m.errs
		}
		next, err := m.open(l, read)
		if err != nil {
			return nil, nil, err
		}
		if next == nil {
			return nil, nil, m.errs
		}
		for _, seen := range layers {
			if seen.id == next.id {
				var names []string
				for _, x := range layers {
					names = append(names, x.file)
				}
				m.errorf(l.file, l.extendsPos, "extends", "a cycle: %s -> %s; a profile cannot extend itself, remove one of the extends", strings.Join(names, " -> "), next.file)
				return nil, nil, m.errs
			}
		}
		m.mark(next.root, next.file)
		m.takeExtends(next)
		if len(m.errs) > 0 {
			return nil, nil, m.errs
		}
		layers = append(layers, next)
		bases = append(bases, l.base)
		l = next
	}
	if len(m.errs) > 0 {
		return nil, nil, m.errs
	}
	merged := layers[len(layers)-1].root
	for i := len(layers) - 2; i >= 0; i-- {
		m.merge(merged, layers[i].root, "", layers[i+1], layers[i])
	}
	if len(layers) > 1 && !hasKey(top.root, "name") {
		m.errorf(top.file, top.extendsPos, "name", "missing; a profile that extends %s needs a name of its own (like %s-custom): sessions are logged and stored under it", top.base, baseName(top.base))
	}
	if len(m.errs) > 0 {
		return nil, nil, m.errs.sorted()
	}
	return merged, bases, nil
}

// open reads the base that l extends. A nil layer with a nil error means
// the problem is in m.errs.
func (m *merger) open(l *layer, read func(string, []byte) (*yaml.Node, error)) (*layer, error) {
	if isBuiltinName(l.base) {
		src, ok := BuiltinSource(l.base)
		if !ok {
			m.errorf(l.file, l.extendsPos, "extends", "%s", unknownBuiltin(l.base))
			return nil, nil
		}
		file := l.base + ".yaml"
		root, err := read(file, src)
		if err != nil {
			return nil, err
		}
		return &layer{file: file, id: "builtin:" + l.base, root: root}, nil
	}
	file := l.base
	if !filepath.IsAbs(file) {
		file = filepath.Join(filepath.Dir(l.file), file)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		m.errorf(l.file, l.extendsPos, "extends", "cannot read the base profile %s: %v", file, unwrapPath(err))
		return nil, nil
	}
	root, err := read(file, data)
	if err != nil {
		return nil, err
	}
	return &layer{file: file, id: fileID(file), root: root}, nil
}

// fileID identifies a file however the chain names it.
func fileID(file string) string {
	if abs, err := filepath.Abs(file); err == nil {
		return abs
	}
	return file
}

// merge applies the mapping over onto base in place; key is the key path
// of both. from and to name the base and the extending layer in messages.
func (m *merger) merge(base, over *yaml.Node, key string, from, to *layer) {
	if key == "login" {
		m.dropOtherAlternatives(base, over)
	}
	for i := 0; i+1 < len(over.Content); i += 2 {
		kn, vn := over.Content[i], over.Content[i+1]
		if kn.Kind != yaml.ScalarNode {
			// Not a name: appended as is, so the walker reports it.
			base.Content = append(base.Content, kn, vn)
			continue
		}
		k := joinKey(key, kn.Value)
		j := indexOfKey(base, kn.Value)
		if isNull(vn) {
			if j < 0 {
				m.errorf(to.file, Pos{kn.Line, kn.Column}, k, "null removes a key of the base, but %s does not set %s; remove this line", from.file, k)
				continue
			}
			base.Content = append(base.Content[:j:j], base.Content[j+2:]...)
			m.removed[k] = Pos{kn.Line, kn.Column}
			m.removedIn[k] = to.file
			continue
		}
		switch {
		case j < 0:
			base.Content = append(base.Content, kn, vn)
		case base.Content[j+1].Kind == yaml.MappingNode && vn.Kind == yaml.MappingNode:
			// The key now stands where the extending file wrote it.
			base.Content[j] = kn
			m.merge(base.Content[j+1], vn, k, from, to)
		default:
			base.Content[j], base.Content[j+1] = kn, vn
		}
	}
}

// dropOtherAlternatives removes from base's login the alternatives that
// over's login does not use when over gives one.
func (m *merger) dropOtherAlternatives(base, over *yaml.Node) {
	if base.Kind != yaml.MappingNode || over.Kind != yaml.MappingNode {
		return
	}
	gives := map[string]bool{}
	for i := 0; i+1 < len(over.Content); i += 2 {
		if k := over.Content[i].Value; loginAlternatives[k] && !isNull(over.Content[i+1]) {
			gives[k] = true
		}
	}
	if len(gives) == 0 {
		return
	}
	kept := base.Content[:0:0]
	for i := 0; i+1 < len(base.Content); i += 2 {
		if k := base.Content[i].Value; loginAlternatives[k] && !gives[k] {
			continue
		}
		kept = append(kept, base.Content[i], base.Content[i+1])
	}
	base.Content = kept
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func indexOfKey(n *yaml.Node, key string) int {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return i
		}
	}
	return -1
}

func hasKey(n *yaml.Node, key string) bool { return indexOfKey(n, key) >= 0 }

// baseName is the profile name a base reference suggests ("cookie" for
// cookie and ./cookie.yaml).
func baseName(ref string) string {
	return strings.TrimSuffix(strings.TrimSuffix(filepath.Base(ref), ".yaml"), ".yml")
}

// Bases returns the chain of profiles p extends, nearest first, as written
// in their extends keys; nil when p extends nothing.
func (p *Profile) Bases() []string { return p.bases }

// Extends returns what the built-in profile name extends, "" when it
// extends nothing (or is not a built-in): for `wsdlsess profiles NAME`,
// which prints a built-in's own file and should say what it inherits.
func Extends(name string) string {
	src, ok := BuiltinSource(name)
	if !ok {
		return ""
	}
	return ExtendsOf(src)
}

// ExtendsOf returns the extends value of a profile's YAML text, "" when it
// has none or the text is not a profile.
func ExtendsOf(data []byte) string {
	var doc struct {
		Extends any `yaml:"extends"`
	}
	if yaml.Unmarshal(data, &doc) != nil {
		return ""
	}
	s, _ := doc.Extends.(string)
	return s
}
