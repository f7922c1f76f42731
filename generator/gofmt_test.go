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
