package generator

import (
	"encoding/xml"
	"slices"
)

// derivedFaults are the fault details admitted beyond the declared ones.
// They are a value of their own rather than fields of the fault types and
// operations: those are finished when buildPorts returns, and no later
// step writes into them.
type derivedFaults struct {
	// of maps each fault element some operation declares to the global
	// elements whose type derives from its type (a server may send one
	// instead); nil for none.
	of map[*goType][]*goType
	// more lists per operation the derived elements of all its declared
	// faults that it does not declare itself, decoded as details too.
	more map[*operation][]*goType
}

// admitDerivedFaults gives every operation's fault list, after the faults
// it declares, the global elements whose type derives from a declared
// fault's type. vSphere declares RuntimeFault on nearly every operation
// but answers <NotAuthenticatedFault xsi:type="NotAuthenticated">; an
// element of a derived type is a legal detail there (the derived value
// is substitutable for the declared one), and without this list it would
// reach the caller only as raw XML. Element order is the schemas', so
// the output is stable.
func admitDerivedFaults(ix *index, p *planner, bindings []*binding) derivedFaults {
	// The element structs of candidates are made only when one matches:
	// most global elements are never a fault detail.
	type candidate struct {
		qn    xml.Name
		c     comp
		named *goType
	}
	var cands []candidate
	for _, qn := range ix.elemOrder {
		c := ix.elements[qn]
		if c.s.wellKnown {
			continue
		}
		r, e := p.elemContent(c, nil)
		if e != nil {
			continue // skipped by planModel, which built every element
		}
		named := r.t
		if named != nil && named.kind == kPoly {
			named = named.base
		}
		if named == nil || named.kind != kStruct {
			continue
		}
		cands = append(cands, candidate{qn, c, named})
	}
	out := derivedFaults{of: map[*goType][]*goType{}, more: map[*operation][]*goType{}}
	for _, b := range bindings {
		for _, op := range b.ops {
			for _, f := range op.faults {
				if _, done := out.of[f]; done {
					continue
				}
				var more []*goType
				if f.copyOf != nil && f.copyOf.holder != nil {
					h := f.copyOf.holder
					for _, c := range cands {
						if c.named != f.copyOf && slices.Contains(c.named.bases, h) {
							if t, e := p.elementType(c.c.n, c.qn); e == nil {
								more = append(more, t)
							}
						}
					}
				}
				out.of[f] = more
			}
			var more []*goType
			for _, f := range op.faults {
				for _, d := range out.of[f] {
					if !slices.Contains(op.faults, d) && !slices.Contains(more, d) {
						more = append(more, d)
					}
				}
			}
			if more != nil {
				out.more[op] = more
			}
		}
	}
	return out
}
