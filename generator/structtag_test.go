package generator

import (
	"fmt"
	"testing"

	"github.com/dave/jennifer/jen"
)

// TestXMLStructTagAsJenniferTag: xmlStructTag writes what jennifer's Tag
// writes for the same one-key map, including tags a raw string cannot
// hold.
func TestXMLStructTagAsJenniferTag(t *testing.T) {
	for _, v := range []string{
		"urn:a Name", "Name,attr,omitempty", ",chardata", "-", "",
		"urn:x`y Name", "urn:\"q\" N", "urn:a\tb N", "urn:é N", "urn:\x7f N",
	} {
		want := fmt.Sprintf("%#v", jen.Id("F").String().Tag(map[string]string{"xml": v}))
		got := fmt.Sprintf("%#v", jen.Id("F").String().Add(xmlStructTag(v)))
		if got != want {
			t.Errorf("%q: got %s, want %s", v, got, want)
		}
	}
}
