package generator

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
)

func occurs(n *node) (min int, max int) {
	min, max = 1, 1
	if v := n.attr("minOccurs"); v != "" {
		if i, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
			min = i
		}
	}
	if v := strings.TrimSpace(n.attr("maxOccurs")); v != "" {
		if v == "unbounded" {
			max = -1
		} else if i, err := strconv.Atoi(v); err == nil {
			max = i
		}
	}
	return
}

func (p *planner) complexFields(owner *goType, c comp, depth int) []*goField {
	// A component already being expanded on this path is a cycle; failing
	// at once also keeps two references to one cyclic group from costing
	// exponential time.
	if p.active[c.n] || depth > 64 {
		p.fail(errAt(c.n, "xsd:complexType", "break the derivation cycle", "derivation chain is circular"))
		return nil
	}
	p.active[c.n] = true
	defer delete(p.active, c.n)
	var out []*goField
	n := c.n
	if n.attr("mixed") == "true" {
		out = append(out, &goField{cand: "Text", typ: ref{b: ptrB(xsdBuiltins["string"])}, kind: fText})
	}
	for _, d := range n.Children {
		if d.Name.Space != nsXSD {
			continue
		}
		switch d.Name.Local {
		case "complexContent":
			for _, x := range d.Children {
				if x.Name.Local != "extension" && x.Name.Local != "restriction" {
					continue
				}
				if x.attr("mixed") == "true" || d.attr("mixed") == "true" {
					out = append(out, &goField{cand: "Text", typ: ref{b: ptrB(xsdBuiltins["string"])}, kind: fText})
				}
				base, err := c.s.resolve(x, x.attr("base"))
				if err != nil {
					p.fail(errAt(x, "xsd:"+x.Name.Local, "declare the prefix", "%v", err))
					return out
				}
				if x.Name.Local == "restriction" && (base.Space == nsSOAPEnc || base.Space == "http://schemas.xmlsoap.org/soap/encoding") && base.Local == "Array" {
					out = append(out, p.soapArray(owner, c.s, x)...)
					continue
				}
				if x.Name.Local == "extension" && base.Space != nsXSD {
					bc, ok := p.ix.types[base]
					if !ok {
						p.fail(errAt(x, "xsd:extension", "define the base type or import its schema", "base type {%s}%s is not defined in any loaded schema", base.Space, base.Local))
						return out
					}
					if bc.n.Name.Local == "complexType" {
						out = append(out, p.complexFields(owner, bc, depth+1)...)
					}
				}
				out = append(out, p.content(owner, c.s, x)...)
			}
		case "simpleContent":
			for _, x := range d.Children {
				if x.Name.Local != "extension" && x.Name.Local != "restriction" {
					continue
				}
				base, err := c.s.resolve(x, x.attr("base"))
				if err != nil {
					p.fail(errAt(x, "xsd:"+x.Name.Local, "declare the prefix", "%v", err))
					return out
				}
				bc, ok := p.ix.types[base]
				if ok && bc.n.Name.Local == "complexType" {
					// Simple content derived from a complex type with
					// simple content: its value and attributes first.
					// A restriction keeps the base's attributes (XSD
					// inherits attribute uses) except those it prohibits.
					prohibited := prohibitedAttrs(x)
					for _, f := range p.complexFields(owner, bc, depth+1) {
						if x.Name.Local == "restriction" && prohibited[fieldXMLLocal(f)] {
							continue
						}
						out = append(out, f)
					}
				} else {
					r := p.typeByName(x, base)
					if r.t != nil && r.t.kind == kStruct {
						r = ref{b: ptrB(xsdBuiltins["string"])}
					}
					out = append(out, &goField{cand: "Value", typ: r, kind: fText})
				}
				out = append(out, p.attributes(owner, c.s, x)...)
			}
		}
	}
	out = append(out, p.content(owner, c.s, n)...)
	return out
}

// content walks the particles and attributes directly under n.
func (p *planner) content(owner *goType, s *schema, n *node) []*goField {
	var out []*goField
	for _, d := range n.Children {
		if d.Name.Space != nsXSD {
			continue
		}
		switch d.Name.Local {
		case "sequence", "choice", "all", "group":
			out = append(out, p.particle(owner, s, d, false, false, 0)...)
		}
	}
	return append(out, p.attributes(owner, s, n)...)
}

