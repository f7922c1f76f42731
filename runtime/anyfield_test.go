package runtime

import (
	"bytes"
	"encoding/xml"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// AnyText reads only the element's own character data, resolving
// entities and CDATA; the first element of a name wins.
func TestAnyText(t *testing.T) {
	list := []XSDAnyType{
		{XMLName: xml.Name{Space: sfNS, Local: "Name"}, Inner: []byte("Smith &amp; Sons<![CDATA[ <Ltd>]]>")},
		{XMLName: xml.Name{Space: sfNS, Local: "Name"}, Inner: []byte("second")},
		{XMLName: xml.Name{Space: sfNS, Local: "Plain"}, Inner: []byte("as is")},
		{XMLName: xml.Name{Space: sfNS, Local: "Owner"}, Inner: []byte("<sf:Name>Jane</sf:Name>")},
		{XMLName: xml.Name{Space: sfNS, Local: "Phone"}},
	}
	for _, c := range []struct {
		local, want string
		ok          bool
	}{
		{"Name", "Smith & Sons <Ltd>", true},
		{"Plain", "as is", true},
		{"Owner", "", true},
		{"Phone", "", true},
		{"name", "", false},
		{"Missing", "", false},
	} {
		got, ok := AnyText(list, c.local)
		if got != c.want || ok != c.ok {
			t.Errorf("AnyText(%q) = %q, %v; want %q, %v", c.local, got, ok, c.want, c.ok)
		}
	}
}

// AnyDecode finds the element and decodes it with its recorded scope; a
// missing element leaves v untouched.
func TestAnyDecode(t *testing.T) {
	list := decodeNested(t)
	var o ownerRecord
	found, err := AnyDecode(list, "Owner", &o)
	if err != nil || !found || o != (ownerRecord{Type: "User", Name: "Jane Roe"}) {
		t.Fatalf("AnyDecode(Owner) = %v, %v, %+v", found, err, o)
	}
	o = ownerRecord{Name: "kept"}
	found, err = AnyDecode(list, "Account", &o)
	if found || err != nil || o.Name != "kept" {
		t.Errorf("AnyDecode(Account) = %v, %v, %+v; want not found and v untouched", found, err, o)
	}
	if name, _ := AnyText(list, "Name"); name != "Acme" {
		t.Errorf("AnyText(Name) on a decoded record = %q, want Acme", name)
	}
}

// A wildcard element named <sf:0000> reads (the qualified name starts
// with a letter) but written with its local name alone is no XML: the
// encoder refuses it instead of writing a request that does not parse.
func TestXSDAnyTypeRefusesNonXMLName(t *testing.T) {
	for _, a := range []XSDAnyType{
		{XMLName: xml.Name{Space: "urn:sobject.partner.soap.sforce.com", Local: "0000"}},
		{XMLName: xml.Name{Local: "Name"}, Attrs: []xml.Attr{{Name: xml.Name{Local: "-x"}, Value: "v"}}},
	} {
		if b, err := xml.Marshal(a); err == nil {
			t.Errorf("%v: wrote %s, want an error", a.XMLName, b)
		}
	}
	if _, err := xml.Marshal(XSDAnyType{XMLName: xml.Name{Local: "Name_1.x-é"}, Inner: []byte("a")}); err != nil {
		t.Errorf("a valid name refused: %v", err)
	}
}

// The request encoder refuses it too, as an error of the call.
func TestRequestRefusesNonXMLWildcardName(t *testing.T) {
	type rec struct {
		XMLName xml.Name     `xml:"urn:x rec"`
		Any     []XSDAnyType `xml:",any"`
	}
	for _, fast := range []bool{true, false} {
		noXMLEnc.Store(!fast)
		var buf bytes.Buffer
		env := envelope{version: impl.SOAP11, body: rec{Any: []XSDAnyType{{XMLName: xml.Name{Space: "urn:x", Local: "0000"}}}}}
		if err := env.write(&buf); err == nil {
			t.Errorf("xmlenc=%v: wrote %s, want an error", fast, buf.Bytes())
		}
	}
	noXMLEnc.Store(false)
}
