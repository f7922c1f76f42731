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
		out = append(out, &goField{cand: "Text", typ: ref{b: ptrB(xsdBuiltins["string"])}, tag: ",chardata"})
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
					out = append(out, &goField{cand: "Text", typ: ref{b: ptrB(xsdBuiltins["string"])}, tag: ",chardata"})
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
					out = append(out, &goField{cand: "Value", typ: r, tag: ",chardata"})
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
	if depth > 64 {
		p.fail(errAt(n, "xsd:group", "break the group cycle", "group references are circular"))
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
		return []*goField{p.elementField(owner, s, n, repeated, optional)}
	case "any":
		return []*goField{{cand: "Any", typ: ref{b: ptrB(xsdBuiltins["anyType"]), slice: true}, tag: ",any", doc: "Any holds the elements of the xsd:any wildcard as raw XML."}}
	case "group":
		if n.attr("ref") == "" {
			break
		}
		qn, err := s.resolve(n, n.attr("ref"))
		if err != nil {
			p.fail(errAt(n, "xsd:group", "declare the prefix", "%v", err))
			return nil
		}
		g, ok := p.ix.groups[qn]
		if !ok {
			p.fail(errAt(n, "xsd:group", "define the group or import its schema", "group {%s}%s is not defined in any loaded schema", qn.Space, qn.Local))
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
		if f := p.repeatedChoice(owner, s, n, max); f != nil {
			return []*goField{f}
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

// repeatedChoice is the field of a choice that itself repeats
// (maxOccurs > 1) between element alternatives: a slice of a kChoice item
// per occurrence, so the order of mixed alternatives survives a decode
// and re-encode (one slice per alternative would regroup them). A choice
// with other particles inside, or substitution group members, keeps the
// per-alternative slices; so does one that cannot have the struct's
// wildcard (settleWildcards). nil when it does not apply.
func (p *planner) repeatedChoice(owner *goType, s *schema, n *node, max int) *goField {
	if owner == nil || (max >= 0 && max <= 1) {
		return nil
	}
	var elems []*node
	for _, d := range n.Children {
		if d.Name.Space != nsXSD {
			continue
		}
		if d.Name.Local != "element" {
			return nil
		}
		if r := d.attr("ref"); r != "" {
			qn, err := s.resolve(d, r)
			if err != nil || len(p.substitutes[qn]) > 0 {
				return nil
			}
		}
		elems = append(elems, d)
	}
	if len(elems) < 2 {
		return nil
	}
	item, ok := p.anon[n]
	if !ok {
		item = p.add(&goType{kind: kChoice, cand: owner.cand + "Choice", prio: 3, key: owner.key + "/choice", doc: n.doc(), built: true})
		p.anon[n] = item
		for _, d := range elems {
			f := p.elementField(item, s, d, false, true)
			f.typ.ptr = !f.typ.slice
			item.fields = append(item.fields, f)
		}
	}
	f := &goField{cand: "Choice", typ: ref{t: item, slice: true}, tag: ",any",
		doc: "Choice holds the alternatives of the repeated choice in document order, one per item."}
	// The fallback, only used when the struct has another wildcard.
	saved := p.active
	p.active = map[*node]bool{}
	for _, d := range elems {
		f.alts = append(f.alts, p.elementField(owner, s, d, true, true))
	}
	p.active = saved
	return f
}

// elementField is the field for a local element or element ref.
func (p *planner) elementField(owner *goType, s *schema, n *node, repeated, optional bool) *goField {
	f := &goField{doc: n.doc()}
	var name xml.Name
	var typ ref
	if r := n.attr("ref"); r != "" {
		qn, err := s.resolve(n, r)
		if err != nil {
			p.fail(errAt(n, "xsd:element", "declare the prefix", "%v", err))
			return &goField{cand: "X", typ: ref{b: ptrB(xsdBuiltins["string"])}}
		}
		g, ok := p.ix.elements[qn]
		if !ok {
			p.fail(errAt(n, "xsd:element", "define the element or import the schema that defines it", "element {%s}%s is not defined in any loaded schema", qn.Space, qn.Local))
			return &goField{cand: "X", typ: ref{b: ptrB(xsdBuiltins["string"])}}
		}
		name = qn
		if len(p.substitutes[qn]) > 0 {
			defer func() { p.substitutionField(n, qn, f, repeated) }()
		}
		typ = p.elementContentType(g, nil)
		if f.doc == "" {
			f.doc = g.n.doc()
		}
		if g.n.attr("nillable") == "true" {
			optional = true
		}
	} else {
		name = xml.Name{Local: n.attr("name")}
		form := n.attr("form")
		if form == "qualified" || (form == "" && s.elemQualified) {
			name.Space = s.tns
		}
		typ = p.elementContentType(comp{n, s}, owner)
		if n.attr("nillable") == "true" {
			optional = true
		}
	}
	f.cand = goName(name.Local)
	f.typ = typ
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
	f.tag = tagName(name)
	// A repeated element never gets omitempty: encoding/xml applies it to
	// each item, so ["a", "", ""] would go out as "a" alone. An empty slice
	// writes nothing without it.
	if optional && !repeated {
		f.tag += ",omitempty"
	}
	return f
}

func tagName(n xml.Name) string {
	if n.Space != "" {
		return n.Space + " " + n.Local
	}
	return n.Local
}

// dedupeFields merges fields that would map to the same XML name (an
// element repeated in a sequence, a derived type restating a base element,
// two wildcards): encoding/xml rejects such a struct at run time and go vet
// flags it. A repeated element becomes one slice field.
func dedupeFields(fs []*goField) []*goField {
	seen := map[string]*goField{}
	var out []*goField
	for _, f := range fs {
		name, opts, _ := strings.Cut(f.tag, ",")
		key := name
		if strings.Contains(opts, "attr") {
			key = "@" + name
		}
		if name == "" {
			key = "," + opts // chardata, any, innerxml, any attr
			key = strings.TrimSuffix(key, ",omitempty")
		}
		if prev, ok := seen[key]; ok {
			if name != "" && !strings.Contains(opts, "attr") && !prev.typ.slice {
				// Now repeated: drop omitempty, which encoding/xml would
				// apply to each item (see field).
				prev.typ.slice, prev.typ.ptr = true, false
				prev.tag = strings.TrimSuffix(prev.tag, ",omitempty")
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
	f.tag = ",any"
	if !repeated {
		f.tag = ",any,omitempty"
	}
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
			h.members = append(h.members, p.elementType(n, q))
		}
		for _, m := range p.substitutes[q] {
			walk(m)
		}
	}
	walk(qn)
	return h
}

// settleWildcards keeps at most one ",any" field: encoding/xml hands every
// unmatched element to the first one. Substitution group fields beyond
// the first wildcard fall back to their head's name, with a warning.
func (p *planner) settleWildcards(fs []*goField) []*goField {
	fs = settleChoices(fs)
	seen := false
	for _, f := range fs {
		if !strings.HasPrefix(f.tag, ",any") || strings.Contains(f.tag, "attr") {
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

// settleChoices keeps the ordered field of one repeated choice per
// struct, and only when the struct has no other wildcard (xsd:any, a
// substitution group): encoding/xml hands every unmatched element to the
// first ",any" field. The other repeated choices fall back to one slice
// per alternative.
func settleChoices(fs []*goField) []*goField {
	others, choices := 0, 0
	for _, f := range fs {
		if f.alts != nil {
			choices++
		} else if strings.HasPrefix(f.tag, ",any") && !strings.Contains(f.tag, "attr") {
			others++
		}
	}
	if choices == 0 || choices == 1 && others == 0 {
		return fs
	}
	out := make([]*goField, 0, len(fs))
	kept := others > 0
	for _, f := range fs {
		if f.alts != nil && kept {
			out = append(out, f.alts...)
			continue
		}
		if f.alts != nil {
			kept = true
		}
		out = append(out, f)
	}
	return out
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
	name, opts, _ := strings.Cut(f.tag, ",")
	if !strings.HasPrefix(opts, "attr") {
		return ""
	}
	if i := strings.LastIndexByte(name, ' '); i >= 0 {
		name = name[i+1:]
	}
	return name
}
