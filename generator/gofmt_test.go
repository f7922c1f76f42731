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

// TestRawGofmtUnit: a raw unit whose text gofmt may reformat (an
// operation method with the WSDL's documentation) comes out as gofmt
// prints it, with its imports, between the jennifer units of its chunk.
func TestRawGofmtUnit(t *testing.T) {
	text := "// M calls operation m.\n//\n// Overview\n//\n// Signs in, then calls.\nfunc (c *C) M(ctx context.Context, opts ...runtime.CallOption) error {\n\treturn c.rc.Invoke(ctx, &opM, nil, nil, opts...)\n}\n"
	plain := "// N calls operation n.\nfunc (c *C) N(ctx context.Context, opts ...runtime.CallOption) error {\n\treturn c.rc.Invoke(ctx, &opN, nil, nil, opts...)\n}\n"
	documented := unit{raw: func() rawDecl {
		return rawDecl{text: text, imports: []string{"context", runtimePkg}, gofmt: true}
	}}
	for _, units := range [][]unit{
		{
			jenUnit(func(f *jen.File) { f.Type().Id("C").Struct() }),
			documented,
			{raw: func() rawDecl { return rawDecl{text: plain, imports: []string{"context", runtimePkg}} }},
			jenUnit(func(f *jen.File) { f.Var().Id("opM").Op("=").Qual(runtimePkg, "Operation").Values() }),
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
