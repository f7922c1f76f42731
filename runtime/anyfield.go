package runtime

import (
	"bytes"
	"encoding/xml"
	"strings"
)

// The elements of an xsd:any wildcard arrive as a list of XSDAnyType
// (Salesforce Partner records: every field of an sObject but Id and type).
// These accessors find one of them by local name, so reading a field is one
// call instead of a loop: the namespace is left out because a wildcard's
// elements are named by the record, not by the schema, and Salesforce
// writes them all in one namespace.

// AnyElement returns the first element of list whose local name is local.
func AnyElement(list []XSDAnyType, local string) (XSDAnyType, bool) {
	for _, a := range list {
		if a.XMLName.Local == local {
			return a, true
		}
	}
	return XSDAnyType{}, false
}

// AnyText returns the text of the first element of list named local, with
// entities and CDATA resolved: the value of a Salesforce field such as
// Name. An empty or xsi:nil element reads as "". Only the element's own
// character data counts; a nested record (an Owner relationship) is read
// with AnyDecode. ok is false when list has no such element.
func AnyText(list []XSDAnyType, local string) (text string, ok bool) {
	a, ok := AnyElement(list, local)
	if !ok {
		return "", false
	}
	return a.text(), true
}

// AnyDecode decodes the first element of list named local into v (a
// pointer) as XSDAnyType.Decode does, with the namespace prefixes in scope
// where it stood. found is false, and v untouched, when list has no such
// element.
func AnyDecode(list []XSDAnyType, local string, v any) (found bool, err error) {
	a, ok := AnyElement(list, local)
	if !ok {
		return false, nil
	}
	return true, a.Decode(v)
}

// text returns the character data directly inside the element. Inner is
// the element's content as received, so it is well-formed; a prefix it
// uses without declaring (declared on an ancestor) does not matter here,
// since only text is read.
func (a XSDAnyType) text() string {
	if len(a.Inner) == 0 {
		return ""
	}
	if !bytes.ContainsAny(a.Inner, "<&") {
		return string(a.Inner)
	}
	var b strings.Builder
	d := xml.NewDecoder(bytes.NewReader(a.Inner))
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			// io.EOF ends the content. Content the decoder cannot read has
			// no more text to give; the raw XML stays in Inner.
			return b.String()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 {
				b.Write(t)
			}
		}
	}
}
