package generator

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
)

// describe is the fallback doc comment of a type (after its name).
func describe(n *names, t *goType) string {
	switch {
	case t.kind == kChoice:
		return "is one item of a repeated choice: exactly one field is set."
	case t.kind == kSubst:
		return fmt.Sprintf("holds one element of the substitution group of {%s}%s, decoded by its element name.", t.qname.Space, t.qname.Local)
	case t.kind == kPoly:
		return fmt.Sprintf("holds %s %s or any type derived from it; on the wire the concrete type is named by xsi:type.", article(n.typ(t.base)), n.typ(t.base))
	case t.xmlName != nil && t.qname.Local != "":
		return fmt.Sprintf("is the element {%s}%s.", t.xmlName.Space, t.xmlName.Local)
	case t.qname.Local != "":
		return fmt.Sprintf("is the XML Schema type {%s}%s.", t.qname.Space, t.qname.Local)
	}
	return "is an anonymous XML Schema type."
}

// emitTypes writes types.go: every struct, simple type, enum constant
// block and polymorphic holder, sorted by Go name.
// It returns one unit per type (see emit).
func emitTypes(g *gen) []unit {
	m, n := g.m, g.n
	used := usedChoices(m)
	holders := usedHolders(m, used)
	var units []unit
	if hasEncoded(m) {
		units = append(units, jenUnit(func(f *jen.File) { emitSoapEnc(f, n) }))
	}
	for _, t := range n.order {
		if t.kind == kChoice && !used[t] {
			continue // its struct fell back to a slice per alternative
		}
		if t.kind == kPoly && !holders[t] {
			continue // no field holds it: its interface would be dead weight
		}
		units = append(units, jenUnit(func(f *jen.File) { emitType(f, g, t, holders) }))
		if t.encoded {
			units = append(units, jenUnit(func(f *jen.File) { marshalEncoded(f, n, t) }))
		} else if t.kind == kStruct && qualifiedMarshal(m, t) {
			units = append(units, jenUnit(func(f *jen.File) { marshalQualified(f, n, t) }))
		}
	}
	if table := xsiTable(n, holders); len(table) > 0 {
		units = append(units, jenUnit(func(f *jen.File) { xsiTableDecl(f, n, table) }))
		var written []*goType
		for _, t := range n.order {
			if t.kind == kPoly && holders[t] {
				written = append(written, t)
			}
		}
		if len(written) > 0 {
			units = append(units, jenUnit(func(f *jen.File) { xsiHoldersDecl(f, n, written) }))
		}
	}
	var nils []*goType
	for _, t := range m.types {
		if t.kind == kStruct && t.nilTarget {
			nils = append(nils, t)
		}
	}
	slices.SortFunc(nils, func(a, b *goType) int { return strings.Compare(n.typ(a), n.typ(b)) })
	if len(nils) > 0 {
		units = append(units, jenUnit(func(f *jen.File) { nilTargetsDecl(f, n, nils) }))
	}
	return units
}

// nilTargetsDecl registers the structs whose UnmarshalXML only reads
// xsi:nil (see emitType), so the runtime decodes them without
// encoding/xml.
func nilTargetsDecl(f *jen.File, n *names, types []*goType) {
	f.Comment("The structs whose UnmarshalXML reads xsi:nil as no value and is otherwise")
	f.Comment("the plain decode: the runtime decodes them itself.")
	f.Var().Id("_").Op("=").Qual(implPkg, "NilTargets").Custom(jen.Options{Open: "(", Close: ")", Separator: ","}, nilPointers(n, types)...)
}

// nilPointers are (*T)(nil) for each type, one a line.
func nilPointers(n *names, types []*goType) []jen.Code {
	var out []jen.Code
	for _, t := range types {
		out = append(out, jen.Line().Parens(jen.Op("*").Id(n.typ(t))).Call(jen.Nil()))
	}
	return append(out, jen.Line())
}

