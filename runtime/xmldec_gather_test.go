package runtime_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime"
)

// gatherTree nests slices of its own type: the slice fields of an
// element and of its children are gathered at the same time.
type gatherTree struct {
	XMLName xml.Name             `xml:"urn:a tree"`
	V       string               `xml:"v,attr"`
	N       []int                `xml:"urn:a n"`
	Kids    []gatherTree         `xml:"urn:a tree"`
	Names   []string             `xml:"urn:a name"`
	Any     []runtime.XSDAnyType `xml:",any"`
}

// xmldec gathers a struct's slice elements and stores each slice once at
// the end of the struct's element: the slices must be what encoding/xml
// builds by appending, whatever the order of the elements, the nesting,
// what the field held before, and what an earlier decode left in the
// decoder's scratch.
func TestXMLDecSliceFieldsMatchEncodingXML(t *testing.T) {
	bodies := []string{
		// Elements of two slice fields and the wildcard interleaved.
		`<tree xmlns="urn:a" v="r"><n>1</n><name>a</name><x>w1</x><n>2</n><name>b</name><y/><n>3</n></tree>`,
		// The same slice type at three levels, open at once.
		`<tree xmlns="urn:a" v="0"><n>1</n><tree v="1"><n>2</n><tree v="2"><n>3</n><n>4</n></tree><n>5</n><tree v="3"/></tree><n>6</n><tree v="4"><name>k</name></tree></tree>`,
		// Many elements: the scratch grows while a nested one is used.
		`<tree xmlns="urn:a">` + strings.Repeat(`<tree v="x"><n>7</n><n>8</n><z>w</z></tree><n>9</n>`, 300) + `</tree>`,
		// A failure after elements were gathered: encoding/xml decodes.
		`<tree xmlns="urn:a"><n>1</n><tree v="deep"><n>2</n><name>s</name><n>bad</n></tree></tree>`,
		// Then fewer elements, none of the values set before: nothing
		// from the scratch of the decodes above may show.
		`<tree xmlns="urn:a"><tree/><tree><name/></tree><n>0</n></tree>`,
		`<tree xmlns="urn:a"><tree></tree></tree>`,
	}
	for _, body := range bodies {
		wantFast := !strings.Contains(body, "bad")
		fast := decodeBoth(t, body[:min(len(body), 60)], []byte(envOpen+body+envClose), func() any { return new(gatherTree) })
		if fast != wantFast {
			t.Errorf("decoded by xmldec = %v, want %v: %.80s", fast, wantFast, body)
		}
	}
}

// A slice field that already holds elements is appended to, as
// encoding/xml does.
func TestXMLDecSliceFieldsAppend(t *testing.T) {
	body := `<tree xmlns="urn:a"><n>2</n><tree v="k"/><x>w</x><n>3</n></tree>`
	newOut := func() any {
		return &gatherTree{N: []int{1}, Kids: []gatherTree{{V: "pre"}}, Any: []runtime.XSDAnyType{{Inner: []byte("pre")}}}
	}
	if !decodeBoth(t, "prefilled", []byte(envOpen+body+envClose), newOut) {
		t.Fatal("not decoded by xmldec")
	}
	got := newOut().(*gatherTree)
	if _, _, err := runtime.DecodeResponseForTest([]byte(envOpen+body+envClose), got, true); err != nil {
		t.Fatal(err)
	}
	if len(got.N) != 3 || got.N[0] != 1 || got.N[2] != 3 || len(got.Kids) != 2 || len(got.Any) != 2 {
		t.Fatalf("decoded %+v", got)
	}
}
