package generator

import (
	"encoding/xml"
)

type typeKind int

const (
	kStruct typeKind = iota // a complex type or element: a Go struct
	kSimple                 // a simple type: a defined type over a builtin
	kAlias                  // a simple type whose builtin carries methods
	kPoly                   // a holder of a base type or any derived type (xsi:type)
	kSubst                  // a holder of any member of a substitution group
	kChoice                 // one item of a repeated choice: one field set
)

// goType is one named Go type of the generated package.
type goType struct {
	kind typeKind
	// cand is the preferred Go name, prio its rank when names collide
	// (lower wins), key a deterministic tiebreak; the final name is
	// assignNames' (names.typ).
	cand string
	prio int
	key  string

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
	// members: a kSubst holder's element types, head first.
	members []*goType
	// copyOf: an element struct whose fields are those of a named type.
	copyOf *goType
	// arrayItem: a SOAP-encoded array (restriction of soapenc:Array),
	// named by the type of its items (wsdl:arrayType).
	arrayItem *xml.Name
	// encoded: an rpc/encoded operation's wrapper.
	encoded bool
	// list: a kSimple xs:list (its enums are item values).
	list bool
	// bodyParts: the type of a multi-part document message, whose fields
	// are the Body's children (SOAPBodyParts, by goField.xmlName).
	bodyParts bool
	// nilTarget: some nillable element has this struct type, so its
	// UnmarshalXML reports xsi:nil to the runtime (impl.MarkXSINil).
	nilTarget bool
}

// ref is a use of a type: a builtin or a generated type, maybe a slice or
// a pointer.
type ref struct {
	b     *builtin
	t     *goType
	slice bool
	ptr   bool
	// nillable wraps the type in runtime.Nillable (xsi:nil kept).
	nillable bool
}

type goField struct {
	// kind says how encoding/xml maps the field; xmlName is the element
	// or attribute name (fElem, fAttr); omitempty leaves a zero value
	// off the wire. The struct tag is spelled from them (xmlTag).
	kind      fieldKind
	xmlName   xml.Name
	omitempty bool
	// alts is set for a repeated choice's ordered field (kind fAny):
	// the plain per-alternative fields it falls back to when the struct
	// has another wildcard.
	alts []*goField
	// subst is set for a substitution group field (kind fAny); alt is
	// the plain field by the head's name it falls back to when the
	// struct has another wildcard.
	subst *goField
	head  xml.Name
	// cand is the preferred Go name; the final one is assignNames'
	// (names.field), unique within its struct.
	cand string
	typ  ref
	doc  string
}

// enumConst is one enumeration value of a simple type; a pointer, so
// naming can key its Go constant name by it (names.enum).
type enumConst struct {
	value string
}

// planner turns the schema components into Go types, lazily, so only
// what is reachable from a global type or a message is built.
type planner struct {
	ix     *index
	types  []*goType
	byType map[xml.Name]*goType
	byElem map[xml.Name]*goType
	// headerParts: the types of header parts declared with a type, by
	// header element name.
	headerParts map[xml.Name]*goType
	derived     map[xml.Name][]xml.Name
	err         error
	// anon maps the declaration of an anonymous type to its Go type.
	anon map[*node]*goType
	// facets maps the declaration of an element or attribute whose
	// anonymous type only restricts its base's values to what they say
	// ("at most 30 characters"): its Go type is the base's.
	facets map[*node]string
	// substitutes lists the members of each substitution group head;
	// warned the heads already reported (substitution is not mapped).
	substitutes  map[xml.Name][]xml.Name
	substHolders map[xml.Name]*goType
	warned       map[xml.Name]bool
	warn         func(string)
	// active holds the groups, attribute groups and types being expanded.
	active map[*node]bool
	// expanded counts the particles and attribute uses of the type being
	// built (see maxExpansion).
	expanded int
	// strict: a dangling reference fails the generation (Options.Strict);
	// otherwise problems lists what was left out and why (see skip).
	strict      bool
	problems    []problem
	problemSeen map[string]bool
	// lost counts the operations, ports and bindings skipped.
	lost int
}

