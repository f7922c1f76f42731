package xmldec

import "reflect"

// A slice field receives its elements one by one, and appending each to
// the field grew it by doubling: a Salesforce record's five wildcard
// fields took four allocations and copies, the largest of them mostly
// empty, and growing was a fifth of decoding a large answer. The elements
// a struct's slice field receives are gathered in a scratch slice the
// decoder keeps between uses, and copied to the field once, at the end
// of the struct's element, in a slice of exactly their number.

// gathering is one slice field of a struct being decoded: the elements
// it received so far are buf (addressable, so it can grow in place).
type gathering struct {
	field int
	p     *plan // the field's kSlice plan
	buf   reflect.Value
}

// maxScratchBytes bounds what one scratch slice keeps in a pooled
// decoder (the records of a large Salesforce answer: regrowing them for
// each answer allocated three times their size), maxKeptScratch all of
// them.
const (
	maxScratchBytes = 1 << 20
	maxKeptScratch  = 2 << 20
)

// gatherElem decodes the element st as the next element of the struct's
// slice field that plan p (kSlice) decodes. Gatherings from base on are
// those of the struct being decoded.
func (d *Decoder) gatherElem(base, field int, p *plan, st *start) error {
	var g *gathering
	for i := base; i < len(d.gather); i++ {
		if d.gather[i].field == field {
			g = &d.gather[i]
			break
		}
	}
	if g == nil {
		d.gather = append(d.gather, gathering{field: field, p: p, buf: d.takeScratch(p)})
		g = &d.gather[len(d.gather)-1]
	}
	n := g.buf.Len()
	if n == g.buf.Cap() {
		g.buf.Grow(max(n, 4))
	}
	// Elements past the length are zero: the scratch was cleared when
	// its last slice was finished, and growing adds zeroed ones.
	g.buf.SetLen(n + 1)
	return d.elem(p.elem, g.buf.Index(n), st)
}

// finishGathered stores the gathered slices from base on in their fields
// of v, each appended to what the field held (as encoding/xml appends),
// and gives their scratch back.
func (d *Decoder) finishGathered(base int, v reflect.Value) {
	for i := base; i < len(d.gather); i++ {
		g := &d.gather[i]
		f := v.Field(g.field)
		if f.Len() == 0 && !d.keepable(g.p, g.buf) {
			// Too large to keep: the field takes the scratch itself,
			// as appending would have grown it.
			f.Set(g.buf)
			*g = gathering{}
			continue
		}
		if n := g.buf.Len(); f.Len() == 0 {
			// Through reflect.MakeSlice and Value.Slice this took three
			// allocations instead of one.
			f.Grow(n)
			f.SetLen(n)
			reflect.Copy(f, g.buf)
		} else {
			f.Set(reflect.AppendSlice(f, g.buf))
		}
		g.buf.Clear()
		g.buf.SetLen(0)
		d.putScratch(g.p, g.buf)
		*g = gathering{}
	}
	d.gather = d.gather[:base]
}

// keepable reports whether the scratch s of plan p is small enough to
// keep for the next slice.
func (d *Decoder) keepable(p *plan, s reflect.Value) bool {
	return scratchBytes(p, s) <= maxScratchBytes
}

// takeScratch returns an empty scratch slice for plan p, all of its
// capacity zero.
func (d *Decoder) takeScratch(p *plan) reflect.Value {
	if free := d.scratches[p]; len(free) > 0 {
		s := free[len(free)-1]
		free[len(free)-1] = reflect.Value{}
		d.scratches[p] = free[:len(free)-1]
		d.keptScratch -= scratchBytes(p, s)
		return s
	}
	return reflect.New(p.t).Elem() // addressable, for Grow and SetLen
}

// putScratch keeps s, all its capacity zero, for the next slice of p,
// unless it grew large.
func (d *Decoder) putScratch(p *plan, s reflect.Value) {
	n := scratchBytes(p, s)
	if n > maxScratchBytes || d.keptScratch+n > maxKeptScratch {
		return
	}
	if d.scratches == nil {
		d.scratches = map[*plan][]reflect.Value{}
	} else if _, ok := d.scratches[p]; !ok && len(d.scratches) >= 64 {
		return
	}
	d.scratches[p] = append(d.scratches[p], s)
	d.keptScratch += n
}

func scratchBytes(p *plan, s reflect.Value) uintptr {
	return uintptr(s.Cap()) * p.t.Elem().Size()
}
