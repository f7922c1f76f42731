package profile

import (
	"fmt"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// walker checks a YAML node tree against the Go types of Profile before any
// value is decoded, so every problem is reported with its file, line, key
// path and fix (and all of them at once, not just the first). On the way it
// records the position of every key for later messages. The yaml tags of
// the Profile types are the single source of the key names; the strict
// yaml decoder that runs afterwards reads the same tags.
type walker struct {
	file string
	// origin is the file each node comes from (a profile that extends
	// another is walked merged); a node not in it is from file.
	origin map[*yaml.Node]string
	pos    map[string]Pos
	// files is the file of each key in pos.
	files map[string]string
	errs  Errors
	// values are problems with a value that still decodes (a word that
	// is not one of a key's values): reported with the binding's
	// problems, in one pass, instead of hiding them.
	values Errors
}

func (w *walker) fileOf(n *yaml.Node) string {
	if f, ok := w.origin[n]; ok {
		return f
	}
	return w.file
}

var (
	pathType     = reflect.TypeFor[Path]()
	durationType = reflect.TypeFor[Duration]()
	fieldsType   = reflect.TypeFor[Fields]()
	scalarType   = reflect.TypeFor[scalar]()
	enumType     = reflect.TypeFor[enum]()
)

func (w *walker) errorf(n *yaml.Node, key, format string, args ...any) {
	w.errs = append(w.errs, &Error{File: w.fileOf(n), Pos: Pos{n.Line, n.Column}, Key: key, Msg: fmt.Sprintf(format, args...)})
}

func joinKey(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// walk checks node n against type t at key path key.
func (w *walker) walk(n *yaml.Node, t reflect.Type, key string, allowEmpty bool) {
	if n.Kind == yaml.AliasNode {
		w.errorf(n, key, "YAML aliases (*%s) are not supported in a profile; write the value out", n.Value)
		return
	}
	if tag := n.ShortTag(); !strings.HasPrefix(tag, "!!") {
		w.errorf(n, key, "YAML tag %s is not supported in a profile; remove it", tag)
		return
	}
	if n.ShortTag() == "!!null" {
		w.errorf(n, key, "no value; give %s or remove the key", describe(t))
		return
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == fieldsType:
		w.walkFields(n, key)
		return
	case reflect.PointerTo(t).Implements(scalarType):
		if !w.wantTag(n, t, key, "!!str") {
			return
		}
		if err := reflect.New(t).Interface().(scalar).parse(n.Value); err != nil {
			w.errorf(n, key, "%v", err)
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		w.walkStruct(n, t, key)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			w.errorf(n, key, "want %s, got %s", describe(t), got(n))
			return
		}
		if len(n.Content) == 0 {
			w.errorf(n, key, "empty list; give at least one entry or remove the key")
			return
		}
		for i, item := range n.Content {
			k := fmt.Sprintf("%s[%d]", key, i)
			w.pos[k] = Pos{item.Line, item.Column}
			w.files[k] = w.fileOf(item)
			w.walk(item, t.Elem(), k, false)
		}
	case reflect.String:
		if !w.wantTag(n, t, key, "!!str") {
			return
		}
		if n.Value == "" && !allowEmpty {
			w.errorf(n, key, "empty; give a value or remove the key")
			return
		}
		if t.Implements(enumType) {
			w.checkEnum(n, reflect.Zero(t).Interface().(enum).values(), key)
		}
	case reflect.Int:
		if !w.wantTag(n, t, key, "!!int") {
			return
		}
		var v int
		if err := n.Decode(&v); err != nil {
			w.errorf(n, key, "%s is not an integer in range", n.Value)
		}
	case reflect.Bool:
		w.wantTag(n, t, key, "!!bool")
	default:
		// Only reachable if a Profile type gains a field kind this walker
		// does not know; the tests walk every type.
		w.errorf(n, key, "internal: no check for Go type %s", t)
	}
}

// wantTag reports whether n is a scalar with the YAML tag tag, recording an
// error that names the expected type when it is not.
func (w *walker) wantTag(n *yaml.Node, t reflect.Type, key, tag string) bool {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == tag {
		return true
	}
	if n.Kind == yaml.ScalarNode && tag == "!!str" && t.Kind() == reflect.String && !t.Implements(enumType) {
		// YAML reads true, 12 and 1.5 as non-strings: the classic trap.
		w.errorf(n, key, "want %s, got %s; quote it: %q", describe(t), got(n), n.Value)
		return false
	}
	w.errorf(n, key, "want %s, got %s", describe(t), got(n))
	return false
}

func (w *walker) checkEnum(n *yaml.Node, values []string, key string) {
	for _, v := range values {
		if n.Value == v {
			return
		}
	}
	msg := fmt.Sprintf("%q is not one of %s", n.Value, strings.Join(values, ", "))
	if s, ok := DidYouMean(n.Value, values); ok {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	w.values = append(w.values, &Error{File: w.fileOf(n), Pos: Pos{n.Line, n.Column}, Key: key, Msg: msg})
}

// walkStruct checks a mapping against the yaml-tagged fields of t.
func (w *walker) walkStruct(n *yaml.Node, t reflect.Type, key string) {
	if n.Kind != yaml.MappingNode {
		w.errorf(n, key, "want %s, got %s", describe(t), got(n))
		return
	}
	fields := yamlFields(t)
	names := make([]string, 0, len(fields)+1)
	if key == "" {
		// Read and removed before the walk (extends.go), so a second
		// one, or a misspelt one, is all the walker can see.
		names = append(names, "extends")
	}
	for _, f := range fields {
		names = append(names, f.name)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		if kn.Kind != yaml.ScalarNode || kn.ShortTag() != "!!str" {
			w.errorf(kn, key, "a key must be a name, got %s; valid keys here: %s", got(kn), strings.Join(names, ", "))
			continue
		}
		k := joinKey(key, kn.Value)
		if key == "" && kn.Value == "extends" {
			w.errorf(kn, "extends", "given twice; a profile extends one other, keep one")
			continue
		}
		var field *yamlField
		for j := range fields {
			if fields[j].name == kn.Value {
				field = &fields[j]
			}
		}
		if field == nil {
			msg := fmt.Sprintf("unknown key %q", kn.Value)
			if s, ok := DidYouMean(kn.Value, names); ok {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			where := "here"
			if key != "" {
				where = "in " + key
			}
			w.errorf(kn, key, "%s (valid keys %s: %s)", msg, where, strings.Join(names, ", "))
			continue
		}
		if seen[kn.Value] {
			w.errorf(kn, k, "given twice (first at line %d); keep one", w.pos[k].Line)
			continue
		}
		seen[kn.Value] = true
		w.pos[k] = Pos{kn.Line, kn.Column}
		w.files[k] = w.fileOf(kn)
		w.walk(vn, field.typ, k, field.allowEmpty)
	}
}

// walkFields checks a "set" mapping of request path to fixed text.
func (w *walker) walkFields(n *yaml.Node, key string) {
	if n.Kind != yaml.MappingNode {
		w.errorf(n, key, "want a mapping of request path to value (like _this: SessionManager), got %s", got(n))
		return
	}
	if len(n.Content) == 0 {
		w.errorf(n, key, "empty mapping; give at least one path: value or remove the key")
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		if kn.Kind != yaml.ScalarNode || kn.ShortTag() != "!!str" {
			w.errorf(kn, key, "a key must be a request path, got %s", got(kn))
			continue
		}
		k := joinKey(key, kn.Value)
		var p Path
		if err := p.parseField(kn.Value); err != nil {
			w.errorf(kn, k, "%v", err)
			continue
		}
		if line, dup := seen[kn.Value]; dup {
			w.errorf(kn, k, "given twice (first at line %d); keep one", line)
			continue
		}
		seen[kn.Value] = kn.Line
		w.pos[k] = Pos{kn.Line, kn.Column}
		w.files[k] = w.fileOf(kn)
		if vn.Kind == yaml.AliasNode {
			w.errorf(vn, k, "YAML aliases (*%s) are not supported in a profile; write the value out", vn.Value)
			continue
		}
		w.wantTag(vn, reflect.TypeFor[string](), k, "!!str")
	}
}

type yamlField struct {
	name string
	typ  reflect.Type
	// allowEmpty: the field's tag says `profile:"empty"`, so "" is a
	// meaningful value (a header prefix, a constant's text).
	allowEmpty bool
}

// yamlFields lists the yaml-tagged fields of struct type t in order.
func yamlFields(t reflect.Type) []yamlField {
	var out []yamlField
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		out = append(out, yamlField{name, f.Type, f.Tag.Get("profile") == "empty"})
	}
	return out
}

// describe names what a value of type t looks like in YAML.
func describe(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == pathType:
		return "a path (like result/sessionId)"
	case t == durationType:
		return "a duration (like 90s or 2h)"
	case t == fieldsType:
		return "a mapping of request path to value"
	case t.Implements(enumType):
		return "one of " + strings.Join(reflect.Zero(t).Interface().(enum).values(), ", ")
	}
	switch t.Kind() {
	case reflect.Struct:
		names := []string{}
		for _, f := range yamlFields(t) {
			names = append(names, f.name)
		}
		return "a mapping (keys: " + strings.Join(names, ", ") + ")"
	case reflect.Slice:
		return "a list"
	case reflect.String:
		return "a string"
	case reflect.Int:
		return "an integer"
	case reflect.Bool:
		return "true or false"
	}
	return t.String()
}

// got describes what a node holds, for "want X, got Y".
func got(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.ShortTag() {
	case "!!str":
		return fmt.Sprintf("the string %q", n.Value)
	case "!!int":
		return "the integer " + n.Value
	case "!!float":
		return "the number " + n.Value
	case "!!bool":
		return "the boolean " + n.Value
	case "!!null":
		return "nothing"
	}
	// A custom tag is user text (URI-decoded: "!%0A" is a newline), so it
	// is quoted like the value, keeping the message on one line.
	return fmt.Sprintf("a value tagged %q: %q", n.ShortTag(), n.Value)
}
