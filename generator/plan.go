package generator

import (
	"encoding/xml"
	"strconv"
	"strings"
)

type typeKind int

const (
	kStruct typeKind = iota // a complex type or element: a Go struct
	kSimple                 // a simple type: a defined type over a builtin
	kAlias                  // a simple type whose builtin carries methods
	kPoly                   // a holder of a base type or any derived type (xsi:type)
)

// goType is one named Go type of the generated package.
type goType struct {
	kind typeKind
	// cand is the preferred Go name, prio its rank when names collide
	// (lower wins), key a deterministic tiebreak; name is final.
	cand string
	prio int
	key  string
	name string

	qname   xml.Name // the XSD type or element it comes from
	doc     string
	xmlName *xml.Name // set for global elements and wrappers
	fields  []*goField
	under   ref // kSimple, kAlias
	enums   []*enumConst

	abstract bool
	// bases lists the polymorphic ancestors (incl. itself) this struct
	// implements; holder is this struct's kPoly holder when it has
	// derived types; concrete lists a holder's candidates.
	bases    []*goType
	holder   *goType
	base     *goType // kPoly: the base struct
	concrete []*goType
	built    bool
	// copyOf: an element struct whose fields are those of a named type.
	copyOf *goType
	// iface is a holder's interface name.
	iface string
	// nsUsed: some element of this type has a namespace on the wire (so
	// its unqualified children need the prefixed encoding).
	nsUsed bool
}

// ref is a use of a type: a builtin or a generated type, maybe a slice or
// a pointer.
type ref struct {
	b     *builtin
	t     *goType
	slice bool
	ptr   bool
}

type goField struct {
	cand string
	name string
	typ  ref
	tag  string
	doc  string
}

type enumConst struct {
	name  string
	value string
}

// planner turns the schema components into Go types, lazily, so only
// what is reachable from a global type or a message is built.
type planner struct {
	ix      *index
	types   []*goType
	byType  map[xml.Name]*goType
	byElem  map[xml.Name]*goType
	derived map[xml.Name][]xml.Name
	err     error
	// anon maps the declaration of an anonymous type to its Go type.
	anon map[*node]*goType
	// active holds the groups, attribute groups and types being expanded.
	active map[*node]bool
	// tns is the entry WSDL's target namespace, whose names win ties.
	tns string
}

func newPlanner(ix *index) *planner {
	p := &planner{ix: ix, anon: map[*node]*goType{}, active: map[*node]bool{}, byType: map[xml.Name]*goType{}, byElem: map[xml.Name]*goType{}, derived: map[xml.Name][]xml.Name{}}
	for _, qn := range ix.typeOrder {
		c := ix.types[qn]
		if c.n.Name.Local != "complexType" {
			continue
		}
		for _, cc := range c.n.Children {
			if cc.Name.Local != "complexContent" {
				continue
			}
			for _, d := range cc.Children {
				if d.Name.Local != "extension" {
					continue
				}
				if base, err := c.s.resolve(d, d.attr("base")); err == nil && base.Space != nsXSD {
					p.derived[base] = append(p.derived[base], qn)
				}
			}
		}
	}
	return p
}

func (p *planner) fail(e error) {
	if p.err == nil {
		p.err = e
	}
}

func (p *planner) add(t *goType) *goType {
	p.types = append(p.types, t)
	return t
}

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

// typeRef resolves a type QName used at n in schema s.
func (p *planner) typeRef(s *schema, n *node, value string) ref {
	qn, err := s.resolve(n, value)
	if err != nil {
		p.fail(errAt(n, "xsd:"+n.Name.Local, "declare the prefix with xmlns:PREFIX on this element or an ancestor", "%v", err))
		return ref{b: ptrB(xsdBuiltins["string"])}
	}
	return p.typeByName(n, qn)
}

func ptrB(b builtin) *builtin { return &b }

func (p *planner) typeByName(n *node, qn xml.Name) ref {
	switch qn.Space {
	case nsXSD:
		if b, ok := xsdBuiltins[qn.Local]; ok {
			return ref{b: &b}
		}
		p.fail(errAt(n, "xsd:"+n.Name.Local, "use an XML Schema built-in type name", "%s is not an XML Schema built-in type", qn.Local))
		return ref{b: ptrB(xsdBuiltins["string"])}
	case nsSOAPEnc, "http://schemas.xmlsoap.org/soap/encoding":
		if _, ok := p.ix.types[qn]; !ok {
			if b, ok := soapencBuiltin(qn.Local); ok {
				return ref{b: &b}
			}
		}
	}
	c, ok := p.ix.types[qn]
	if !ok {
		if qn.Space == "" && n != nil {
			// An unprefixed reference in a schema with no default
			// namespace: accept the built-in of that name, as many
			// generators do.
			if b, ok := xsdBuiltins[qn.Local]; ok {
				return ref{b: &b}
			}
		}
		p.fail(errAt(n, "xsd:"+n.Name.Local, "define the type or import the schema that defines it", "type {%s}%s is not defined in any loaded schema", qn.Space, qn.Local))
		return ref{b: ptrB(xsdBuiltins["string"])}
	}
	t := p.globalType(qn, c)
	if t.holder != nil {
		return ref{t: t.holder}
	}
	return ref{t: t}
}

