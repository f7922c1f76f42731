package generator

import (
	"encoding/xml"
	"slices"
)

// admitDerivedFaults gives every operation's fault list, after the faults
// it declares, the global elements whose type derives from a declared
// fault's type. vSphere declares RuntimeFault on nearly every operation
// but answers <NotAuthenticatedFault xsi:type="NotAuthenticated">; an
// element of a derived type is a legal detail there (the derived value
// is substitutable for the declared one), and without this list it would
// reach the caller only as raw XML. Element order is the schemas', so
// the output is stable.
func admitDerivedFaults(ix *index, p *planner, bindings []*binding) {
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
			continue // skipped by buildModel, which built every element
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
	done := map[*goType]bool{} // declared fault elements whose derivedFaults are set
	for _, b := range bindings {
		for _, op := range b.ops {
			for _, f := range op.faults {
				if done[f] {
					continue
				}
				done[f] = true
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
				f.derivedFaults = more
			}
			for _, f := range op.faults {
				for _, d := range f.derivedFaults {
					if !slices.Contains(op.faults, d) && !slices.Contains(op.moreFaults, d) {
						op.moreFaults = append(op.moreFaults, d)
					}
				}
			}
		}
	}
}