func newPlanner(ix *index) *planner {
	p := &planner{ix: ix, anon: map[*node]*goType{}, facets: map[*node]string{}, active: map[*node]bool{}, byType: map[xml.Name]*goType{}, byElem: map[xml.Name]*goType{}, derived: map[xml.Name][]xml.Name{}, substitutes: map[xml.Name][]xml.Name{}, substHolders: map[xml.Name]*goType{}, warned: map[xml.Name]bool{}, warn: func(string) {}, problemSeen: map[string]bool{}}
	for _, qn := range ix.elemOrder {
		g := ix.elements[qn]
		if sg := g.n.attr("substitutionGroup"); sg != "" {
			if head, err := g.s.resolve(g.n, sg); err == nil {
				p.substitutes[head] = append(p.substitutes[head], qn)
			}
		}
	}
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

// typeRef resolves a type QName used at n in schema s.
func (p *planner) typeRef(s *schema, n *node, value string) ref {
	r, e := p.lookupType(s, n, value)
	if e != nil {
		p.fail(e)
		return ref{b: ptrB(xsdBuiltins["string"])}
	}
	return r
}

// lookupType resolves like typeRef but returns a dangling reference (an
// undeclared prefix, an undefined type) instead of failing, so the caller
// can leave out what needs it.
func (p *planner) lookupType(s *schema, n *node, value string) (ref, *Error) {
	qn, err := s.resolve(n, value)
	if err != nil {
		return ref{}, errAt(n, "xsd:"+n.Name.Local, "declare the prefix with xmlns:PREFIX on this element or an ancestor", "%v", err)
	}
	return p.lookupTypeName(n, qn)
}

func ptrB(b builtin) *builtin { return &b }

func (p *planner) typeByName(n *node, qn xml.Name) ref {
	r, e := p.lookupTypeName(n, qn)
	if e != nil {
		p.fail(e)
		return ref{b: ptrB(xsdBuiltins["string"])}
	}
	return r
}

func (p *planner) lookupTypeName(n *node, qn xml.Name) (ref, *Error) {
	switch qn.Space {
	case nsXSD:
		if b, ok := xsdBuiltins[qn.Local]; ok {
			return ref{b: &b}, nil
		}
		return ref{}, errAt(n, construct(n), "use an XML Schema built-in type name", "%s is not an XML Schema built-in type", qn.Local)
	case nsSOAPEnc, "http://schemas.xmlsoap.org/soap/encoding":
		if _, ok := p.ix.types[qn]; !ok {
			if b, ok := soapencBuiltin(qn.Local); ok {
				return ref{b: &b}, nil
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
				return ref{b: &b}, nil
			}
		}
		return ref{}, errAt(n, construct(n), "define the type or import the schema that defines it", "type {%s}%s is not defined in any loaded schema", qn.Space, qn.Local)
	}
	t := p.globalType(qn, c)
	if t.holder != nil {
		return ref{t: t.holder}, nil
	}
	return ref{t: t}, nil
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
	t.list = c.n.kid(nsXSD, "list") != nil
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
		case "list":
			// A list keeps its lexical form, a string of space-separated
			// items. Items from an inline enumeration still get constants
			// (a one-item list is a valid value, and .NET [Flags] enums
			// such as "Select Update" are such lists); an itemType that
			// names an enumeration has its own.
			if st := d.kid(nsXSD, "simpleType"); st != nil {
				if _, items := p.simpleBase(comp{st, c.s}); len(items) > 0 {
					return str, items
				}
			}
			return str, nil
		case "union":
			// A union keeps its lexical form: a string.
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
	saved, savedN := p.active, p.expanded
	p.active, p.expanded = map[*node]bool{}, 0
	t.fields = dedupeFields(p.settleWildcards(append(t.fields, p.complexFields(t, c, 0)...)))
	p.active, p.expanded = saved, savedN
}

// maxExpansion bounds the particles and attribute uses one type may expand
// to. Groups that reference another group twice, nested n deep, expand to
// 2^n particles (an "XML Schema bomb": 22 levels took 11 s and 1.5 GB before
// this bound); the largest vendor types in the corpus expand to a few
// hundred.
const maxExpansion = 20000

// overBudget counts one expanded particle of the type being built and
// fails once the type passes maxExpansion.
func (p *planner) overBudget(n *node) bool {
	p.expanded++
	if p.expanded == maxExpansion+1 {
		p.fail(errAt(n, "xsd:"+n.Name.Local, "flatten the nested group or attributeGroup references (a group that refers to another one twice, nested deep, doubles at each level)", "a type expands to more than %d particles and attributes", maxExpansion))
	}
	return p.expanded > maxExpansion
}