func (p *planner) particle(owner *goType, s *schema, n *node, repeated, optional bool, depth int) []*goField {
	if p.overBudget(n) {
		return nil
	}
	if depth > 64 {
		p.fail(errAt(n, "xsd:group", "break the group cycle or flatten the nesting", "group references are circular or nested more than 64 deep"))
		return nil
	}
	min, max := occurs(n)
	if max < 0 || max > 1 {
		repeated = true
	}
	if min == 0 {
		optional = true
	}
	switch n.Name.Local {
	case "element":
		if f := p.elementField(owner, s, n, repeated, optional); f != nil {
			return []*goField{f}
		}
		return nil
	case "any":
		return []*goField{{cand: "Any", typ: ref{b: ptrB(xsdBuiltins["anyType"]), slice: true}, kind: fAny, doc: "Any holds the elements of the xsd:any wildcard as raw XML."}}
	case "group":
		if n.attr("ref") == "" {
			break
		}
		what := "group " + n.attr("ref") + " in " + ownerName(owner)
		qn, err := s.resolve(n, n.attr("ref"))
		if err != nil {
			p.skip(errAt(n, "xsd:group", "declare the prefix", "%v", err), what)
			return nil
		}
		g, ok := p.ix.groups[qn]
		if !ok {
			p.skip(errAt(n, "xsd:group", "define the group or import its schema", "group {%s}%s is not defined in any loaded schema", qn.Space, qn.Local), what)
			return nil
		}
		if p.active[g.n] {
			p.fail(errAt(n, "xsd:group", "break the group cycle", "group {%s}%s refers to itself", qn.Space, qn.Local))
			return nil
		}
		p.active[g.n] = true
		defer delete(p.active, g.n)
		var out []*goField
		for _, d := range g.n.Children {
			if d.Name.Space == nsXSD && (d.Name.Local == "sequence" || d.Name.Local == "choice" || d.Name.Local == "all") {
				out = append(out, p.particle(owner, g.s, d, repeated, optional, depth+1)...)
			}
		}
		return out
	case "choice":
		if repeated {
			if f := p.repeatedChoice(owner, s, n); f != nil {
				return []*goField{f}
			}
		}
		optional = true
	}
	var out []*goField
	for _, d := range n.Children {
		if d.Name.Space != nsXSD {
			continue
		}
		switch d.Name.Local {
		case "element", "any", "sequence", "choice", "group", "all":
			out = append(out, p.particle(owner, s, d, repeated, optional, depth+1)...)
		}
	}
	return out
}

// elementField is the field for a local element or element ref; nil when
// the element refers to what no loaded schema defines (skipped, see skip).
func (p *planner) elementField(owner *goType, s *schema, n *node, repeated, optional bool) *goField {
	f := &goField{doc: n.doc()}
	decl := n // the declaration that types the element
	var name xml.Name
	var typ ref
	var nillable bool
	if r := n.attr("ref"); r != "" {
		what := "element " + r + " of " + ownerName(owner)
		qn, err := s.resolve(n, r)
		if err != nil {
			p.skip(errAt(n, "xsd:element", "declare the prefix", "%v", err), what)
			return nil
		}
		g, ok := p.ix.elements[qn]
		if !ok {
			p.skip(errAt(n, "xsd:element", "define the element or import the schema that defines it", "element {%s}%s is not defined in any loaded schema", qn.Space, qn.Local), what)
			return nil
		}
		var e *Error
		if typ, e = p.elemContent(g, nil); e != nil {
			p.skip(e, what)
			return nil
		}
		name = qn
		decl = g.n
		if len(p.substitutes[qn]) > 0 {
			defer func() { p.substitutionField(n, qn, f, repeated) }()
		}
		if f.doc == "" {
			f.doc = g.n.doc()
		}
		nillable = g.n.attr("nillable") == "true"
	} else {
		name = xml.Name{Local: n.attr("name")}
		form := n.attr("form")
		if form == "qualified" || (form == "" && s.elemQualified) {
			name.Space = s.tns
		}
		var e *Error
		if typ, e = p.elemContent(comp{n, s}, owner); e != nil {
			p.skip(e, "element "+n.attr("name")+" of "+ownerName(owner))
			return nil
		}
		nillable = n.attr("nillable") == "true"
	}
	f.cand = goName(name.Local)
	f.doc = p.withFacets(f.doc, decl)
	f.typ = typ
	// A nillable element of simple type is a runtime.Nillable, which keeps
	// xsi:nil apart from a value and (behind a pointer when optional) from
	// absence. A nillable complex element stays a pointer: nil is sent as
	// absent, which the vendors in the corpus accept, and xsi:nil decodes
	// as nil (its struct tells the runtime; see nilTarget).
	complex := typ.t != nil && (typ.t.kind == kStruct || typ.t.kind == kPoly || typ.t.kind == kSubst) || typ.b != nil && typ.b.ident == "XSDAnyType"
	if nillable && complex {
		optional = true
		if typ.t != nil && typ.t.kind == kStruct {
			typ.t.nilTarget = true
		}
	}
	f.typ.nillable = nillable && !complex
	switch {
	case repeated:
		f.typ.slice = true
	case typ.t != nil && (typ.t.kind == kStruct || typ.t.kind == kPoly):
		f.typ.ptr = true
	case typ.b != nil && typ.b.ident == "XSDAnyType":
		f.typ.ptr = true
	case optional:
		f.typ.ptr = true
	}
	f.xmlName = name
	// A repeated element never gets omitempty: encoding/xml applies it to
	// each item, so ["a", "", ""] would go out as "a" alone. An empty slice
	// writes nothing without it.
	f.omitempty = optional && !repeated
	return f
}

