package roundtrip_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	edge "github.com/wsdlsess/wsdlsess/golden/gen-edge"
	meta "github.com/wsdlsess/wsdlsess/golden/salesforce-metadata"
)

// TestRepeatedChoiceOrder: a repeated xsd:choice (LayoutSection's field,
// customLink, emptySpace) decodes into items in document order and
// re-encodes in that order, mixed alternatives included.
func TestRepeatedChoiceOrder(t *testing.T) {
	const ns = `xmlns="http://soap.sforce.com/2006/04/metadata"`
	wire := `<LayoutSection ` + ns + `><style>OneColumn</style>` +
		`<field>Name</field><emptySpace>true</emptySpace><field>Phone</field><customLink>Map</customLink><field>Fax</field>` +
		`</LayoutSection>`
	var got meta.LayoutSection
	if err := xml.Unmarshal([]byte(wire), &got); err != nil {
		t.Fatal(err)
	}
	s := func(v string) *string { return &v }
	yes := true
	want := meta.LayoutSection{Style: meta.LayoutSectionStyleOneColumn, Choice: []meta.LayoutSectionChoice{
		{Field: s("Name")}, {EmptySpace: &yes}, {Field: s("Phone")}, {CustomLink: s("Map")}, {Field: s("Fax")},
	}}
	if diff := cmp.Diff(want, got, ignoreXMLName); diff != "" {
		t.Fatalf("decoded (-want +got):\n%s", diff)
	}
	b, err := xml.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	order := []string{">Name<", ">true<", ">Phone<", ">Map<", ">Fax<"}
	at := 0
	for _, o := range order {
		i := strings.Index(string(b[at:]), o)
		if i < 0 {
			t.Fatalf("re-encoded out of order (want %v): %s", order, b)
		}
		at += i
	}
	var back meta.LayoutSection
	if err := xml.Unmarshal(b, &back); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if diff := cmp.Diff(want, back, ignoreXMLName); diff != "" {
		t.Errorf("after re-encode %s (-want +got):\n%s", b, diff)
	}
}

// TestRepeatedChoiceUnqualified: unqualified alternatives, one of them a
// struct, keep their order; a choice beside xsd:any stays per-alternative.
func TestRepeatedChoiceUnqualified(t *testing.T) {
	one, two := int32(1), int32(2)
	in := &edge.Steps{Title: "t", Choice: []edge.StepsChoice{{Go: &one}, {Ab: &edge.AB{Y: "y"}}, {Go: &two}}}
	b, err := xml.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `<Steps><title>t</title><go>1</go><ab><y>y</y></ab><go>2</go></Steps>`; string(b) != want {
		t.Fatalf("wire:\n got %s\nwant %s", b, want)
	}
	var out edge.Steps
	if err := xml.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, &out, ignoreXMLName); diff != "" {
		t.Errorf("(-in +out):\n%s", diff)
	}
	// The fallback compiles to plain slices beside the wildcard.
	_ = edge.WildSteps{Go: []int32{1}, Stop: []string{"s"}}
}
