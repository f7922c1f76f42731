package generator

import (
	"bytes"
	"go/format"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dave/jennifer/jen"
)

// TestGeneratedIsGofmt: every generated file is what gofmt prints. Most
// declarations are printed by quickFormat, not go/format; this holds them
// to gofmt on every golden case and every gowsdl fixture, vboxweb's
// thousands of them included.
func TestGeneratedIsGofmt(t *testing.T) {
	for _, in := range everyCase(t) {
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

// TestRenderUnits: a chunk of jennifer units, one of them a method whose
// documentation gofmt reformats (a one-line paragraph becomes a heading)
// and one quickFormat does not know, comes out as gofmt prints it with
// the imports its units use, and so does a chunk of one unit.
func TestRenderUnits(t *testing.T) {
	method := func(name string, doc ...string) unit {
		return func(f *jen.File) {
			for _, l := range doc {
				f.Comment(l)
			}
			f.Func().Params(jen.Id("c").Op("*").Id("C")).Id(name).Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("opts").Op("...").Qual(runtimePkg, "CallOption")).Error().Block(
				jen.Return(jen.Id("c").Dot("rc").Dot("Invoke").Call(jen.Id("ctx"), jen.Op("&").Id("op"+name), jen.Nil(), jen.Nil(), jen.Id("opts").Op("..."))),
			)
		}
	}
	documented := method("M", "M calls operation m.", "", "Overview", "", "Signs in, then calls.")
	for _, units := range [][]unit{
		{
			func(f *jen.File) { f.Type().Id("C").Struct() },
			documented,
			method("N", "N calls operation n."),
			func(f *jen.File) { f.Var().Id("opM").Op("=").Qual(runtimePkg, "Operation").Values() },
			func(f *jen.File) { f.Func().Id("loop").Params().Block(jen.For().Block()) },
		},
		{documented},
	} {
		c, err := renderUnits(newFileHead(Options{Package: "p"}), units)
		if err != nil {
			t.Fatal(err)
		}
		src, err := mergeChunks([]chunk{c})
		if err != nil {
			t.Fatal(err)
		}
		formatted, err := format.Source(src)
		if err != nil {
			t.Fatalf("%v\n%s", err, src)
		}
		if !bytes.Equal(formatted, src) {
			t.Errorf("not gofmt's form; first difference near %q", firstDiff(src, formatted))
		}
		for _, want := range []string{"// # Overview\n", "\t\"context\"\n", "\t\"github.com/wsdlsess/wsdlsess/runtime\"\n", "func (c *C) M("} {
			if !strings.Contains(string(src), want) {
				t.Errorf("%d units: output lacks %q:\n%s", len(units), want, src)
			}
		}
	}
}

// everyCase is the options of every golden case and every gowsdl fixture
// that generates.
func everyCase(t *testing.T) []Options {
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
	return inputs
}