// dedupeFields merges fields that would map to the same XML name (an
// element repeated in a sequence, a derived type restating a base element,
// two wildcards): encoding/xml rejects such a struct at run time and go vet
// flags it. A repeated element becomes one slice field.
func dedupeFields(fs []*goField) []*goField {
	// An element and an attribute are told apart by kind and name; text,
	// the wildcards and raw XML by kind alone.
	type key struct {
		kind fieldKind
		name xml.Name
	}
	seen := map[key]*goField{}
	var out []*goField
	for _, f := range fs {
		key := key{kind: f.kind}
		if f.kind == fElem || f.kind == fAttr {
			key.name = f.xmlName
		}
		if prev, ok := seen[key]; ok {
			if f.kind == fElem && f.xmlName != (xml.Name{}) && !prev.typ.slice {
				// Now repeated: drop omitempty, which encoding/xml would
				// apply to each item (see field).
				prev.typ.slice, prev.typ.ptr = true, false
				prev.omitempty = false
			}
			continue
		}
		seen[key] = f
		out = append(out, f)
	}
	return out
}

// substitutionField turns the field f of a reference to substitution
// group head qn into a wildcard field holding any member element. The
// plain field by the head's name is kept in f.subst for settleWildcards.
func (p *planner) substitutionField(n *node, qn xml.Name, f *goField, repeated bool) {
	h := p.substHolder(n, qn)
	plain := *f
	f.subst = &plain
	f.head = qn
	f.typ = ref{t: h, slice: repeated, ptr: !repeated}
	f.kind, f.xmlName, f.omitempty = fAny, xml.Name{}, !repeated
}

// substHolder returns the holder type of the members of head qn.
func (p *planner) substHolder(n *node, qn xml.Name) *goType {
	if h, ok := p.substHolders[qn]; ok {
		return h
	}
	h := p.add(&goType{kind: kSubst, cand: "Any" + goName(qn.Local), prio: 4, key: "subst " + qn.Space + " " + qn.Local, qname: qn})
	p.substHolders[qn] = h
	seen := map[xml.Name]bool{}
	var walk func(xml.Name)
	walk = func(q xml.Name) {
		if seen[q] {
			return
		}
		seen[q] = true
		if g, ok := p.ix.elements[q]; ok && g.n.attr("abstract") != "true" {
			if t, e := p.elementType(n, q); e != nil {
				p.skip(e, "element "+q.Local)
			} else {
				h.members = append(h.members, t)
			}
		}
		for _, m := range p.substitutes[q] {
			walk(m)
		}
	}
	walk(qn)
	return h
}

