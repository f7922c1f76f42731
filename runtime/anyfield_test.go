package runtime

import (
	"encoding/xml"
	"testing"
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