// globalType returns the Go type of a named complex or simple type.
func (p *planner) globalType(qn xml.Name, c comp) *goType {
	if t, ok := p.byType[qn]; ok {
		return t
	}
	t := p.add(&goType{cand: goName(qn.Local), prio: 0, key: qn.Space + " " + qn.Local, qname: qn, doc: c.n.doc()})
	p.byType[qn] = t
	if c.n.Name.Local == "simpleType" {
		p.buildSimple(t, c)
		return t
	}
	t.kind = kStruct
	t.abstract = c.n.attr("abstract") == "true"
	if len(p.derived[qn]) > 0 {
		h := p.add(&goType{kind: kPoly, cand: "Any" + t.cand, prio: 4, key: t.key, qname: qn, base: t})
		t.holder = h
	}
	p.buildComplex(t, c)
	if t.holder != nil {
		p.collectConcrete(t.holder, qn)
	}
	return t
}

// collectConcrete lists qn's type and all types derived from it.
func (p *planner) collectConcrete(h *goType, qn xml.Name) {
	seen := map[xml.Name]bool{}
	var walk func(xml.Name)
	walk = func(q xml.Name) {
		if seen[q] {
			return
		}
		seen[q] = true
		t := p.byType[q]
		if t == nil {
			t = p.globalType(q, p.ix.types[q])
		}
		if t.kind == kStruct {
			h.concrete = append(h.concrete, t)
			t.bases = append(t.bases, h)
		}
		for _, d := range p.derived[q] {
			walk(d)
		}
	}
	walk(qn)
}

func (p *planner) buildSimple(t *goType, c comp) {
	under, enums := p.simpleBase(c)
	t.under = under
	t.kind = kSimple
	if under.b != nil && under.b.alias {
		t.kind = kAlias
		return
	}
	if under.t != nil && under.t.kind == kAlias {
		t.kind = kAlias
		return
	}
	if lit := p.litOf(under); lit != litNone {
		for _, v := range enums {
			t.enums = append(t.enums, &enumConst{value: v})
		}
	}
}

// litOf tells which literal kind constants of a type over r take.
func (p *planner) litOf(r ref) litKind {
	for i := 0; i < 50; i++ {
		if r.b != nil {
			return r.b.kind
		}
		if r.t == nil || r.t.kind != kSimple {
			return litNone
		}
		r = r.t.under
	}
	return litNone
}

// simpleBase returns the Go type under a simpleType and its enumeration.
func (p *planner) simpleBase(c comp) (ref, []string) {
	str := ref{b: ptrB(xsdBuiltins["string"])}
	for _, d := range c.n.Children {
		if d.Name.Space != nsXSD {
			continue
		}
		switch d.Name.Local {
		case "restriction":
			var under ref
			if d.attr("base") != "" {
				under = p.typeRef(c.s, d, d.attr("base"))
			} else if st := d.kid(nsXSD, "simpleType"); st != nil {
				under, _ = p.simpleBase(comp{st, c.s})
			} else {
				under = str
			}
			if under.t != nil && under.t.kind == kStruct {
				under = str
			}
			var enums []string
			for _, e := range d.kids(nsXSD, "enumeration") {
				enums = append(enums, e.attr("value"))
			}
			return under, enums
		case "list", "union":
			// Lists and unions keep their lexical form: a string.
			return str, nil
		}
	}
	return str, nil
}

// buildComplex fills t's fields from complexType c.
func (p *planner) buildComplex(t *goType, c comp) {
	if t.built {
		return
	}
	t.built = true
	// Cycle detection covers the inline expansion of this one type; a
	// field naming another type (even a type derived from this one)
	// starts a fresh expansion.
	saved := p.active
	p.active = map[*node]bool{}
	t.fields = dedupeFields(append(t.fields, p.complexFields(t, c, 0)...))
	p.active = saved
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
					for _, f := range p.complexFields(owner, bc, depth+1) {
						if x.Name.Local == "restriction" && f.tag != ",chardata" {
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
	if optional || repeated {
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
// a struct with XMLName.
func (p *planner) elementType(at *node, qn xml.Name) *goType {
	if t, ok := p.byElem[qn]; ok {
		return t
	}
	c, ok := p.ix.elements[qn]
	if !ok {
		p.fail(errAt(at, "wsdl:part", "define the element in the WSDL types or import its schema", "element {%s}%s is not defined in any loaded schema", qn.Space, qn.Local))
		t := &goType{kind: kStruct, cand: "Missing"}
		return t
	}
	xn := qn
	content := p.elementContentType(c, nil)
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
			t.fields = []*goField{{cand: "Value", typ: content, tag: ",chardata"}}
			if content.b != nil && content.b.ident == "XSDAnyType" {
				t.fields = []*goField{{cand: "Content", typ: ref{b: ptrB(builtin{ident: "[]byte"})}, tag: ",innerxml"}}
			}
		}
	}
	t.xmlName = &xn
	p.byElem[qn] = t
	return t
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
				prev.typ.slice, prev.typ.ptr = true, false
				if !strings.HasSuffix(prev.tag, ",omitempty") {
					prev.tag += ",omitempty"
				}
			}
			continue
		}
		seen[key] = f
		out = append(out, f)
	}
	return out
}