// repeatedChoice returns the ordered field of a repeated choice whose
// alternatives are elements (qualified or not, single or repeated): a
// slice of one generated item type with a pointer per alternative,
// decoded and encoded by element name, so <a/><b/><a/> keeps its order
// (one slice per alternative would not). nil means the choice does not
// qualify (a group alternative) and gets one slice field per alternative.
func (p *planner) repeatedChoice(owner *goType, s *schema, n *node) *goField {
	var alts, plain []*goField
	var names []string
	for _, d := range n.Children {
		if d.Name.Space != nsXSD {
			continue
		}
		if d.Name.Local == "annotation" {
			continue
		}
		if d.Name.Local != "element" {
			return nil
		}
		// A repeated alternative (maxOccurs > 1) needs nothing more:
		// inside a repeated choice each occurrence is an item of its own,
		// so <a/><a/><b/> is three items, in order.
		a := p.elementField(owner, s, d, false, true)
		if a == nil {
			continue
		}
		// Unqualified alternatives work too: hasUnqualifiedChild looks
		// into the item, so the owner is written with a prefix and the
		// items' unprefixed names stay in no namespace.
		if a.subst != nil || a.typ.slice {
			return nil
		}
		alts = append(alts, a)
		pl := p.elementField(owner, s, d, true, true)
		plain = append(plain, pl)
		names = append(names, a.cand)
	}
	if len(alts) < 2 {
		return nil
	}
	cand := "Items"
	if len(names) == 2 {
		cand = strings.Join(names, "Or")
	}
	key := "choice " + owner.key + "/" + cand
	// A newer server version may send an element the WSDL did not know;
	// it is kept, not read as an item with no field set.
	anyType := xsdBuiltins["anyType"]
	alts = append(alts, &goField{cand: "Other", typ: ref{b: &anyType, ptr: true}, kind: fOther,
		doc: "Other keeps an element that is none of the alternatives (one a newer server version sends) as raw XML, written back as it came."})
	t := p.add(&goType{kind: kChoice, cand: owner.cand + cand, prio: 3, key: key, built: true, fields: alts})
	t.doc = "is one item of a repeated choice of " + owner.cand + ": exactly one field is set."
	return &goField{cand: cand, typ: ref{t: t, slice: true}, kind: fAny, alts: plain,
		doc: cand + " keeps the choice's elements in document order."}
}

// settleWildcards keeps at most one fAny field: encoding/xml hands every
// unmatched element to the first one. A repeated choice's ordered field
// yields to any other wildcard (its alternatives become plain slices);
// substitution group fields beyond the first wildcard fall back to their
// head's name, with a warning.
func (p *planner) settleWildcards(fs []*goField) []*goField {
	n := 0
	for _, f := range fs {
		if f.kind == fAny {
			n++
		}
	}
	if n > 1 {
		var out []*goField
		for _, f := range fs {
			if f.alts != nil {
				out = append(out, f.alts...)
				continue
			}
			out = append(out, f)
		}
		fs = out
	}
	seen := false
	for _, f := range fs {
		if f.kind != fAny {
			continue
		}
		if !seen {
			seen = true
			continue
		}
		if f.subst != nil {
			if !p.warned[f.head] {
				p.warned[f.head] = true
				p.warn(fmt.Sprintf("element %s heads a substitution group, but a type that references it has another wildcard: that field decodes only %s itself, not its members", f.head.Local, f.head.Local))
			}
			*f = *f.subst
		}
	}
	return fs
}

// prohibitedAttrs lists the local names of the attributes a restriction
// declares with use="prohibited".
func prohibitedAttrs(x *node) map[string]bool {
	out := map[string]bool{}
	for _, a := range x.Children {
		if a.Name.Space != nsXSD || a.Name.Local != "attribute" || a.attr("use") != "prohibited" {
			continue
		}
		name := a.attr("name")
		if name == "" {
			name = a.attr("ref")
			if i := strings.LastIndexByte(name, ':'); i >= 0 {
				name = name[i+1:]
			}
		}
		out[name] = true
	}
	return out
}

// fieldXMLLocal is the local XML name of an attribute field ("" for
// anything else).
func fieldXMLLocal(f *goField) string {
	if f.kind != fAttr {
		return ""
	}
	return f.xmlName.Local
}
