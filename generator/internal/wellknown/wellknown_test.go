package wellknown

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/hooklift/gowsdl"
)

// TestTableMatchesFiles fails when a file is embedded but unlisted (dead
// weight no lookup can reach) or listed but missing (read would panic).
func TestTableMatchesFiles(t *testing.T) {
	entries, err := fs.ReadDir(files, "schemas")
	if err != nil {
		t.Fatal(err)
	}
	var embedded, listed []string
	for _, e := range entries {
		embedded = append(embedded, e.Name())
	}
	for _, s := range schemas {
		listed = append(listed, s.file)
	}
	slices.Sort(listed)
	if !slices.Equal(embedded, listed) {
		t.Fatalf("embedded files %v, table lists %v", embedded, listed)
	}
}

// TestSchemasParse decodes every schema with encoding/xml and with gowsdl's
// XSDSchema, the parse model the loader uses, and checks the targetNamespace
// and the header comment that marks the file as a reduced copy.
func TestSchemasParse(t *testing.T) {
	for _, s := range schemas {
		t.Run(s.file, func(t *testing.T) {
			data, ok := Lookup(s.locations[0])
			if !ok {
				t.Fatalf("Lookup(%q) = not found", s.locations[0])
			}
			d := xml.NewDecoder(bytes.NewReader(data))
			for {
				_, err := d.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("not well-formed XML: %v", err)
				}
			}
			if s.wsdl {
				var w gowsdl.WSDL
				if err := xml.Unmarshal(data, &w); err != nil {
					t.Fatalf("gowsdl.WSDL: %v", err)
				}
				if w.TargetNamespace != s.namespace {
					t.Errorf("targetNamespace %q, table says %q", w.TargetNamespace, s.namespace)
				}
				if _, ok := ByNamespace(s.namespace); ok {
					t.Errorf("ByNamespace(%q) returns a WSDL", s.namespace)
				}
				return
			}
			var x gowsdl.XSDSchema
			if err := xml.Unmarshal(data, &x); err != nil {
				t.Fatalf("gowsdl.XSDSchema: %v", err)
			}
			if x.XMLName.Space != XMLSchemaNamespace || x.XMLName.Local != "schema" {
				t.Errorf("root element is %v, want {%s}schema", x.XMLName, XMLSchemaNamespace)
			}
			if x.TargetNamespace != s.namespace {
				t.Errorf("targetNamespace %q, table says %q", x.TargetNamespace, s.namespace)
			}
			header := strings.Join(strings.Fields(string(data[:min(len(data), 600)])), " ")
			if !strings.Contains(header, "Reduced copy") || !strings.Contains(header, "for offline resolution") {
				t.Errorf("header comment must say it is a reduced copy for offline resolution")
			}
		})
	}
}

// TestLookupAliases resolves every listed location and the spellings
// normalize folds, and checks each lands on the right schema.
func TestLookupAliases(t *testing.T) {
	for _, s := range schemas {
		want := mustRead(t, s.file)
		for _, loc := range s.locations {
			variants := []string{
				loc,
				strings.Replace(loc, "http://", "https://", 1),
				strings.Replace(loc, "http://", "HTTP://", 1),
				"  " + loc + "\n",
				strings.TrimRight(loc, "/") + "/",
			}
			if host, _, ok := strings.Cut(strings.TrimPrefix(loc, "http://"), "/"); ok {
				variants = append(variants, strings.Replace(loc, host, strings.ToUpper(host), 1))
			}
			for _, v := range variants {
				got, ok := Lookup(v)
				if !ok {
					t.Errorf("Lookup(%q) = not found, want %s", v, s.file)
					continue
				}
				if !bytes.Equal(got, want) {
					t.Errorf("Lookup(%q) returned another schema than %s", v, s.file)
				}
			}
			if ns, ok := Namespace(loc); !ok || ns != s.namespace {
				t.Errorf("Namespace(%q) = %q, %v; want %q", loc, ns, ok, s.namespace)
			}
		}
	}
}

