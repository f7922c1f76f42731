package roundtrip

import (
	"encoding/xml"
	"strings"
	"testing"

	xc "github.com/wsdlsess/wsdlsess/golden/xsd-constructs"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// TestNillableElements: nillable simple elements of the generated types
// keep xsi:nil apart from a value and from absence, both ways.
func TestNillableElements(t *testing.T) {
	in := `<Occurrences xmlns="urn:example:xsd:main" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<required>r</required><nillable xsi:nil="true"/><optionalNillable xsi:nil="true"/>` +
		`<manyNillable>a</manyNillable><manyNillable xsi:nil="true"/></Occurrences>`
	var v xc.Occurrences
	if err := xml.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	if !v.Nillable.Nil || v.OptionalNillable == nil || !v.OptionalNillable.Nil || len(v.ManyNillable) != 2 || v.ManyNillable[0].Value != "a" || !v.ManyNillable[1].Nil {
		t.Fatalf("decoded %+v", v)
	}
	out, err := xml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(out), `xsi:nil="true"`); n != 3 {
		t.Errorf("re-encoded with %d xsi:nil, want 3: %s", n, out)
	}
	// A value, and an optional nillable element left out.
	v = xc.Occurrences{Required: "r", Nillable: runtime.Value("x")}
	out, _ = xml.Marshal(v)
	if s := string(out); strings.Contains(s, "xsi:nil") || strings.Contains(s, "optionalNillable") || !strings.Contains(s, ">x</nillable>") {
		t.Errorf("value and absence: %s", s)
	}
}
