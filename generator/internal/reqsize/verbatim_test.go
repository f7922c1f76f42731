package reqsize

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io"
	"log"
	"os"
	"testing"

	"github.com/hooklift/gowsdl"
)

// TestGowsdlTypesVerbatim: every type declared in gowsdl_<case>_test.go is
// the declaration gowsdl v0.5.0 writes for that case's WSDL, so the gowsdl
// side of BenchmarkRequestSize sends what gowsdl's generated client would.
func TestGowsdlTypesVerbatim(t *testing.T) {
	if raceEnabled {
		// Its two generator goroutines write one map unsynchronised.
		t.Skip("gowsdl v0.5.0's Start races with itself")
	}
	log.SetOutput(io.Discard) // gowsdl logs every file it reads
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	for file, wsdl := range map[string]string{
		"gowsdl_partner_test.go": "../../../testdata/wsdl/salesforce-partner/partner.wsdl",
		"gowsdl_vsphere_test.go": "../../../testdata/wsdl/vsphere/vim25/vim.wsdl",
	} {
		g, err := gowsdl.NewGoWSDL(wsdl, "p", false, true)
		if err != nil {
			t.Fatal(err)
		}
		code, err := g.Start()
		if err != nil {
			t.Fatal(err)
		}
		var src bytes.Buffer
		for _, k := range []string{"header", "types", "operations", "soap"} {
			src.Write(code[k])
		}
		theirs := typeDecls(t, "gowsdl", src.Bytes())
		body, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		ours := typeDecls(t, file, body)
		if len(ours) == 0 {
			t.Errorf("%s declares no types", file)
		}
		for name, decl := range ours {
			if theirs[name] != decl {
				t.Errorf("%s: type %s is\n%s\ngowsdl writes for %s\n%s", file, name, decl, wsdl, theirs[name])
			}
		}
	}
}

// typeDecls maps each top-level type name of src to its gofmt'ed
// declaration, without unexported struct fields: encoding/xml never
// writes those, so leaving them out changes no request.
func typeDecls(t *testing.T, name string, src []byte) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, s := range gd.Specs {
			ts := s.(*ast.TypeSpec)
			if st, ok := ts.Type.(*ast.StructType); ok {
				kept := st.Fields.List[:0]
				for _, f := range st.Fields.List {
					if len(f.Names) == 0 || f.Names[0].IsExported() {
						kept = append(kept, f)
					}
				}
				st.Fields.List = kept
			}
			var b bytes.Buffer
			if err := format.Node(&b, fset, ts); err != nil {
				t.Fatal(err)
			}
			out[ts.Name.Name] = b.String()
		}
	}
	return out
}
