package generator

import (
	"encoding/xml"
	"strconv"

	"github.com/dave/jennifer/jen"
)

// fieldKind says how encoding/xml maps a struct field to XML.
type fieldKind int

const (
	fElem     fieldKind = iota // a child element named xmlName
	fAttr                      // an attribute named xmlName
	fText                      // the element's character data
	fAny                       // the child elements no other field takes: xsd:any, a repeated choice's items, a substitution group's members
	fAnyAttr                   // the attributes no other field takes (xsd:anyAttribute)
	fInnerXML                  // the element's whole content as raw XML
	fOther                     // left to the type's own methods (a choice item's element of none of its alternatives)
)

// xmlTag is the value of the field's xml struct tag: the one place the
// field's XML mapping is spelled as text.
func (f *goField) xmlTag() string {
	var tag string
	switch f.kind {
	case fElem:
		tag = tagName(f.xmlName)
	case fAttr:
		tag = tagName(f.xmlName) + ",attr"
	case fText:
		tag = ",chardata"
	case fAny:
		tag = ",any"
	case fAnyAttr:
		tag = ",any,attr"
	case fInnerXML:
		tag = ",innerxml"
	case fOther:
		return "-"
	}
	if f.omitempty {
		tag += ",omitempty"
	}
	return tag
}

// xmlStructTag is the struct tag `xml:"v"`, written as jennifer's Tag
// writes a map of one key. Tag sorts the map's keys and formats each pair
// with fmt, for every field: about a tenth of a schema-heavy WSDL's
// generation (EWS). One key needs neither, and jennifer writes the tag's
// text as it stands.
func xmlStructTag(v string) jen.Code {
	tag := "xml:" + strconv.Quote(v)
	if strconv.CanBackquote(tag) {
		return jen.Op("`" + tag + "`")
	}
	return jen.Op(strconv.Quote(tag))
}

// tagName is an XML name as encoding/xml tags write it: "space local".
func tagName(n xml.Name) string {
	if n.Space != "" {
		return n.Space + " " + n.Local
	}
	return n.Local
}

// isAttr reports whether the field maps an attribute or the attribute
// wildcard.
func (f *goField) isAttr() bool { return f.kind == fAttr || f.kind == fAnyAttr }

// isUnqualifiedElem reports whether the field is a child element in no
// namespace.
func (f *goField) isUnqualifiedElem() bool {
	return f.kind == fElem && f.xmlName.Space == "" && f.xmlName.Local != ""
}

// fieldXML reports whether f is an attribute, the text of a simple-content
// type, or an element, and its XML local name ("" for text, wildcards and
// raw XML).
func fieldXML(f *goField) (local string, attr, text bool) {
	switch f.kind {
	case fElem:
		return f.xmlName.Local, false, false
	case fAttr:
		return f.xmlName.Local, true, false
	case fText:
		return "", false, true
	}
	return "", false, false
}
