package impl

import (
	"bytes"
	"encoding/xml"
	"testing"
)

// Without package runtime linked in (this test binary does not import
// it), the functions it implements degrade instead of panicking:
// MarkXSINil marks nothing, EncodeSOAPEnc fails.
func TestWithoutRuntime(t *testing.T) {
	type item struct{ X int }
	var v struct {
		Item *item `xml:"item"`
	}
	d := xml.NewDecoder(bytes.NewReader([]byte(`<r><item/></r>`)))
	MarkXSINil(d, &item{})
	if err := d.Decode(&v); err != nil || v.Item == nil {
		t.Fatalf("decode: %v, %+v", err, v)
	}
	var buf bytes.Buffer
	err := EncodeSOAPEnc(xml.NewEncoder(&buf), xml.StartElement{Name: xml.Name{Local: "op"}}, &struct{}{}, NewSOAPEnc())
	if err == nil {
		t.Error("EncodeSOAPEnc without runtime: no error")
	}
}
