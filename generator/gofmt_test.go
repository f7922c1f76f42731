package generator

import (
	"bytes"
	"go/format"
	"path/filepath"
	"strings"
	"testing"
)

// TestGeneratedIsGofmt: every generated file is what gofmt prints. Most
// go through go/format inside jennifer, but raw units (the MarshalXML of
// each element type with unqualified children, the operation methods)
// are written as text; this holds that text to gofmt on every golden case
// and every gowsdl fixture, vboxweb's thousands of them included.
func TestGeneratedIsGofmt(t *testing.T) {
	var inputs []Options
	for _, c := range goldenCases(t) {
		inputs = append(inputs, Options{WSDL: c.wsdl, Package: pkgName(c.name), Profile: c.profile})
	}
	for _, w := range fixtureWSDLs(t) {
		if filepath.Base(w) == "vim.wsdl" {
			continue // its imported XSD is missing (TestPeerFixtures)
		}
		inputs = append(inputs, Options{WSDL: w, Package: "p" + pkgName(strings.TrimSuffix(filepath.Base(w), ".wsdl"))})
	}
	for _, in := range inputs {
		files, err := Generate(in)
		if err != nil {
			t.Errorf("%s: %v", in.WSDL, err)
			continue
		}
		for _, f := range files {
			got, err := format.Source(f.Content)
			if err != nil {
				t.Errorf("%s: %s does not parse: %v", in.WSDL, f.Name, err)
				continue
			}
			if !bytes.Equal(got, f.Content) {
				t.Errorf("%s: %s is not gofmt's form; first difference near %q", in.WSDL, f.Name, firstDiff(f.Content, got))
			}
		}
	}
}

// firstDiff returns the text around the first byte where a and b differ.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo, hi := max(0, i-80), min(len(a), i+80)
	return string(a[lo:hi])
}

// TestMethodTextMatchesJennifer: an operation's method has two writers,
// methodText (text, for undocumented operations) and emitMethod (jennifer,
// for documented ones, whose WSDL text gofmt may reformat). They must
// print the same method, or one change would reach only half the
// operations: each undocumented method of the golden cases is rendered
// both ways and compared.
func TestMethodTextMatchesJennifer(t *testing.T) {
	compared := 0
	for _, c := range goldenCases(t) {
		m, err := buildModel(Options{WSDL: c.wsdl, Package: "p", Profile: c.profile})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, pt := range m.ports {
			for _, op := range pt.binding.ops {
				if m.isDriven(op) || cleanDoc(op.doc) != "" {
					continue
				}
				f := newFile(newFileHead(Options{Package: "p"}))
				emitMethod(f, m, pt, op)
				var buf bytes.Buffer
				if err := f.Render(&buf); err != nil {
					t.Fatal(err)
				}
				_, _, viaJen, err := splitImports(buf.Bytes())
				if err != nil {
					t.Fatal(err)
				}
				if text := methodText(m, pt, op).text; string(viaJen) != text {
					t.Errorf("%s %s: methodText gives\n%s\njennifer gives\n%s", c.name, op.name, text, viaJen)
				}
				compared++
			}
		}
	}
	if compared < 20 {
		t.Fatalf("compared %d methods, want the golden cases' undocumented ones (at least 20)", compared)
	}
}
