package generator

import "github.com/dave/jennifer/jen"

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

// emitSoapEnc writes the declaration of soapEncVar.
func emitSoapEnc(f *jen.File, n *names) {
	f.Add(commentLines(soapEncVar + " names the XML Schema types of the values of the rpc/encoded operations: SOAP encoding writes them on the wire (xsi:type, soapenc:arrayType)."))
	var args []jen.Code
	for _, t := range encodedTypes(n) {
		if t.arrayItem != nil {
			args = append(args, jen.Line().Qual(implPkg, "EncArrayOf").Types(jen.Id(n.typ(t))).Call(jen.Lit(t.qname.Space), jen.Lit(t.qname.Local), jen.Lit(t.arrayItem.Space), jen.Lit(t.arrayItem.Local)))
			continue
		}
		args = append(args, jen.Line().Qual(implPkg, "EncTypeOf").Types(jen.Id(n.typ(t))).Call(jen.Lit(t.qname.Space), jen.Lit(t.qname.Local)))
	}
	if len(args) > 0 {
		args = append(args, jen.Line())
	}
	f.Var().Id(soapEncVar).Op("=").Qual(implPkg, "NewSOAPEnc").Custom(jen.Options{Open: "(", Close: ")", Separator: ","}, args...)
}

// marshalEncoded writes an rpc/encoded wrapper's MarshalXML.
func marshalEncoded(f *jen.File, n *names, t *goType) {
	// One line, as the generated code has always had it (docLines would
	// wrap it at 80 columns).
	f.Comment("MarshalXML writes the rpc/encoded wrapper: soap:encodingStyle, and xsi:type on every value.")
	f.Func().Params(jen.Id("v").Id(n.typ(t))).Id("MarshalXML").Params(jen.Id("e").Op("*").Qual("encoding/xml", "Encoder"), jen.Id("start").Qual("encoding/xml", "StartElement")).Error().Block(
		jen.Type().Id("plain").Id(n.typ(t)),
		jen.Id("start").Dot("Name").Op("=").Add(qnameLit(*t.xmlName)),
		jen.Return(jen.Qual(implPkg, "EncodeSOAPEnc").Call(jen.Id("e"), jen.Id("start"), jen.Id("plain").Call(jen.Id("v")), jen.Id(soapEncVar))),
	)
}
