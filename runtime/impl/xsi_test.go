package impl

import (
	"bytes"
	"encoding/xml"
	"testing"
)

func TestXSIType(t *testing.T) {
	var start xml.StartElement
	d := xml.NewDecoder(bytes.NewReader([]byte(`<r xmlns:a="urn:a" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="a:T"/>`)))
	tok, _ := d.Token()
	start = tok.(xml.StartElement)
	got, ok := XSIType(start)
	if !ok || got != (xml.Name{Space: "urn:a", Local: "T"}) {
		t.Errorf("XSIType = %v %v", got, ok)
	}
	if _, ok := XSIType(xml.StartElement{}); ok {
		t.Error("XSIType found a type on a bare element")
	}
}

type xsiPoint struct {
	X int `xml:"x"`
}

func TestEncodeXSITypeAndQualified(t *testing.T) {
	var buf bytes.Buffer
	e := xml.NewEncoder(&buf)
	if err := EncodeXSIType(e, xml.StartElement{Name: xml.Name{Space: "urn:p", Local: "p"}}, xsiPoint{X: 1}, xml.Name{Space: "urn:t", Local: "Point"}); err != nil {
		t.Fatal(err)
	}
	e.Flush()
	want := `<p xmlns="urn:p" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xt="urn:t" xsi:type="xt:Point"><x>1</x></p>`
	if buf.String() != want {
		t.Errorf("got  %s\nwant %s", buf.String(), want)
	}
	buf.Reset()
	if err := EncodeQualified(e, xml.StartElement{Name: xml.Name{Space: "urn:p", Local: "p"}}, xsiPoint{X: 1}); err != nil {
		t.Fatal(err)
	}
	e.Flush()
	want = `<q:p xmlns:q="urn:p" xmlns=""><x>1</x></q:p>`
	if buf.String() != want {
		t.Errorf("got  %s\nwant %s", buf.String(), want)
	}
}

func TestXSINil(t *testing.T) {
	var buf bytes.Buffer
	e := xml.NewEncoder(&buf)
	if err := EncodeXSINil(e, xml.StartElement{Name: xml.Name{Local: "p"}}); err != nil {
		t.Fatal(err)
	}
	e.Flush()
	d := xml.NewDecoder(&buf)
	tok, err := d.Token()
	if err != nil {
		t.Fatal(err)
	}
	if !XSINil(tok.(xml.StartElement)) {
		t.Errorf("XSINil false for %v", tok)
	}
	if XSINil(xml.StartElement{}) {
		t.Error("XSINil true for a bare element")
	}
}
