package profile

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// The textual formats of a profile. Each pattern is also in
// templates/profile.schema.json ($defs); a test keeps them equal.
const (
	// namePattern: an XML local name (ASCII subset of NCName).
	namePattern = `^[A-Za-z_][A-Za-z0-9._-]*$`
	// fieldPathPattern: element names separated by "/", optionally
	// ending in an attribute "@name" (a request field a profile sets).
	fieldPathPattern = `^([A-Za-z_][A-Za-z0-9._-]*)(/[A-Za-z_][A-Za-z0-9._-]*)*(/@[A-Za-z_][A-Za-z0-9._-]*)?$`
	// pathPattern: one such path, or alternatives separated by "|", the
	// first that exists in the WSDL taking effect ("sessionIds | ArrayList":
	// Salesforce's Tooling WSDL names a list differently).
	pathPattern = `^([A-Za-z_][A-Za-z0-9._-]*)(/[A-Za-z_][A-Za-z0-9._-]*)*(/@[A-Za-z_][A-Za-z0-9._-]*)?( *\| *([A-Za-z_][A-Za-z0-9._-]*)(/[A-Za-z_][A-Za-z0-9._-]*)*(/@[A-Za-z_][A-Za-z0-9._-]*)?)*$`
	// durationPattern: a non-negative Go duration with units ("90s",
	// "1h30m", "0s").
	durationPattern = `^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$`
	// tokenPattern: an HTTP token (RFC 9110), for header and cookie names.
	tokenPattern = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"
	// namespacePattern: a namespace URI: not empty, no white space.
	namespacePattern = `^\S+$`
	// profileNamePattern: a profile name, used in store keys and logs.
	profileNamePattern = `^[a-z0-9][a-z0-9-]*$`
)

var (
	nameRE        = regexp.MustCompile(namePattern)
	pathRE        = regexp.MustCompile(pathPattern)
	fieldPathRE   = regexp.MustCompile(fieldPathPattern)
	durationRE    = regexp.MustCompile(durationPattern)
	tokenRE       = regexp.MustCompile(tokenPattern)
	namespaceRE   = regexp.MustCompile(namespacePattern)
	profileNameRE = regexp.MustCompile(profileNamePattern)
)

// scalar is implemented by the types the walker parses from a YAML string
// itself, so a bad value is reported with its key and position.
type scalar interface {
	parse(s string) error
}

// Path is a slash-separated path of XML local names below an element
// ("result/sessionId"); a last segment "@name" names an attribute.
// Alternatives ("sessionIds | ArrayList") are kept as one slice with a
// "|" segment between them; Alternatives splits them.
type Path []string

// altSep separates alternatives inside a Path.
const altSep = "|"

// String returns the path as written in a profile.
func (p Path) String() string {
	return strings.ReplaceAll(strings.Join(p, "/"), "/"+altSep+"/", " "+altSep+" ")
}

// Alternatives returns the paths to try in order; one for a plain path.
func (p Path) Alternatives() []Path {
	var out []Path
	start := 0
	for i, seg := range p {
		if seg == altSep {
			out = append(out, p[start:i])
			start = i + 1
		}
	}
	return append(out, p[start:])
}

// Attribute reports whether the path ends at an attribute, and its name.
func (p Path) Attribute() (string, bool) {
	if len(p) > 0 && strings.HasPrefix(p[len(p)-1], "@") {
		return p[len(p)-1][1:], true
	}
	return "", false
}

func (p *Path) parse(s string) error {
	if !pathRE.MatchString(s) {
		return fmt.Errorf("%q is not a path; write element names separated by \"/\", like result/sessionId (an attribute last, like _this/@type; alternatives separated by \"|\", like sessionIds | ArrayList)", s)
	}
	var out Path
	for i, alt := range strings.Split(s, altSep) {
		if i > 0 {
			out = append(out, altSep)
		}
		out = append(out, strings.Split(strings.TrimSpace(alt), "/")...)
	}
	*p = out
	return nil
}

// parseField reads a request field path, which has no alternatives: a
// fixed value is written to one field.
func (p *Path) parseField(s string) error {
	if !fieldPathRE.MatchString(s) {
		return fmt.Errorf("%q is not a request field path; write element names separated by \"/\", like credentials/mode (an attribute last, like credentials/@version)", s)
	}
	*p = strings.Split(s, "/")
	return nil
}

// UnmarshalYAML reads a path from a YAML string.
func (p *Path) UnmarshalYAML(n *yaml.Node) error { return p.parse(n.Value) }

// MarshalYAML writes the path as a YAML string.
func (p Path) MarshalYAML() (any, error) { return p.String(), nil }

// Duration is a non-negative Go duration written with units ("2h", "90s").
type Duration time.Duration

// String formats the duration as Go does.
func (d Duration) String() string { return time.Duration(d).String() }

func (d *Duration) parse(s string) error {
	if !durationRE.MatchString(s) {
		return fmt.Errorf("%q is not a duration; write a number with a unit (ns, us, ms, s, m, h), like 90s or 1h30m", s)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is out of range; the largest duration is about 2562047h", s)
	}
	*d = Duration(v)
	return nil
}

// UnmarshalYAML reads a duration from a YAML string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error { return d.parse(n.Value) }

// MarshalYAML writes the duration as a YAML string.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// Field is a request field set to a fixed value.
type Field struct {
	Path  Path
	Value string
}

// Fields is a YAML mapping from request path to fixed text, in file order
// (so generated code does not depend on map order).
type Fields []Field

// UnmarshalYAML reads the mapping in order. The walker has checked its
// shape already; this only converts.
func (f *Fields) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: want a mapping of path: value", n.Line)
	}
	out := make(Fields, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		var p Path
		if err := p.parseField(n.Content[i].Value); err != nil {
			return err
		}
		out = append(out, Field{Path: p, Value: n.Content[i+1].Value})
	}
	*f = out
	return nil
}

// MarshalYAML writes the fields as a mapping in order.
func (f Fields) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, fl := range f {
		n.Content = append(n.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: fl.Path.String()},
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: fl.Value})
	}
	return n, nil
}
