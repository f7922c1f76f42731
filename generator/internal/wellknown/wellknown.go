package wellknown

import (
	"bytes"
	"embed"
	"slices"
	"strings"
	"sync"
)

//go:embed schemas/*.xsd schemas/*.wsdl
var files embed.FS

// index maps normalized locations and namespaces to entries of schemas.
// It is built once; the table is static.
var index = sync.OnceValue(func() struct {
	byLocation  map[string]*schema
	byNamespace map[string]*schema
} {
	loc := make(map[string]*schema)
	ns := make(map[string]*schema)
	for i := range schemas {
		s := &schemas[i]
		for _, l := range s.locations {
			loc[normalize(l)] = s
		}
		if !s.wsdl {
			ns[normalize(s.namespace)] = s
		}
	}
	return struct {
		byLocation  map[string]*schema
		byNamespace map[string]*schema
	}{loc, ns}
})

// Lookup returns the embedded schema for an import or include location such
// as "http://www.w3.org/2001/xml.xsd". The scheme (http or https), the case
// of the host, surrounding spaces, a trailing slash and a trailing '#' do not
// matter. Relative paths and unknown URLs report ok == false. The returned
// slice is a fresh copy the caller may keep or modify.
func Lookup(location string) (data []byte, ok bool) {
	s, ok := index().byLocation[normalize(location)]
	if !ok {
		return nil, false
	}
	return read(s), true
}

// ByNamespace returns the embedded schema whose targetNamespace is ns, for an
// xsd:import that names a namespace and no schemaLocation. Namespaces are
// matched after the same normalization as Lookup, so the SOAP encoding
// namespace matches with or without its trailing slash.
func ByNamespace(ns string) (data []byte, ok bool) {
	s, ok := index().byNamespace[normalize(ns)]
	if !ok {
		return nil, false
	}
	return read(s), true
}

// Namespace reports the targetNamespace of the embedded schema known under
// location, so a loader can tell which namespace an import brings in without
// parsing it.
func Namespace(location string) (ns string, ok bool) {
	s, ok := index().byLocation[normalize(location)]
	if !ok {
		return "", false
	}
	return s.namespace, true
}

// IsXMLSchema reports whether ns is the XML Schema namespace, whose embedded
// copy is an empty marker: its types are the generator's built-ins.
func IsXMLSchema(ns string) bool {
	return normalize(ns) == normalize(XMLSchemaNamespace)
}

// Locations returns every known location, canonical spellings as listed in
// the table (http, no folding), sorted and without duplicates.
func Locations() []string {
	var out []string
	for _, s := range schemas {
		out = append(out, s.locations...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Namespaces returns the targetNamespace of every embedded schema, sorted.
func Namespaces() []string {
	out := make([]string, 0, len(schemas))
	for _, s := range schemas {
		out = append(out, s.namespace)
	}
	slices.Sort(out)
	return out
}

func read(s *schema) []byte {
	b, err := files.ReadFile("schemas/" + s.file)
	if err != nil {
		// The table and the embedded directory are checked against each
		// other by the tests; a miss here is a build defect, not bad input.
		panic("wellknown: table names missing file " + s.file)
	}
	return bytes.Clone(b)
}

// normalize folds the spellings under which one URL or namespace appears:
// surrounding spaces, http vs https, host case, and a trailing '/' or '#'.
// Paths keep their case: w3.org serves XMLSchema.xsd, not xmlschema.xsd.
func normalize(u string) string {
	u = strings.TrimSpace(u)
	lower := strings.ToLower(u)
	switch {
	case strings.HasPrefix(lower, "https://"):
		u = u[len("https://"):]
	case strings.HasPrefix(lower, "http://"):
		u = u[len("http://"):]
	default:
		// Not a URL (a relative path, a urn:): only exact matches make sense.
		return strings.TrimRight(u, "/#")
	}
	host, path, _ := strings.Cut(u, "/")
	return strings.ToLower(host) + "/" + strings.TrimRight(path, "/#")
}
