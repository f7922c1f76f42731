package roundtrip_test

import (
	"encoding/xml"
	"testing"

	"github.com/google/go-cmp/cmp"

	edge "github.com/wsdlsess/wsdlsess/golden/gen-edge"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// TestRoundTripEdge: binary simple content with binary attributes, fields
// renamed apart (Value/value, element b/attribute b), and a float enum.
func TestRoundTripEdge(t *testing.T) {
	in := &edge.Map{
		B:         &edge.ABType{X: 3},
		Value:     "upper",
		ValueElem: "lower",
		Blob:      &edge.Blob{Value: runtime.XSDBase64("\x01\x02"), ValueAttr: "v", Checksum: runtime.XSDHexBinary{0xab}, Kind: ptr(edge.Flag(true))},
		Ratio:     ptr(edge.Ratio(0.5)),
		BAttr:     "attr",
		Stamp:     runtime.XSDBase64("stamp"),
	}
	b, err := xml.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out edge.Map
	if err := xml.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if diff := cmp.Diff(in, &out, ignoreXMLName); diff != "" {
		t.Errorf("(-in +out):\n%s\nwire: %s", diff, b)
	}
}
