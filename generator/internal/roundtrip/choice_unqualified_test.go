package roundtrip_test

import (
	"encoding/xml"
	"testing"

	"github.com/google/go-cmp/cmp"

	edge "github.com/wsdlsess/wsdlsess/golden/gen-edge"
)

// TestRepeatedChoiceUnqualified: a repeated choice of unqualified
// alternatives (one a struct) keeps its order, and inside a namespaced
// element the items stay in no namespace on the wire.
func TestRepeatedChoiceUnqualified(t *testing.T) {
	one, two := int32(1), int32(2)
	in := &edge.Plan{StepList: &edge.Steps{Title: "t", GoOrAb: []edge.StepsGoOrAb{{Go: &one}, {Ab: &edge.AB{Y: "y"}}, {Go: &two}}}}
	b, err := xml.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out edge.Plan
	if err := xml.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if diff := cmp.Diff(in, &out, ignoreXMLName); diff != "" {
		t.Errorf("(-in +out):\n%s\nwire: %s", diff, b)
	}
	// Decoded by name in no namespace: a go in urn:edge would be skipped.
	var wrong edge.Plan
	if err := xml.Unmarshal([]byte(`<Plan><stepList xmlns="urn:edge"><title>t</title><go>1</go></stepList></Plan>`), &wrong); err != nil {
		t.Fatal(err)
	}
	if wrong.StepList == nil || len(wrong.StepList.GoOrAb) != 1 || wrong.StepList.GoOrAb[0].Go != nil {
		t.Errorf("a qualified go was taken for the unqualified alternative: %+v", wrong.StepList)
	}
}