func TestLookupUnknown(t *testing.T) {
	for _, loc := range []string{
		"",
		"xml.xsd",
		"./xml.xsd",
		"../common/xml.xsd",
		"http://www.w3.org/2001/XML.xsd", // paths keep their case
		"http://example.com/schemas/xml.xsd",
		"http://www.w3.org/2001/xml.xsd.bak",
		"ftp://www.w3.org/2001/xml.xsd",
		"urn:partner.soap.sforce.com",
		"http://www.w3.org/",
	} {
		if _, ok := Lookup(loc); ok {
			t.Errorf("Lookup(%q) found a schema, want none", loc)
		}
		if _, ok := Namespace(loc); ok {
			t.Errorf("Namespace(%q) found a schema, want none", loc)
		}
	}
}

func TestByNamespace(t *testing.T) {
	for _, s := range schemas {
		if s.wsdl {
			continue // TestSchemasParse: never by namespace
		}
		want := mustRead(t, s.file)
		for _, ns := range []string{s.namespace, strings.TrimRight(s.namespace, "/#"), "https://" + strings.TrimPrefix(s.namespace, "http://")} {
			got, ok := ByNamespace(ns)
			if !ok || !bytes.Equal(got, want) {
				t.Errorf("ByNamespace(%q) = ok %v, want %s", ns, ok, s.file)
			}
		}
	}
	for _, ns := range []string{"", "urn:vim25", "http://schemas.xmlsoap.org/wsdl/soap/", "http://www.w3.org/2001/XMLSchema-instance"} {
		if _, ok := ByNamespace(ns); ok {
			t.Errorf("ByNamespace(%q) found a schema, want none", ns)
		}
	}
}

func TestIsXMLSchema(t *testing.T) {
	for ns, want := range map[string]bool{
		"http://www.w3.org/2001/XMLSchema":          true,
		"https://www.w3.org/2001/XMLSchema":         true,
		"http://www.w3.org/2001/XMLSchema-instance": false,
		"http://www.w3.org/XML/1998/namespace":      false,
	} {
		if got := IsXMLSchema(ns); got != want {
			t.Errorf("IsXMLSchema(%q) = %v, want %v", ns, got, want)
		}
	}
	// The marker must declare nothing: the built-ins come from the generator.
	data, _ := ByNamespace(XMLSchemaNamespace)
	var x gowsdl.XSDSchema
	if err := xml.Unmarshal(data, &x); err != nil {
		t.Fatal(err)
	}
	if len(x.Elements)+len(x.ComplexTypes)+len(x.SimpleType)+len(x.Attributes)+len(x.Imports) != 0 {
		t.Errorf("XMLSchema marker declares components; it must be empty")
	}
}

func TestLocationsSortedUnique(t *testing.T) {
	locs := Locations()
	if !slices.IsSorted(locs) {
		t.Errorf("Locations not sorted: %v", locs)
	}
	if len(slices.Compact(slices.Clone(locs))) != len(locs) {
		t.Errorf("Locations has duplicates: %v", locs)
	}
	n := 0
	for _, s := range schemas {
		n += len(s.locations)
	}
	if len(locs) != n {
		t.Errorf("Locations has %d entries, table lists %d: an alias is listed twice", len(locs), n)
	}
	for _, l := range locs {
		if _, ok := Lookup(l); !ok {
			t.Errorf("Locations lists %q but Lookup does not find it", l)
		}
	}
	if !slices.IsSorted(Namespaces()) || len(Namespaces()) != len(schemas) {
		t.Errorf("Namespaces: %v", Namespaces())
	}
}

func TestLookupReturnsCopy(t *testing.T) {
	a, _ := Lookup("http://www.w3.org/2001/xml.xsd")
	a[0] = 'X'
	b, _ := Lookup("http://www.w3.org/2001/xml.xsd")
	if b[0] == 'X' {
		t.Fatal("Lookup returned shared storage; a caller's write changed the next result")
	}
}

func mustRead(t *testing.T, file string) []byte {
	t.Helper()
	b, err := files.ReadFile("schemas/" + file)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
