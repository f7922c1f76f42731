package impl_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// qualifiedElem is shaped like a generated element type with unqualified
// children (vboxweb's IAppliance_getDisks).
type qualifiedElem struct {
	XMLName xml.Name `xml:"-"`
	This    string   `xml:"_this"`
	Names   []string `xml:"name,omitempty"`
	Mode    *int32   `xml:"mode,attr,omitempty"`
}

func (v qualifiedElem) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	start.Name = xml.Name{Space: "urn:vbox", Local: "getDisks"}
	return impl.EncodeQualifiedStruct(e, start, &v)
}

// The element is written with a prefix, its children in no namespace, as
// the per-method "type plain" version wrote it.
func TestEncodeQualifiedStruct(t *testing.T) {
	mode := int32(3)
	b, err := xml.Marshal(qualifiedElem{This: "obj-1", Names: []string{"a", "b"}, Mode: &mode})
	if err != nil {
		t.Fatal(err)
	}
	want := `<q:getDisks xmlns:q="urn:vbox" xmlns="" mode="3"><_this>obj-1</_this><name>a</name><name>b</name></q:getDisks>`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
	var back struct {
		XMLName xml.Name
		This    string `xml:"_this"`
	}
	if err := xml.Unmarshal(b, &back); err != nil || back.XMLName.Space != "urn:vbox" || back.This != "obj-1" {
		t.Fatalf("decoded %+v, %v", back, err)
	}
}

type embeds struct {
	qualifiedElem
}

func TestEncodeQualifiedStructRefusesWhatItCannotCopy(t *testing.T) {
	var sb strings.Builder
	err := impl.EncodeQualifiedStruct(xml.NewEncoder(&sb), xml.StartElement{Name: xml.Name{Space: "urn:x", Local: "e"}}, &embeds{})
	if err == nil || !strings.Contains(err.Error(), "embedded") {
		t.Fatalf("err = %v", err)
	}
	if err := impl.EncodeQualifiedStruct(xml.NewEncoder(&sb), xml.StartElement{}, embeds{}); err == nil {
		t.Fatal("a non-pointer was accepted")
	}
}
