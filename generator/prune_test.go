package generator

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestWellKnownTypesPruned: a WSDL importing SOAP encoding gets only the
// soapenc types its own schemas use (multifile uses soapenc:string), not
// the ~90 others; its own global types are all kept.
func TestWellKnownTypesPruned(t *testing.T) {
	wsdls, _ := filepath.Glob("../testdata/wsdl/multifile/*.wsdl")
	if len(wsdls) != 1 {
		t.Fatalf("multifile: want one WSDL, found %v", wsdls)
	}
	files, err := Generate(Options{WSDL: wsdls[0], Package: "multifile"})
	if err != nil {
		t.Fatal(err)
	}
	var types string
	for _, f := range files {
		if f.Name == "types.go" {
			types = string(f.Content)
		}
	}
	const enc = "{http://schemas.xmlsoap.org/soap/encoding/}"
	if !strings.Contains(types, enc+"string.") {
		t.Errorf("the soapenc:string the schema uses is missing")
	}
	for _, unused := range []string{"Array.", "Struct.", "base64.", "duration."} {
		if strings.Contains(types, enc+unused) {
			t.Errorf("unreferenced soapenc type %s emitted", strings.TrimSuffix(unused, "."))
		}
	}
}
