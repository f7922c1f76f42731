package impl

import (
	"encoding/xml"
	"strings"

	"github.com/wsdlsess/wsdlsess/runtime/internal/hook"
)

const xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"

// XSIType returns the type named by start's xsi:type attribute. The
// namespace is resolved when the prefix is declared on start itself;
// encoding/xml does not expose prefixes declared on ancestors, so it is
// empty then and the xsi:type table (XSITypes) matches on the local name.
func XSIType(start xml.StartElement) (xml.Name, bool) {
	for _, a := range start.Attr {
		if a.Name.Local != "type" || a.Name.Space != xsiNamespace {
			continue
		}
		prefix, local, ok := strings.Cut(strings.TrimSpace(a.Value), ":")
		if !ok {
			return xml.Name{Local: prefix}, true
		}
		for _, d := range start.Attr {
			if d.Name.Space == "xmlns" && d.Name.Local == prefix {
				return xml.Name{Space: d.Value, Local: local}, true
			}
		}
		return xml.Name{Local: local}, true
	}
	return xml.Name{}, false
}

// EncodeXSIType writes v as the element start, with an xsi:type attribute
// naming typ, so the receiver decodes the concrete type.
func EncodeXSIType(e *xml.Encoder, start xml.StartElement, v any, typ xml.Name) error {
	attrs := make([]xml.Attr, 0, len(start.Attr)+3)
	for _, a := range start.Attr {
		if a.Name.Space == xsiNamespace && a.Name.Local == "type" {
			continue
		}
		attrs = append(attrs, a)
	}
	value := typ.Local
	// Written as literal prefixed names: encoding/xml would otherwise
	// invent its own prefixes and could not put one inside a value.
	attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "xmlns:xsi"}, Value: xsiNamespace})
	if typ.Space != "" {
		attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "xmlns:xt"}, Value: typ.Space})
		value = "xt:" + typ.Local
	}
	attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "xsi:type"}, Value: value})
	start.Attr = attrs
	return e.EncodeElement(v, start)
}

// EncodeQualified writes v as the element start using a prefix for start's
// namespace instead of a default namespace declaration. encoding/xml puts a
// namespaced element's namespace in xmlns="…", which its unqualified
// children (elementFormDefault="unqualified", rpc/literal parts) would then
// inherit on the wire; with a prefix they stay in no namespace. v must not
// name itself (no XMLName tag), so start's name is used.
func EncodeQualified(e *xml.Encoder, start xml.StartElement, v any) error {
	if start.Name.Space == "" {
		return e.EncodeElement(v, start)
	}
	attrs := make([]xml.Attr, 0, len(start.Attr)+2)
	// xmlns="" also undoes a default namespace declared by an ancestor.
	attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "xmlns:q"}, Value: start.Name.Space}, xml.Attr{Name: xml.Name{Local: "xmlns"}, Value: ""})
	attrs = append(attrs, start.Attr...)
	start.Attr = attrs
	start.Name = xml.Name{Local: "q:" + start.Name.Local}
	return e.EncodeElement(v, start)
}

// XSINil reports whether start carries xsi:nil="true" (or "1").
func XSINil(start xml.StartElement) bool {
	for _, a := range start.Attr {
		if a.Name.Space == xsiNamespace && a.Name.Local == "nil" {
			v := strings.TrimSpace(a.Value)
			return v == "true" || v == "1"
		}
	}
	return false
}

// EncodeXSINil writes start as an empty element with xsi:nil="true".
func EncodeXSINil(e *xml.Encoder, start xml.StartElement) error {
	start.Attr = append(start.Attr[:len(start.Attr):len(start.Attr)],
		xml.Attr{Name: xml.Name{Local: "xmlns:xsi"}, Value: xsiNamespace},
		xml.Attr{Name: xml.Name{Local: "xsi:nil"}, Value: "true"})
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	return e.EncodeToken(start.End())
}

// MarkXSINil records that v, a pointer to a generated struct, was decoded
// from an element with xsi:nil="true". encoding/xml allocates the field's
// value before any method of it runs, so the method cannot leave the
// field nil; when the runtime decoded the enclosing response, it sets the
// field that holds v back to nil once the decode ends, so nil means
// xsi:nil (or absent) and a non-nil pointer a value. Outside a runtime
// decode (a plain xml.Unmarshal) it does nothing and v stays an empty
// value. Generated UnmarshalXML methods call it.
func MarkXSINil(d *xml.Decoder, v any) {
	// Unset when package runtime is not linked in (a generated package of
	// types only): then no decode is the runtime's.
	if mark := hook.MarkXSINil; mark != nil {
		mark(d, v)
	}
}
