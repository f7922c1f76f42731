// Package xmltag reads the xml struct tags of generated types the way
// encoding/xml does, for the runtime's decoder (xmldec) and encoder
// (xmlenc), which must agree with encoding/xml and with each other on
// every field.
package xmltag

import (
	"reflect"
	"strings"
)

// Mode is what a field is on the wire.
type Mode uint8

const (
	Elem     Mode = iota // a child element (no flag)
	Attr                 // ",attr"
	AnyAttr              // ",any,attr": the attributes no other field takes
	CharData             // ",chardata"
	InnerXML             // ",innerxml"
	Any                  // ",any": the child elements no other field takes
)

// Tag is one field's tag: "ns name,flags".
type Tag struct {
	NS, Name  string
	Mode      Mode
	OmitEmpty bool
}

// Parse reads tag (the value of the field's `xml` key). ok is false for
// what both codecs leave to encoding/xml: "cdata", "comment" or unknown
// flags, flags that do not go together, "a>b" paths and a namespace
// without a name.
func Parse(tag string) (t Tag, ok bool) {
	if ns, rest, found := strings.Cut(tag, " "); found {
		t.NS, tag = ns, rest
	}
	tokens := strings.Split(tag, ",")
	t.Name = tokens[0]
	set := ""
	for _, flag := range tokens[1:] {
		switch flag {
		case "attr", "chardata", "innerxml", "any":
			switch {
			case set == "":
				set = flag
			case set == "any" && flag == "attr" || set == "attr" && flag == "any":
				set = "any,attr"
			default:
				return Tag{}, false
			}
		case "omitempty":
			t.OmitEmpty = true
		default:
			return Tag{}, false
		}
	}
	switch set {
	case "attr":
		t.Mode = Attr
	case "any,attr":
		t.Mode = AnyAttr
	case "chardata":
		t.Mode = CharData
	case "innerxml":
		t.Mode = InnerXML
	case "any":
		t.Mode = Any
	}
	if strings.Contains(t.Name, ">") || t.NS != "" && t.Name == "" {
		return Tag{}, false
	}
	return t, true
}

// NamedByType reports whether t (through pointers) is a struct whose
// XMLName field names its element, which encoding/xml then checks
// against the name of a field of that type.
func NamedByType(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return false
	}
	f, ok := t.FieldByName("XMLName")
	if !ok {
		return false
	}
	tag := f.Tag.Get("xml")
	if _, rest, ok := strings.Cut(tag, " "); ok {
		tag = rest
	}
	name, _, _ := strings.Cut(tag, ",")
	return name != "" && name != "-"
}
