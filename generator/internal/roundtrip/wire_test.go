package roundtrip_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"

	shop "github.com/wsdlsess/wsdlsess/golden/gen-constructs"
	rpc "github.com/wsdlsess/wsdlsess/golden/rpc-literal"
)

// wireNames marshals v and returns the resolved name of every element, in
// document order, as a namespace-aware reader sees them.
func wireNames(t *testing.T, v any) []string {
	t.Helper()
	b, err := xml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			out = append(out, "{"+se.Name.Space+"}"+se.Name.Local)
		}
	}
}

// TestUnqualifiedOnTheWire: children declared unqualified stay in no
// namespace even though their parent is namespaced (encoding/xml alone
// would put them in the parent's default namespace).
func TestUnqualifiedOnTheWire(t *testing.T) {
	got := wireNames(t, &shop.PlaceOrder{Order: &shop.Order{Id: "1", Status: shop.StatusValueNew, Email: "e", Local: ptr("x"), Shipping: &shop.OrderShipping{Street: "s"}}})
	want := []string{
		"{urn:ex:shop}PlaceOrder", "{urn:ex:shop}order", "{urn:ex:shop}status", "{urn:ex:shop}email",
		"{}local", "{urn:ex:shop}shipping", "{urn:ex:shop}street",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("element names (-want +got):\n%s", diff)
	}
}

// TestRPCPartsOnTheWire: rpc/literal wrappers carry the soap:body
// namespace; their parts are unqualified.
func TestRPCPartsOnTheWire(t *testing.T) {
	got := wireNames(t, &rpc.AdjustStock{Sku: "A-1", Delta: 2})
	if len(got) < 2 || got[0] != "{urn:example:inventory:rpc}AdjustStock" {
		t.Fatalf("names = %q", got)
	}
	for _, n := range got[1:] {
		if n[:2] != "{}" && n[:len("{urn:example:inventory}")] != "{urn:example:inventory}" {
			t.Errorf("part element %s is in the wrapper's namespace", n)
		}
	}
	if got[1] != "{}sku" {
		t.Errorf("first part = %s, want {}sku", got[1])
	}
}
