package generator

import (
	"encoding/xml"
	"testing"
)

// TestXMLTag: a field's struct tag is spelled from its kind, name and
// flags, for every kind (the goldens have no ",innerxml" nor an optional
// substitution group's ",any,omitempty").
func TestXMLTag(t *testing.T) {
	ns := xml.Name{Space: "urn:x", Local: "Name"}
	for _, c := range []struct {
		f    goField
		want string
	}{
		{goField{kind: fElem, xmlName: xml.Name{Local: "item"}}, "item"},
		{goField{kind: fElem, xmlName: ns, omitempty: true}, "urn:x Name,omitempty"},
		{goField{kind: fAttr, xmlName: xml.Name{Local: "id"}}, "id,attr"},
		{goField{kind: fAttr, xmlName: ns, omitempty: true}, "urn:x Name,attr,omitempty"},
		{goField{kind: fText}, ",chardata"},
		{goField{kind: fAny}, ",any"},
		{goField{kind: fAny, omitempty: true}, ",any,omitempty"},
		{goField{kind: fAnyAttr}, ",any,attr"},
		{goField{kind: fInnerXML}, ",innerxml"},
		{goField{kind: fOther}, "-"},
	} {
		if got := c.f.xmlTag(); got != c.want {
			t.Errorf("kind %d %v omitempty=%v: tag %q, want %q", c.f.kind, c.f.xmlName, c.f.omitempty, got, c.want)
		}
	}
}
