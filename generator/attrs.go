package generator

import (
	"encoding/xml"
	"strings"
)

// attributes returns the fields of the attributes, attribute groups and
// attribute wildcard directly under n.
func (p *planner) attributes(owner *goType, s *schema, n *node) []*goField {
	return p.attrsDepth(owner, s, n, 0)
}

func (p *planner) attrsDepth(owner *goType, s *schema, n *node, depth int) []*goField {
	if depth > 64 {
		p.fail(errAt(n, "xsd:attributeGroup", "break the attributeGroup cycle or flatten the nesting", "attributeGroup references are circular or nested more than 64 deep"))
		return nil
	}
	var out []*goField
	anyAttr := false
	for _, d := range n.Children {
		if d.Name.Space != nsXSD {
			continue
		}
		if (d.Name.Local == "attribute" || d.Name.Local == "attributeGroup") && p.overBudget(d) {
			return out
		}
		switch d.Name.Local {
		case "attribute":
			if f := p.attributeField(owner, s, d); f != nil {
				out = append(out, f)
			}
		case "attributeGroup":
			what := "attributeGroup " + d.attr("ref") + " in " + ownerName(owner)
			qn, err := s.resolve(d, d.attr("ref"))
			if err != nil {
				p.skip(errAt(d, "xsd:attributeGroup", "declare the prefix", "%v", err), what)
				continue
			}
			g, ok := p.ix.attrGroups[qn]
			if !ok {
				p.skip(errAt(d, "xsd:attributeGroup", "define the attribute group or import its schema", "attributeGroup {%s}%s is not defined in any loaded schema", qn.Space, qn.Local), what)
				continue
			}
			if p.active[g.n] {
				p.fail(errAt(d, "xsd:attributeGroup", "break the attributeGroup cycle", "attributeGroup {%s}%s refers to itself", qn.Space, qn.Local))
				continue
			}
			p.active[g.n] = true
			out = append(out, p.attrsDepth(owner, g.s, g.n, depth+1)...)
			delete(p.active, g.n)
		case "anyAttribute":
			if !anyAttr {
				anyAttr = true
				out = append(out, &goField{cand: "AnyAttrs", typ: ref{b: ptrB(builtin{ident: "[]xml.Attr"})}, kind: fAnyAttr, doc: "AnyAttrs holds the attributes of the xsd:anyAttribute wildcard."})
			}
		}
	}
	return out
}

func (p *planner) attributeField(owner *goType, s *schema, d *node) *goField {
	if d.attr("use") == "prohibited" {
		return nil
	}
	var name xml.Name
	decl, ds := d, s
	what := "attribute " + d.attr("ref") + d.attr("name") + " of " + ownerName(owner)
	if r := d.attr("ref"); r != "" {
		qn, err := s.resolve(d, r)
		if err != nil {
			p.skip(errAt(d, "xsd:attribute", "declare the prefix", "%v", err), what)
			return nil
		}
		name = qn
		if g, ok := p.ix.attrs[qn]; ok {
			decl, ds = g.n, g.s
		} else if qn.Space == "http://www.w3.org/XML/1998/namespace" || qn.Space == nsSOAPEnc || qn.Space == nsWSDL {
			// xml:lang and friends, soapenc:arrayType: plain strings.
			decl = nil
		} else {
			p.skip(errAt(d, "xsd:attribute", "define the attribute or import its schema", "attribute {%s}%s is not defined in any loaded schema", qn.Space, qn.Local), what)
			return nil
		}
	} else {
		name = xml.Name{Local: d.attr("name")}
		form := d.attr("form")
		if form == "qualified" || (form == "" && s.attrQualified) {
			name.Space = s.tns
		}
	}
	typ := ref{b: ptrB(xsdBuiltins["string"])}
	if decl != nil {
		switch {
		case decl.attr("type") != "":
			var e *Error
			if typ, e = p.lookupType(ds, decl, decl.attr("type")); e != nil {
				p.skip(e, what)
				return nil
			}
		case decl.kid(nsXSD, "simpleType") != nil && decl != d:
			// A global attribute's anonymous type is shared by all users.
			typ = p.elementContentType(comp{decl, ds}, nil)
		case decl.kid(nsXSD, "simpleType") != nil:
			typ = p.elementContentType(comp{decl, ds}, owner)
		}
	}
	if typ.t != nil && (typ.t.kind == kStruct || typ.t.kind == kPoly) || typ.b != nil && typ.b.ident == "XSDAnyType" {
		typ = ref{b: ptrB(xsdBuiltins["string"])}
	}
	f := &goField{cand: goName(name.Local), typ: typ, kind: fAttr, xmlName: name, doc: p.withFacets(d.doc(), decl)}
	if d.attr("use") != "required" {
		f.omitempty = true
		// omitempty cannot tell an absent attribute from false or 0: an
		// optional boolean or number would vanish from the wire exactly
		// when it is false or 0. A pointer keeps absent (nil) apart.
		if zeroIsAValue(f.typ) {
			f.typ.ptr = true
		}
	}
	return f
}

// zeroIsAValue reports whether r is a boolean or number, directly or as a
// simple type over one, whose zero value is a meaningful value on the
// wire.
func zeroIsAValue(r ref) bool {
	for i := 0; i < 8 && r.b == nil && r.t != nil && (r.t.kind == kSimple || r.t.kind == kAlias); i++ {
		r = r.t.under
	}
	if r.b == nil {
		return false
	}
	switch r.b.ident {
	case "bool", "float32", "float64", "XSDFloat", "XSDDouble",
		"int", "int8", "int16", "int32", "int64",
		"uint", "uint8", "uint16", "uint32", "uint64":
		return true
	}
	return false
}

// soapArray maps a SOAP-encoded array (restriction of soapenc:Array) to a
// slice of its item type, named by wsdl:arrayType or the restated element.
func (p *planner) soapArray(owner *goType, s *schema, x *node) []*goField {
	owner.arrayItem = &xml.Name{Space: nsXSD, Local: "anyType"}
	for _, a := range x.kids(nsXSD, "attribute") {
		for _, at := range a.Attrs {
			if at.Name.Space == nsWSDL && at.Name.Local == "arrayType" {
				v := at.Value
				if i := strings.IndexByte(v, '['); i >= 0 {
					v = v[:i]
				}
				if qn, err := s.resolve(a, v); err == nil {
					owner.arrayItem = &qn
				}
			}
		}
	}
	if fs := p.content(owner, s, x); len(fs) > 0 {
		var out []*goField
		for _, f := range fs {
			// The items are the element fields (a nameless element
			// has no tag at all, so it is no item either).
			if f.isAttr() || f.kind == fElem && f.xmlName == (xml.Name{}) && !f.omitempty {
				continue
			}
			out = append(out, f)
		}
		if len(out) > 0 {
			return out
		}
	}
	item := ref{b: ptrB(xsdBuiltins["anyType"])}
	for _, a := range x.kids(nsXSD, "attribute") {
		for _, at := range a.Attrs {
			if at.Name.Space == nsWSDL && at.Name.Local == "arrayType" {
				v := at.Value
				if i := strings.IndexByte(v, '['); i >= 0 {
					v = v[:i]
				}
				item = p.typeRef(s, a, v)
			}
		}
	}
	item.slice = true
	item.ptr = false
	return []*goField{{cand: "Item", typ: item, xmlName: xml.Name{Local: "item"}}}
}
