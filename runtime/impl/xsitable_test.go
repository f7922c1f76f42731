package impl

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

// A small polymorphic family shaped like a generated package's: Shape is
// the base, Circle derives from it, Other is an unrelated type of the same
// local name as Circle in another namespace.
type (
	xsiShapeKind interface{ isShape() }
	xsiShape     struct {
		Name string `xml:"name"`
	}
	xsiCircle struct {
		Name string `xml:"name"`
		R    int    `xml:"r"`
	}
	xsiOther struct {
		V string `xml:"v"`
	}
)

func (*xsiShape) isShape()  {}
func (*xsiCircle) isShape() {}

var xsiTestTable = NewXSITypes([]XSITypeEntry{
	{Name: xml.Name{Space: "urn:o", Local: "Circle"}, Type: (*xsiOther)(nil)},
	{Name: xml.Name{Space: "urn:s", Local: "Shape"}, Type: (*xsiShape)(nil)},
	{Name: xml.Name{Space: "urn:s", Local: "Circle"}, Type: (*xsiCircle)(nil)},
})

func isShapeKind(v any) bool {
	_, ok := v.(xsiShapeKind)
	return ok
}

func startOf(t *testing.T, doc string) xml.StartElement {
	t.Helper()
	tok, err := xml.NewDecoder(strings.NewReader(doc)).Token()
	if err != nil {
		t.Fatal(err)
	}
	return tok.(xml.StartElement)
}

func TestXSITypesNew(t *testing.T) {
	const xsi = `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`
	for _, c := range []struct {
		doc  string
		want any // the type New returns, nil for none
	}{
		// Resolved namespace: the exact entry.
		{`<p ` + xsi + ` xmlns:s="urn:s" xsi:type="s:Circle"/>`, &xsiCircle{}},
		{`<p ` + xsi + ` xmlns:s="urn:s" xsi:type="s:Shape"/>`, &xsiShape{}},
		// The exact entry exists but is no Shape: none, not another
		// entry of the same local name.
		{`<p ` + xsi + ` xmlns:o="urn:o" xsi:type="o:Circle"/>`, nil},
		// Prefix declared on an ancestor (unresolved): the first entry of
		// that local name the holder accepts, skipping urn:o's Circle.
		{`<p ` + xsi + ` xsi:type="s:Circle"/>`, &xsiCircle{}},
		{`<p ` + xsi + ` xsi:type="Circle"/>`, &xsiCircle{}},
		// Unknown type, unknown namespace, no attribute.
		{`<p ` + xsi + ` xmlns:s="urn:s" xsi:type="s:Square"/>`, nil},
		{`<p ` + xsi + ` xmlns:x="urn:x" xsi:type="x:Circle"/>`, nil},
		{`<p/>`, nil},
	} {
		got := xsiTestTable.New(startOf(t, c.doc), isShapeKind)
		switch w := c.want.(type) {
		case nil:
			if got != nil {
				t.Errorf("%s: New = %T, want nil", c.doc, got)
			}
		default:
			if got == nil || !sameType(got, w) {
				t.Errorf("%s: New = %T, want %T", c.doc, got, w)
			}
		}
	}
	// Each call allocates a new value.
	s := startOf(t, `<p `+xsi+` xmlns:s="urn:s" xsi:type="s:Circle"/>`)
	if a, b := xsiTestTable.New(s, isShapeKind), xsiTestTable.New(s, isShapeKind); a == b {
		t.Error("New returned the same pointer twice")
	}
}

func sameType(a, b any) bool {
	switch a.(type) {
	case *xsiCircle:
		_, ok := b.(*xsiCircle)
		return ok
	case *xsiShape:
		_, ok := b.(*xsiShape)
		return ok
	case *xsiOther:
		_, ok := b.(*xsiOther)
		return ok
	}
	return false
}

func TestXSITypesEncodeRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	e := xml.NewEncoder(&buf)
	if err := xsiTestTable.Encode(e, xml.StartElement{Name: xml.Name{Space: "urn:s", Local: "shape"}}, &xsiCircle{Name: "c", R: 2}); err != nil {
		t.Fatal(err)
	}
	if err := xsiTestTable.Encode(e, xml.StartElement{Name: xml.Name{Space: "urn:s", Local: "shape"}}, nil); err != nil {
		t.Fatal(err)
	}
	e.Flush()
	want := `<shape xmlns="urn:s" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xt="urn:s" xsi:type="xt:Circle"><name>c</name><r>2</r></shape>` +
		`<shape xmlns="urn:s" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"></shape>`
	if buf.String() != want {
		t.Fatalf("got  %s\nwant %s", buf.String(), want)
	}
	start := startOf(t, buf.String())
	v := xsiTestTable.New(start, isShapeKind)
	if err := xml.NewDecoder(&buf).Decode(v); err != nil {
		t.Fatal(err)
	}
	if c, ok := v.(*xsiCircle); !ok || *c != (xsiCircle{Name: "c", R: 2}) {
		t.Errorf("decoded %#v", v)
	}
	if err := xsiTestTable.Encode(e, xml.StartElement{Name: xml.Name{Local: "x"}}, &struct{ X int }{}); err == nil {
		t.Error("Encode of a type not in the table: no error")
	}
}
