package roundtrip_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	shop "github.com/wsdlsess/wsdlsess/golden/gen-constructs"
	sfe "github.com/wsdlsess/wsdlsess/golden/salesforce-enterprise"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// TestNillableSimple: a nillable element of a simple type keeps its three
// states apart (absent, xsi:nil, empty) through decode and re-encode.
func TestNillableSimple(t *testing.T) {
	const xsi = `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`
	cases := []struct {
		name, wire string
		want       *runtime.Nillable[string]
	}{
		{"absent", `<Account xmlns="urn:sobject.enterprise.soap.sforce.com"></Account>`, nil},
		{"nil", `<Account xmlns="urn:sobject.enterprise.soap.sforce.com" ` + xsi + `><Industry xsi:nil="true"/></Account>`, runtime.NilOf[string]()},
		{"empty", `<Account xmlns="urn:sobject.enterprise.soap.sforce.com"><Industry></Industry></Account>`, runtime.NewNillable("")},
		{"value", `<Account xmlns="urn:sobject.enterprise.soap.sforce.com"><Industry>Energy</Industry></Account>`, runtime.NewNillable("Energy")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var a sfe.Account
			if err := xml.Unmarshal([]byte(c.wire), &a); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, a.Industry); diff != "" {
				t.Fatalf("decoded Industry (-want +got):\n%s", diff)
			}
			b, err := xml.Marshal(&a)
			if err != nil {
				t.Fatal(err)
			}
			nilOnWire := strings.Contains(string(b), `nil="true"`)
			if nilOnWire != (c.name == "nil") {
				t.Errorf("re-encoded %s: xsi:nil present = %v", b, nilOnWire)
			}
			var back sfe.Account
			if err := xml.Unmarshal(b, &back); err != nil {
				t.Fatalf("%s: %v", b, err)
			}
			if diff := cmp.Diff(c.want, back.Industry); diff != "" {
				t.Errorf("after re-encode %s (-want +got):\n%s", b, diff)
			}
		})
	}
}

// TestNillableDecimal: a nillable non-string (xsd:decimal) element
// decodes xsi:nil without trying to parse the empty content.
func TestNillableDecimal(t *testing.T) {
	in := &shop.Gadget{Id: 1, Name: "n", Watts: runtime.NilOf[runtime.XSDDecimal]()}
	b, err := xml.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `nil="true"`) {
		t.Fatalf("no xsi:nil on the wire: %s", b)
	}
	var out shop.Gadget
	if err := xml.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if diff := cmp.Diff(in, &out); diff != "" {
		t.Errorf("(-in +out):\n%s\nwire: %s", diff, b)
	}
}
