package runtime_test

import (
	"encoding/xml"
	"strings"
	"testing"

	sfp "github.com/wsdlsess/wsdlsess/golden/salesforce-partner"
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

// The scope an XSDAnyType keeps is worked out once for the elements that
// share the bindings in scope, and its map once for those that also
// mention the same of them: elements of records declaring their own
// prefixes, redeclaring the envelope's, and mentioning different ones in
// names, attributes and text must still each keep exactly the scope
// encoding/xml gives them.
func TestXMLDecWildcardScopesMatchEncodingXML(t *testing.T) {
	const env = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:sf="urn:sobject.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><queryResponse><result><done>true</done>`
	records := []string{
		`<records><sf:type>A</sf:type><sf:E></sf:E><sf:Name>n</sf:Name><sf:X xsi:nil="true"/><sf:T>10:00</sf:T></records>`,
		// Its own declaration: a new scope, the same prefixes.
		`<records xmlns:o="urn:o"><sf:Name>n</sf:Name><sf:Ref xsi:type="o:R">v</sf:Ref><o:Z>z</o:Z></records>`,
		// The envelope's prefix bound elsewhere.
		`<records xmlns:sf="urn:other"><sf:Name>n</sf:Name><sf:Name xmlns:sf="urn:third">m</sf:Name></records>`,
		// Back in the envelope's scope, mentioning each prefix in turn.
		`<records><sf:Name>n</sf:Name><Plain>p</Plain><sf:V>xsi:v</sf:V><sf:W a="soapenv:x"/></records>`,
		// The default namespace changed, then undone.
		`<records><sf:Name xmlns="urn:d">n</sf:Name><Plain xmlns="">p</Plain><sf:Name>n</sf:Name></records>`,
		// A record declaring the same again: equal scopes, new ID.
		`<records xmlns:o="urn:o"><sf:Ref xsi:type="o:R">v</sf:Ref><sf:Name>n</sf:Name></records>`,
	}
	var body strings.Builder
	body.WriteString(env)
	for range 3 {
		for _, r := range records {
			body.WriteString(r)
		}
	}
	body.WriteString(`<size>18</size></result></queryResponse></soapenv:Body></soapenv:Envelope>`)
	if !decodeBoth(t, "records", []byte(body.String()), func() any { return new(sfp.QueryResponse) }) {
		t.Fatal("not decoded by xmldec")
	}
	// The inner XML of the fields is copied into shared chunks: each
	// is still its own, appending to one leaves the next as it was.
	var got sfp.QueryResponse
	if _, _, err := runtime.DecodeResponseForTest([]byte(body.String()), &got, true); err != nil {
		t.Fatal(err)
	}
	fields := got.Result.Records[0].Any
	_ = append(fields[1].Inner, "XX"...)
	if string(fields[1].Inner) != "n" || string(fields[2].Inner) != "" || string(fields[3].Inner) != "10:00" {
		t.Fatalf("fields after appending to one: %q %q %q", fields[1].Inner, fields[2].Inner, fields[3].Inner)
	}
}

// A slice too large for the decoder to keep as scratch (10,000 of 144
// bytes, over the 1 MiB it keeps) becomes the field's own: later decodes
// must not write into it.
func TestXMLDecLargeSliceFieldIsTheValues(t *testing.T) {
	doc := func(v string) []byte {
		return []byte(envOpen + `<tree xmlns="urn:a">` + strings.Repeat(`<tree v="`+v+`"><n>1</n></tree>`, 10000) + `</tree>` + envClose)
	}
	var first gatherTree
	if fast, _, err := runtime.DecodeResponseForTest(doc("a"), &first, true); err != nil || !fast {
		t.Fatalf("decode: %v (by xmldec: %v)", err, fast)
	}
	for _, v := range []string{"b", "c"} {
		var later gatherTree
		if _, _, err := runtime.DecodeResponseForTest(doc(v), &later, true); err != nil {
			t.Fatal(err)
		}
		if len(later.Kids) != 10000 || later.Kids[9999].V != v {
			t.Fatalf("decode %s: %d kids", v, len(later.Kids))
		}
	}
	decodeBoth(t, "large", doc("a"), func() any { return new(gatherTree) })
	for i, k := range first.Kids {
		if k.V != "a" || len(k.N) != 1 {
			t.Fatalf("kid %d of the first decode changed to %+v", i, k)
		}
	}
}