// xsiTypesVar is the generated package's table of the types an xsi:type
// may name (impl.XSITypes).
const xsiTypesVar = "xsiTypes"

// xsiTable lists the structs some written polymorphic holder may decode,
// in emit order (names.order).
func xsiTable(n *names, holders map[*goType]bool) []*goType {
	var out []*goType
	for _, t := range n.order {
		if t.kind == kStruct && slices.ContainsFunc(t.bases, func(h *goType) bool { return holders[h] }) {
			out = append(out, t)
		}
	}
	return out
}

// usedHolders lists the polymorphic holders a written type has a field
// of. Only those are written, and a struct implements only their
// interfaces: each is one marker method per type derived from its base,
// and the real vSphere API has 297 holders (5,738 marker methods) of
// which fields use 105, DynamicData's alone being 1,745 markers no field
// needs.
func usedHolders(m *model, choices map[*goType]bool) map[*goType]bool {
	out := map[*goType]bool{}
	var visit func(fs []*goField)
	visit = func(fs []*goField) {
		for _, f := range fs {
			if f.typ.t != nil && f.typ.t.kind == kPoly {
				out[f.typ.t] = true
			}
			visit(f.alts)
			if f.subst != nil {
				visit([]*goField{f.subst})
			}
		}
	}
	for _, t := range m.types {
		if t.kind == kStruct || t.kind == kChoice && choices[t] {
			visit(fieldsOf(t))
		}
	}
	return out
}

// xsiTableDecl writes the xsiTypes variable: one row per type, and
// vSphere has 2,336.
func xsiTableDecl(f *jen.File, n *names, table []*goType) {
	f.Comment(xsiTypesVar + " maps each type an xsi:type attribute may name to its Go type, for")
	f.Comment("the MarshalXML and UnmarshalXML of every polymorphic holder.")
	var rows []jen.Code
	for _, t := range table {
		rows = append(rows, jen.Line().Values(jen.Id("Name").Op(":").Add(qnameLit(t.qname)), jen.Id("Type").Op(":").Parens(jen.Op("*").Id(n.typ(t))).Call(jen.Nil())))
	}
	rows = append(rows, jen.Line())
	f.Var().Id(xsiTypesVar).Op("=").Qual(implPkg, "NewXSITypes").Call(jen.Index().Qual(implPkg, "XSITypeEntry").Custom(jen.Options{Open: "{", Close: "}", Separator: ","}, rows...))
}

// xsiHoldersDecl registers the polymorphic holders with the table their
// MarshalXML writes through, so the runtime writes them itself.
func xsiHoldersDecl(f *jen.File, n *names, holders []*goType) {
	f.Comment("The polymorphic holders, whose MarshalXML is xsiTypes.Encode: the runtime")
	f.Comment("writes them itself.")
	f.Var().Id("_").Op("=").Id(xsiTypesVar).Dot("Holders").Custom(jen.Options{Open: "(", Close: ")", Separator: ","}, nilPointers(n, holders)...)
}

// qualifiedMarshal reports whether struct t needs a MarshalXML that
// writes its element with a prefix: an element of it has a namespace and
// it has unqualified children, which a default namespace would capture.
func qualifiedMarshal(m *model, t *goType) bool {
	return m.namespaced[t] && hasUnqualifiedChild(fieldsOf(t))
}

// marshalQualified writes t's MarshalXML (see qualifiedMarshal): vboxweb
// has 1,994 of them.
func marshalQualified(f *jen.File, n *names, t *goType) {
	f.Add(commentLines("MarshalXML keeps the unqualified child elements in no namespace on the wire."))
	var body []jen.Code
	if t.xmlName != nil {
		body = append(body, jen.Id("start").Dot("Name").Op("=").Add(qnameLit(*t.xmlName)))
	}
	// No "type plain T" and a pointer receiver: a type per method, and a
	// value method's pointer wrapper, were most of the build of a
	// package with thousands of these (impl.EncodeQualifiedStruct).
	body = append(body, jen.Return(jen.Qual(implPkg, "EncodeQualifiedStruct").Call(jen.Id("e"), jen.Id("start"), jen.Id("v"))))
	f.Func().Params(jen.Id("v").Op("*").Id(n.typ(t))).Id("MarshalXML").Params(jen.Id("e").Op("*").Qual("encoding/xml", "Encoder"), jen.Id("start").Qual("encoding/xml", "StartElement")).Error().Block(body...)
}

