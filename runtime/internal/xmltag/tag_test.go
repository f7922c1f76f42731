package xmltag

import (
	"encoding/xml"
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		tag  string
		want Tag
		ok   bool
	}{
		{"", Tag{}, true},
		{"name", Tag{Name: "name"}, true},
		{"urn:x name,omitempty", Tag{NS: "urn:x", Name: "name", OmitEmpty: true}, true},
		{"id,attr", Tag{Name: "id", Mode: Attr}, true},
		{",any,attr", Tag{Mode: AnyAttr}, true},
		{",attr,any", Tag{Mode: AnyAttr}, true},
		{",chardata", Tag{Mode: CharData}, true},
		{",innerxml", Tag{Mode: InnerXML}, true},
		{",any", Tag{Mode: Any}, true},
		{",cdata", Tag{}, false},
		{",comment", Tag{}, false},
		{",chardata,attr", Tag{}, false},
		{",bogus", Tag{}, false},
		{"a>b", Tag{}, false},
		{"urn:x ,attr", Tag{}, false},
	} {
		got, ok := Parse(c.tag)
		if ok != c.ok || got != c.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v, %v", c.tag, got, ok, c.want, c.ok)
		}
	}
}

func TestNamedByType(t *testing.T) {
	type named struct {
		XMLName xml.Name `xml:"urn:x thing"`
	}
	type skipped struct {
		XMLName xml.Name `xml:"-"`
	}
	type unnamed struct {
		XMLName xml.Name
	}
	for _, c := range []struct {
		t    reflect.Type
		want bool
	}{
		{reflect.TypeFor[named](), true},
		{reflect.TypeFor[**named](), true},
		{reflect.TypeFor[skipped](), false},
		{reflect.TypeFor[unnamed](), false},
		{reflect.TypeFor[string](), false},
	} {
		if got := NamedByType(c.t); got != c.want {
			t.Errorf("NamedByType(%v) = %v", c.t, got)
		}
	}
}
