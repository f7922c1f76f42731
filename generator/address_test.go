package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPortAddressProblems: a SOAP port keeps its client whatever its
// address says; a missing address (Exchange Web Services ships it
// commented out) or one that is not an absolute URL (Workday's
// location="Human_Resources") gets a warning and a client whose
// constructor asks for runtime.WithEndpoint instead of a default that
// fails at the first call. An HTTP port stays skipped.
func TestPortAddressProblems(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "testdata", "wsdl", "gen-constructs", "constructs.wsdl"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(src), `<soap:address location="http://shop.example.com/soap11"/>`, `<!-- <soap:address location="http://shop.example.com/soap11"/> -->`, 1)
	text = strings.Replace(text, `<soap12:address location="http://shop.example.com/soap12"/>`, `<soap12:address location="Human_Resources"/>`, 1)
	// A copy of the case's folder, for the schemas it includes.
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "testdata", "wsdl", "gen-constructs"))); err != nil {
		t.Fatal(err)
	}
	wsdl := filepath.Join(dir, "shop-address.wsdl")
	if err := os.WriteFile(wsdl, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	var warned []string
	files, err := Generate(Options{WSDL: wsdl, Package: "shop", Warn: func(s string) { warned = append(warned, s) }})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"shop-address.wsdl:265: wsdl:port: port Shop11 has no soap:address; its client has no default endpoint (fix: pass runtime.WithEndpoint(url) to the client)",
		`shop-address.wsdl:266: soap:address: port Shop12 has location "Human_Resources", which is not an absolute http(s) URL; its client has no default endpoint (fix: pass runtime.WithEndpoint(url) to the client)`,
	} {
		if !strings.Contains(strings.Join(warned, "\n"), want) {
			t.Errorf("warnings lack\n %s\ngot\n %s", want, strings.Join(warned, "\n "))
		}
	}
	var client string
	for _, f := range files {
		if f.Name == "client.go" {
			// Doc comments wrap; read them as one line each.
			client = strings.ReplaceAll(string(f.Content), "\n// ", " ")
		}
	}
	for _, want := range []string{
		"NewShop11Client returns a client of port Shop11 of service Shop. The WSDL gives no endpoint: pass runtime.WithEndpoint(url).",
		"NewShop12Client returns a client of port Shop12 of service Shop. The WSDL gives no endpoint: pass runtime.WithEndpoint(url).",
	} {
		if !strings.Contains(client, want) {
			t.Errorf("client.go lacks %q", want)
		}
	}
	if strings.Contains(client, "Human_Resources") || strings.Contains(client, "ShopHTTP") {
		t.Error("client.go uses the relative address or has a client for the HTTP port")
	}
}