// emitType writes t's declaration and its methods.
func emitType(f *jen.File, g *gen, t *goType, holders map[*goType]bool) {
	n := g.n
	f.Add(comment(n.typ(t), t.doc, describe(n, t)))
	switch t.kind {
	case kStruct:
		var fields []jen.Code
		prefixed := qualifiedMarshal(g.m, t) || t.encoded
		if t.xmlName != nil {
			tag := tagName(*t.xmlName)
			if prefixed {
				// MarshalXML names the element; a tag would override it.
				tag = "-"
			}
			fields = append(fields, jen.Id("XMLName").Qual("encoding/xml", "Name").Add(xmlStructTag(tag)))
		}
		for _, fd := range fieldsOf(t) {
			st := jen.Id(n.field(fd)).Add(n.typeCode(fd.typ)).Add(xmlStructTag(fd.xmlTag()))
			if d := strings.TrimSpace(fd.doc); d != "" {
				text := strings.ReplaceAll(cleanDoc(d), "\n", " ")
				if !strings.HasPrefix(text, n.field(fd)+" ") {
					text = n.field(fd) + ": " + text
				}
				fields = append(fields, commentLines(text))
			}
			fields = append(fields, st)
		}
		f.Type().Id(n.typ(t)).Struct(fields...)
		if t.bodyParts {
			emitBodyParts(f, n, t)
		}
		if t.nilTarget {
			// encoding/xml allocates a pointer field before any method of
			// its value runs: only the runtime, after the decode, can set
			// it back to nil.
			f.Add(commentLines("UnmarshalXML reads an element with xsi:nil=\"true\" as no value: in a response the runtime decodes, the field that holds it is left nil."))
			f.Func().Params(jen.Id("v").Op("*").Id(n.typ(t))).Id("UnmarshalXML").Params(jen.Id("d").Op("*").Qual("encoding/xml", "Decoder"), jen.Id("start").Qual("encoding/xml", "StartElement")).Error().Block(
				jen.If(jen.Qual(implPkg, "XSINil").Call(jen.Id("start"))).Block(
					jen.Qual(implPkg, "MarkXSINil").Call(jen.Id("d"), jen.Id("v")),
					jen.Return(jen.Id("d").Dot("Skip").Call()),
				),
				jen.Type().Id("plain").Id(n.typ(t)),
				jen.Return(jen.Id("d").Dot("DecodeElement").Call(jen.Parens(jen.Op("*").Id("plain")).Call(jen.Id("v")), jen.Op("&").Id("start"))),
			)
		}
		for _, h := range t.bases {
			if holders[h] {
				f.Func().Params(jen.Op("*").Id(n.typ(t))).Id("is" + n.typ(h.base)).Params().Block()
			}
		}
	case kSimple:
		f.Type().Id(n.typ(t)).Add(n.typeCode(t.under))
		if len(t.enums) > 0 {
			var cs []jen.Code
			ub := underBuiltin(t)
			lit := litString
			if ub != nil {
				lit = ub.kind
			}
			for _, e := range t.enums {
				var v jen.Code = jen.Lit(e.value)
				if lit == litInt {
					n, ok := intLiteral(e.value, ub.ident)
					if !ok {
						continue // out of range for the Go type: no constant
					}
					v = jen.Id(n)
				}
				cs = append(cs, jen.Id(n.enum(e)).Id(n.typ(t)).Op("=").Add(v))
			}
			if t.list {
				doc := fmt.Sprintf("Items of %s, a space-separated list.", n.typ(t))
				if len(t.enums) >= 2 {
					doc = fmt.Sprintf("Items of %s, a space-separated list: %s + \" \" + %s is a value of two.", n.typ(t), n.enum(t.enums[0]), n.enum(t.enums[1]))
				}
				f.Add(commentLines(doc))
			} else {
				f.Add(commentLines(fmt.Sprintf("Values of %s.", n.typ(t))))
			}
			f.Const().Defs(cs...)
		}
	case kAlias:
		f.Type().Id(n.typ(t)).Op("=").Add(n.typeCode(t.under))
	case kSubst:
		emitSubst(f, n, t)
	case kChoice:
		emitChoice(f, n, t)
	case kPoly:
		f.Type().Id(n.typ(t)).Struct(jen.Id("Value").Id(n.iface(t)))
		f.Add(commentLines(fmt.Sprintf("%s is implemented by %s and every type derived from it.", n.iface(t), n.typ(t.base))))
		f.Type().Id(n.iface(t)).Interface(jen.Id("is" + n.typ(t.base)).Params())
		f.Add(commentLines("MarshalXML writes the value with an xsi:type attribute naming its type, or xsi:nil when Value is nil."))
		f.Func().Params(jen.Id("h").Id(n.typ(t))).Id("MarshalXML").Params(jen.Id("e").Op("*").Qual("encoding/xml", "Encoder"), jen.Id("start").Qual("encoding/xml", "StartElement")).Error().Block(
			jen.Return(jen.Id(xsiTypesVar).Dot("Encode").Call(jen.Id("e"), jen.Id("start"), jen.Id("h").Dot("Value"))),
		)
		accept := jen.Func().Params(jen.Id("v").Any()).Bool().Block(
			jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("v").Assert(jen.Id(n.iface(t))),
			jen.Return(jen.Id("ok")),
		)
		f.Add(commentLines(fmt.Sprintf("UnmarshalXML decodes into the type named by xsi:type when it is %s or derived from it, else into %s; xsi:nil leaves Value nil.", n.typ(t.base), n.typ(t.base))))
		f.Func().Params(jen.Id("h").Op("*").Id(n.typ(t))).Id("UnmarshalXML").Params(jen.Id("d").Op("*").Qual("encoding/xml", "Decoder"), jen.Id("start").Qual("encoding/xml", "StartElement")).Error().Block(
			jen.If(jen.Qual(implPkg, "XSINil").Call(jen.Id("start"))).Block(
				jen.Id("h").Dot("Value").Op("=").Nil(),
				jen.Return(jen.Id("d").Dot("Skip").Call()),
			),
			jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Id(xsiTypesVar).Dot("New").Call(jen.Id("start"), accept).Assert(jen.Id(n.iface(t))),
			jen.If(jen.Op("!").Id("ok")).Block(jen.Id("v").Op("=").New(jen.Id(n.typ(t.base)))),
			jen.If(jen.Err().Op(":=").Id("d").Dot("DecodeElement").Call(jen.Id("v"), jen.Op("&").Id("start")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			jen.Id("h").Dot("Value").Op("=").Id("v"),
			jen.Return(jen.Nil()),
		)
	}
}

// hasUnqualifiedChild reports whether a struct has a child element in no
// namespace (not an attribute, text, wildcard or raw XML field).
func hasUnqualifiedChild(fs []*goField) bool {
	for _, f := range fs {
		if f.isUnqualifiedElem() {
			return true
		}
		// A repeated choice's items are children of this struct too.
		if f.typ.t != nil && f.typ.t.kind == kChoice && hasUnqualifiedChild(f.typ.t.fields) {
			return true
		}
	}
	return false
}

// intLiteral normalises an XSD integer enumeration value ("+007") to a Go
// literal ("7") if it fits the Go type ident.
func intLiteral(v, ident string) (string, bool) {
	v = strings.TrimPrefix(strings.TrimSpace(v), "+")
	bits := map[string]int{"int8": 8, "int16": 16, "int32": 32, "int64": 64, "uint8": 8, "uint16": 16, "uint32": 32, "uint64": 64}[ident]
	if bits == 0 {
		return "", false
	}
	if strings.HasPrefix(ident, "u") {
		n, err := strconv.ParseUint(v, 10, bits)
		return strconv.FormatUint(n, 10), err == nil
	}
	n, err := strconv.ParseInt(v, 10, bits)
	return strconv.FormatInt(n, 10), err == nil
}

// underBuiltin follows a simple type's chain of restrictions to its
// builtin.
func underBuiltin(t *goType) *builtin {
	for i := 0; t != nil && i < 64; i++ {
		if t.under.b != nil {
			return t.under.b
		}
		t = t.under.t
	}
	return nil
}

// emitSubst writes a substitution group holder: Value is a pointer to the
// member's element type (or raw XML for an element the WSDL does not
// declare), chosen by the element's name.
func emitSubst(f *jen.File, n *names, t *goType) {
	f.Type().Id(n.typ(t)).Struct(jen.Id("Value").Any())
	f.Add(commentLines("MarshalXML writes the member element Value holds, under its own name."))
	f.Func().Params(jen.Id("h").Id(n.typ(t))).Id("MarshalXML").Params(jen.Id("e").Op("*").Qual("encoding/xml", "Encoder"), jen.Id("start").Qual("encoding/xml", "StartElement")).Error().Block(
		jen.If(jen.Id("h").Dot("Value").Op("==").Nil()).Block(jen.Return(jen.Nil())),
		jen.Return(jen.Id("e").Dot("Encode").Call(jen.Id("h").Dot("Value"))),
	)
	var cases []jen.Code
	for _, m := range t.members {
		cases = append(cases, jen.Case(qnameLit(*m.xmlName)).Block(jen.Id("v").Op("=").New(jen.Id(n.typ(m)))))
	}
	cases = append(cases, jen.Default().Block(jen.Id("v").Op("=").New(jen.Qual(runtimePkg, "XSDAnyType"))))
	f.Add(commentLines("UnmarshalXML decodes the element into its member type by name, or keeps it as raw XML."))
	f.Func().Params(jen.Id("h").Op("*").Id(n.typ(t))).Id("UnmarshalXML").Params(jen.Id("d").Op("*").Qual("encoding/xml", "Decoder"), jen.Id("start").Qual("encoding/xml", "StartElement")).Error().Block(
		jen.Var().Id("v").Any(),
		jen.Switch(jen.Id("start").Dot("Name")).Block(cases...),
		jen.If(jen.Err().Op(":=").Id("d").Dot("DecodeElement").Call(jen.Id("v"), jen.Op("&").Id("start")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Id("h").Dot("Value").Op("=").Id("v"),
		jen.Return(jen.Nil()),
	)
}

// emitChoice writes one item of a repeated choice: a pointer per
// alternative, written and read by element name so document order
// survives in the slice that holds the items.
func emitChoice(f *jen.File, n *names, t *goType) {
	var fields []jen.Code
	var mcases, ucases []jen.Code
	var other *goField
	for _, fd := range t.fields {
		if fd.doc != "" {
			fields = append(fields, commentLines(fd.doc))
		}
		fields = append(fields, jen.Id(n.field(fd)).Add(n.typeCode(fd.typ)).Add(xmlStructTag(fd.xmlTag())))
		if fd.kind == fOther {
			other = fd
			continue
		}
		name := qnameLit(fd.xmlName)
		mcases = append(mcases, jen.Case(jen.Id("v").Dot(n.field(fd)).Op("!=").Nil()).Block(
			jen.Return(jen.Id("e").Dot("EncodeElement").Call(jen.Id("v").Dot(n.field(fd)), jen.Qual("encoding/xml", "StartElement").Values(jen.Id("Name").Op(":").Add(name)))),
		))
		ucases = append(ucases, jen.Case(name).Block(
			jen.Id("v").Dot(n.field(fd)).Op("=").New(n.typeCode(ref{t: fd.typ.t, b: fd.typ.b, nillable: fd.typ.nillable})),
			jen.Return(jen.Id("d").Dot("DecodeElement").Call(jen.Id("v").Dot(n.field(fd)), jen.Op("&").Id("start"))),
		))
	}
	mcases = append(mcases, jen.Case(jen.Id("v").Dot(n.field(other)).Op("!=").Nil()).Block(
		jen.Return(jen.Id("e").Dot("EncodeElement").Call(jen.Id("v").Dot(n.field(other)), jen.Qual("encoding/xml", "StartElement").Values(jen.Id("Name").Op(":").Id("v").Dot(n.field(other)).Dot("XMLName")))),
	))
	f.Type().Id(n.typ(t)).Struct(fields...)
	f.Add(commentLines("MarshalXML writes the alternative that is set, under its own element name."))
	f.Func().Params(jen.Id("v").Id(n.typ(t))).Id("MarshalXML").Params(jen.Id("e").Op("*").Qual("encoding/xml", "Encoder"), jen.Id("_").Qual("encoding/xml", "StartElement")).Error().Block(
		jen.Switch().Block(mcases...),
		jen.Return(jen.Nil()),
	)
	f.Add(commentLines(fmt.Sprintf("UnmarshalXML reads one alternative, chosen by the element's name; an element of none goes to %s.", n.field(other))))
	f.Func().Params(jen.Id("v").Op("*").Id(n.typ(t))).Id("UnmarshalXML").Params(jen.Id("d").Op("*").Qual("encoding/xml", "Decoder"), jen.Id("start").Qual("encoding/xml", "StartElement")).Error().Block(
		jen.Switch(jen.Id("start").Dot("Name")).Block(ucases...),
		jen.Id("v").Dot(n.field(other)).Op("=").New(jen.Qual(runtimePkg, "XSDAnyType")),
		jen.Return(jen.Id("d").Dot("DecodeElement").Call(jen.Id("v").Dot(n.field(other)), jen.Op("&").Id("start"))),
	)
}

// usedChoices lists the repeated choice items some struct field holds.
func usedChoices(m *model) map[*goType]bool {
	used := map[*goType]bool{}
	for _, t := range m.types {
		for _, fd := range fieldsOf(t) {
			if fd.typ.t != nil && fd.typ.t.kind == kChoice {
				used[fd.typ.t] = true
			}
		}
	}
	return used
}

// article is the indefinite article for a Go name as a reader says it:
// "an Entity", "a Contact" (by its first letter; good enough for doc
// comments, which only need to read naturally).
func article(name string) string {
	if name != "" && strings.ContainsRune("AEIOUaeiou", rune(name[0])) {
		return "an"
	}
	return "a"
}

// emitBodyParts writes the SOAPBodyParts method of a multi-part body
// type: the runtime writes and reads its fields as the Body's children.
func emitBodyParts(f *jen.File, n *names, t *goType) {
	var items []jen.Code
	for _, fd := range fieldsOf(t) {
		items = append(items, jen.Values(jen.Dict{
			jen.Id("Name"):  qnameLit(fd.xmlName),
			jen.Id("Value"): jen.Op("&").Id("v").Dot(n.field(fd)),
		}))
	}
	f.Add(commentLines("SOAPBodyParts lists the fields as the SOAP Body's children, for the runtime."))
	f.Func().Params(jen.Id("v").Op("*").Id(n.typ(t))).Id("SOAPBodyParts").Params().Index().Qual(implPkg, "BodyPart").Block(
		jen.If(jen.Id("v").Op("==").Nil()).Block(jen.Return(jen.Nil())),
		jen.Return(jen.Index().Qual(implPkg, "BodyPart").Values(items...)),
	)
}
