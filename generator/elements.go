package generator

import (
	"encoding/xml"
)

// elementContentType is the Go type of an element's content: its named
// type, or a type built from its anonymous type (named after owner and the
// element), or raw XML when it declares none.
func (p *planner) elementContentType(c comp, owner *goType) ref {
	n := c.n
	if t := n.attr("type"); t != "" {
		return p.typeRef(c.s, n, t)
	}
	if t, ok := p.anon[n]; ok {
		return ref{t: t}
	}
	if ct := n.kid(nsXSD, "complexType"); ct != nil {
		if owner == nil {
			// A global element's anonymous type is its element type.
			qn := xml.Name{Space: c.s.tns, Local: n.attr("name")}
			return ref{t: p.anonElementType(qn, c, ct)}
		}
		t := p.add(&goType{kind: kStruct, cand: owner.cand + goName(n.attr("name")), prio: 2, key: owner.key + "/" + n.attr("name"), doc: n.doc()})
		// One Go type per anonymous type, also when a derived type
		// repeats its base's fields.
		p.anon[n] = t
		p.buildComplex(t, comp{ct, c.s})
		return ref{t: t}
	}
	if st := n.kid(nsXSD, "simpleType"); st != nil {
		if under, facets, ok := p.plainRestriction(comp{st, c.s}); ok {
			// Only facets (Siebel's maxLength on every field): the base
			// type, with the facets in the field's doc, reads better
			// than a named type per field.
			p.facets[n] = facets
			return under
		}
		cand, key := goName(n.attr("name")), c.s.tns+" "+n.attr("name")
		if owner != nil {
			cand, key = owner.cand+cand, owner.key+"/"+n.attr("name")
		}
		t := p.add(&goType{cand: cand, prio: 2, key: key, doc: n.doc()})
		p.anon[n] = t
		p.buildSimple(t, comp{st, c.s})
		return ref{t: t}
	}
	return ref{b: ptrB(xsdBuiltins["anyType"])}
}

// elemContent is elementContentType with a dangling type reference
// returned, not failed: the caller leaves out what needs the element.
func (p *planner) elemContent(c comp, owner *goType) (ref, *Error) {
	if t := c.n.attr("type"); t != "" {
		return p.lookupType(c.s, c.n, t)
	}
	return p.elementContentType(c, owner), nil
}

// anonElementType is the struct of a global element with an anonymous
// complex type. It has no XMLName so it can also serve as a field type
// under the name its field gives it; message parts wrap it.
func (p *planner) anonElementType(qn xml.Name, c comp, ct *node) *goType {
	key := "anon " + qn.Space + " " + qn.Local
	if t, ok := p.byElem[xml.Name{Space: key}]; ok {
		return t
	}
	t := p.add(&goType{kind: kStruct, cand: goName(qn.Local), prio: 1, key: qn.Space + " " + qn.Local, qname: qn, doc: c.n.doc()})
	p.byElem[xml.Name{Space: key}] = t
	p.buildComplex(t, comp{ct, c.s})
	return t
}

// elementType is the Go type of a global element as a whole message part:
// a struct with XMLName. An element no loaded schema defines, or one whose
// type none does, is returned as the reason it has no Go type.
func (p *planner) elementType(at *node, qn xml.Name) (*goType, *Error) {
	if t, ok := p.byElem[qn]; ok {
		return t, nil
	}
	c, ok := p.ix.elements[qn]
	if !ok {
		return nil, errAt(at, "wsdl:part", "define the element in the WSDL types or import its schema", "element {%s}%s is not defined in any loaded schema", qn.Space, qn.Local)
	}
	xn := qn
	content, e := p.elemContent(c, nil)
	if e != nil {
		return nil, e
	}
	var t *goType
	switch {
	case content.t != nil && content.t.kind == kStruct && content.t.qname == qn && content.t.prio == 1:
		// Anonymous type: the element struct itself gets the XMLName.
		t = content.t
	case content.t != nil && content.t.kind == kStruct:
		t = p.add(&goType{kind: kStruct, cand: goName(qn.Local), prio: 1, key: qn.Space + " " + qn.Local, qname: qn, doc: c.n.doc()})
		t.built = true
		// The fields are the type's, read at emit time because a type
		// still being built (recursion) has not all of them yet.
		t.copyOf = content.t
	default:
		t = p.add(&goType{kind: kStruct, cand: goName(qn.Local), prio: 1, key: qn.Space + " " + qn.Local, qname: qn, doc: c.n.doc()})
		if content.t != nil && content.t.kind == kPoly {
			content = ref{t: content.t.base}
			t.copyOf = content.t
		} else {
			t.fields = []*goField{{cand: "Value", typ: content, kind: fText}}
			if content.b != nil && content.b.ident == "XSDAnyType" {
				t.fields = []*goField{{cand: "Content", typ: ref{b: ptrB(builtin{ident: "[]byte"})}, kind: fInnerXML}}
			}
		}
	}
	t.xmlName = &xn
	p.byElem[qn] = t
	return t, nil
}
