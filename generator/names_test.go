package generator

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

func TestGoName(t *testing.T) {
	for in, want := range map[string]string{
		"sObject":             "SObject",
		"get_user-name":       "GetUserName",
		"PersonAccount__x":    "PersonAccountX",
		"_-Bapi_-SalesChange": "BapiSalesChange",
		"123abc":              "X123abc",
		"type":                "Type",
		"func":                "Func",
		"größe":               "Größe",
		"日本":                  "X日本",
		"":                    "X",
		"...":                 "X",
		"Account Query Page":  "AccountQueryPage",
	} {
		if got := goName(in); got != want {
			t.Errorf("goName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNameSet(t *testing.T) {
	ns := nameSet{"Client": true}
	if got := ns.take("Client", "ClientElement"); got != "ClientElement" {
		t.Errorf("got %s", got)
	}
	if got := ns.take("Client", "ClientElement"); got != "ClientElement2" {
		t.Errorf("got %s", got)
	}
	if got := ns.take("Item"); got != "Item" {
		t.Errorf("got %s", got)
	}
}

func TestNsTag(t *testing.T) {
	for in, want := range map[string]string{
		"urn:sobject.partner.soap.sforce.com": "Sobject",
		"http://example.com/v2/orders":        "Orders",
		"http://example.com/":                 "Example",
		"urn:ex:other":                        "Other",
		"":                                    "Ns",
	} {
		if got := nsTag(in); got != want {
			t.Errorf("nsTag(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestGoldenIdentifiersReadable: no identifier in any golden package is
// longer than 60 characters (a fault list named after all its faults had
// 161), and none spells a percent-encoded space of a namespace as "20".
func TestGoldenIdentifiersReadable(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "golden", "*", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, path := range files {
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		ast.Inspect(f, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok || seen[id.Name] {
				return true
			}
			seen[id.Name] = true
			if len(id.Name) > 60 {
				t.Errorf("%s: identifier of %d characters: %s", path, len(id.Name), id.Name)
			}
			if strings.Contains(id.Name, "20Interface") {
				t.Errorf("%s: %s keeps a %%20 of its namespace", path, id.Name)
			}
			return true
		})
	}
}

func TestNsTagDecodesPercent(t *testing.T) {
	if got := nsTag("http://www.siebel.com/xml/Account%20Contact%20Interface"); got != "AccountContactInterface" {
		t.Errorf("nsTag = %q", got)
	}
}
