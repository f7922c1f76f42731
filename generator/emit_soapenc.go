package generator

import (
	"fmt"
	"strconv"
	"strings"
)

// soapEncVar is the generated variable listing the XML Schema types of the
// rpc/encoded operations (impl.SOAPEnc); lower case, so no generated
// type name can take it.
const soapEncVar = "soapEncTypes"

// hasEncoded reports whether some operation of m is rpc/encoded.
func hasEncoded(m *model) bool {
	for _, t := range m.types {
		if t.encoded {
			return true
		}
	}
	return false
}

// encodedTypes lists, in emit order (by Go name), the named XML Schema
// types a value of an rpc/encoded wrapper may hold: on the wire each such
// value names its type with xsi:type, and a SOAP array its item type.
func encodedTypes(n *names) []*goType {
	seen := map[*goType]bool{}
	var stack []*goType
	for _, t := range n.order {
		if t.encoded {
			seen[t] = true
			stack = append(stack, t)
		}
	}
	visit := func(r ref) {
		if r.t != nil && !seen[r.t] {
			seen[r.t] = true
			stack = append(stack, r.t)
		}
	}
	for len(stack) > 0 {
		t := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, f := range fieldsOf(t) {
			visit(f.typ)
			for _, a := range f.alts {
				visit(a.typ)
			}
			if f.subst != nil {
				visit(f.subst.typ)
			}
		}
		visit(t.under)
		for _, x := range append(append([]*goType{t.base, t.holder}, t.concrete...), t.members...) {
			if x != nil {
				visit(ref{t: x})
			}
		}
	}
	var out []*goType
	for _, t := range n.order {
		if !seen[t] || t.encoded || t.qname.Local == "" || t.xmlName != nil {
			continue
		}
		if t.kind == kStruct || t.kind == kSimple && !t.list {
			out = append(out, t)
		}
	}
	return out
}

// emitSoapEnc is the declaration of soapEncVar.
func emitSoapEnc(n *names) rawDecl {
	var b strings.Builder
	for _, l := range docLines(soapEncVar + " names the XML Schema types of the values of the rpc/encoded operations: SOAP encoding writes them on the wire (xsi:type, soapenc:arrayType).") {
		b.WriteString("// " + l + "\n")
	}
	fmt.Fprintf(&b, "var %s = impl.NewSOAPEnc(", soapEncVar)
	ts := encodedTypes(n)
	for _, t := range ts {
		if t.arrayItem != nil {
			fmt.Fprintf(&b, "\n\timpl.EncArrayOf[%s](%s, %s, %s, %s),", n.typ(t), strconv.Quote(t.qname.Space), strconv.Quote(t.qname.Local), strconv.Quote(t.arrayItem.Space), strconv.Quote(t.arrayItem.Local))
			continue
		}
		fmt.Fprintf(&b, "\n\timpl.EncTypeOf[%s](%s, %s),", n.typ(t), strconv.Quote(t.qname.Space), strconv.Quote(t.qname.Local))
	}
	if len(ts) > 0 {
		b.WriteString("\n")
	}
	b.WriteString(")\n")
	return rawDecl{text: b.String(), imports: []string{implPkg}}
}

// marshalEncoded is an rpc/encoded wrapper's MarshalXML.
func marshalEncoded(n *names, t *goType) rawDecl {
	var b strings.Builder
	b.WriteString("// MarshalXML writes the rpc/encoded wrapper: soap:encodingStyle, and xsi:type on every value.\n")
	fmt.Fprintf(&b, "func (v %s) MarshalXML(e *xml.Encoder, start xml.StartElement) error {\n\ttype plain %s\n", n.typ(t), n.typ(t))
	fmt.Fprintf(&b, "\tstart.Name = xml.Name{Space: %s, Local: %s}\n", strconv.Quote(t.xmlName.Space), strconv.Quote(t.xmlName.Local))
	fmt.Fprintf(&b, "\treturn impl.EncodeSOAPEnc(e, start, plain(v), %s)\n}\n", soapEncVar)
	return rawDecl{text: b.String(), imports: []string{"encoding/xml", implPkg}}
}
