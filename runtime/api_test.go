package runtime

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strings"
	"testing"
)

// userAPI is every exported top-level identifier of package runtime: what
// programs use. What only generated code uses belongs in runtime/impl, so
// go doc ./runtime stays the user's page; a new identifier here is a
// decision, not an accident.
var userAPI = []string{
	"AnyDecode", "AnyElement", "AnyText", "CallOption", "Client", "Clock",
	"Credentials", "DefaultMaxResponseBytes", "ErrNotSent", "ErrSessionLost",
	"Event", "EventExpire", "EventInvalidate", "EventKind", "EventLogin",
	"EventLoginFailed", "EventLogout", "EventRelogin", "EventRotate",
	"Fault", "HTTPError", "InvalidateError", "Lease", "NewClient",
	"NewMemoryStore", "NewXSDDate", "NewXSDDateTime", "Nil", "Nillable",
	"OAuth2ClientCredentials", "Option", "Password", "PasswordFunc",
	"SessionSource", "SessionState", "Store", "StoredCookie", "Value",
	"ValuePtr", "Version", "WithClock", "WithCredentials", "WithEndpoint",
	"WithEvents", "WithHTTPClient", "WithLogger", "WithMaxResponseBytes",
	"WithPoolSize", "WithRefreshMargin", "WithRequestHeaders",
	"WithResponseHeader", "WithSessionFrom", "WithStore", "XSDAnyType",
	"XSDBase64", "XSDDate", "XSDDateTime", "XSDDecimal", "XSDDouble",
	"XSDDuration", "XSDFloat", "XSDGregorian", "XSDHexBinary", "XSDInteger",
	"XSDTime",
}

func TestExportedIsUserAPI(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var got []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.IsExported() {
					got = append(got, d.Name.Name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() {
							got = append(got, s.Name.Name)
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() {
								got = append(got, n.Name)
							}
						}
					}
				}
			}
		}
	}
	slices.Sort(got)
	for _, n := range got {
		if !slices.Contains(userAPI, n) {
			t.Errorf("runtime exports %s: if only generated code uses it, declare it in runtime/impl; if programs do, add it to userAPI", n)
		}
	}
	for _, n := range userAPI {
		if !slices.Contains(got, n) {
			t.Errorf("runtime no longer exports %s: remove it from userAPI", n)
		}
	}
}
