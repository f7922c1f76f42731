package generator

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

// TestPolyDispatchIsOneTable holds every golden case to the shape that
// keeps a large polymorphic API cheap to compile: xsi:type is decoded
// through the package's one xsiTypes table (no switch per holder, no
// xsiType method per type), every holder written is a field's type, and
// a type has a marker method only for a holder that is written.
func TestPolyDispatchIsOneTable(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			files, err := Generate(Options{WSDL: c.wsdl, Package: pkgName(c.name), Profile: c.profile})
			if err != nil {
				t.Fatal(err)
			}
			fset := token.NewFileSet()
			ifaceMethods := map[string]bool{} // marker names of written interfaces
			holders := map[string]bool{}      // structs whose Value is a written interface
			used := map[string]bool{}         // type names some field refers to
			var markers []string
			tables := 0
			for _, f := range files {
				af, err := parser.ParseFile(fset, f.Name, f.Content, 0)
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range af.Decls {
					switch d := d.(type) {
					case *ast.GenDecl:
						for _, s := range d.Specs {
							switch s := s.(type) {
							case *ast.ValueSpec:
								for _, n := range s.Names {
									if n.Name == xsiTypesVar {
										tables++
									}
								}
							case *ast.TypeSpec:
								switch ty := s.Type.(type) {
								case *ast.InterfaceType:
									for _, m := range ty.Methods.List {
										for _, n := range m.Names {
											ifaceMethods[n.Name] = true
										}
									}
								case *ast.StructType:
									for _, fd := range ty.Fields.List {
										ast.Inspect(fd.Type, func(n ast.Node) bool {
											if id, ok := n.(*ast.Ident); ok {
												used[id.Name] = true
											}
											return true
										})
									}
									if fs := ty.Fields.List; len(fs) == 1 && len(fs[0].Names) == 1 && fs[0].Names[0].Name == "Value" && strings.HasPrefix(s.Name.Name, "Any") {
										if _, ok := fs[0].Type.(*ast.Ident); ok {
											holders[s.Name.Name] = true
										}
									}
								}
							}
						}
					case *ast.FuncDecl:
						if d.Recv == nil {
							continue
						}
						if d.Name.Name == "xsiType" {
							t.Errorf("%s: an xsiType method per type", f.Name)
						}
						if strings.HasPrefix(d.Name.Name, "is") && d.Body != nil && len(d.Body.List) == 0 && d.Type.Params.NumFields() == 0 {
							markers = append(markers, d.Name.Name)
						}
					}
				}
			}
			if tables > 1 || len(holders) > 0 && tables != 1 {
				t.Errorf("%d xsiTypes tables for %d holders, want one", tables, len(holders))
			}
			for h := range holders {
				if !used[h] {
					t.Errorf("holder %s is written but no field holds it", h)
				}
			}
			for _, m := range markers {
				if !ifaceMethods[m] {
					t.Errorf("marker method %s implements no written interface", m)
				}
			}
		})
	}
}
