package xmldec

import (
	"bytes"
	"encoding"
	"encoding/xml"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// Options connect a decode to its caller.
type Options struct {
	// Fallback returns an encoding/xml decoder reading doc, a subtree
	// wrapped in an element that declares the namespaces in scope
	// where it stood, and what to call once it is decoded. It decodes
	// the values whose type implements xml.Unmarshaler.
	Fallback func(doc []byte) (*xml.Decoder, func())
	// State is the caller's, for its Natives (Decoder.State).
	State any
	// MaxDepth and MaxAttrs, when not zero, bound element nesting
	// (counted from the document's root) and the attributes of one
	// element: a document beyond them is left to the caller, whose
	// check of it (checkXMLShape) this decoder then stands in for.
	MaxDepth, MaxAttrs int
}

// Done says where a decode ended: End is the offset just past the
// element's end tag, Open how many elements enclose it there.
type Done struct{ End, Open int }

// State returns Options.State.
func (d *Decoder) State() any { return d.opts.State }

// Decoder is one decode of a document.
type Decoder struct {
	data    []byte
	pos     int
	ns      []binding
	gen     uint32 // of the last declaration read
	attrs   []rawAttr
	strs    map[string]string
	scratch []byte
	opts    *Options
	// free are Elements for Natives, reused: a call holds one at a time
	// per level of nesting.
	free []*Element
	// starts hold the start tags of the elements open below the one
	// decoded, depth of them in use (pushStart).
	starts []*[32]start
	depth  int
	// maxDepth bounds depth (MaxDepth less the levels down to the
	// decoded element); maxAttrs is MaxAttrs. Zero: no bound.
	maxDepth, maxAttrs int
	// gather are the slice fields of the structs being decoded, and
	// scratches the scratch slices kept for them (slices.go).
	gather      []gathering
	scratches   map[*plan][]reflect.Value
	keptScratch uintptr // bytes in scratches
}

// pushStart returns a start tag for the next level of nesting, from
// chunks whose addresses stay put: a start tag each element allocated
// (its address escapes into the recursion) was most of what decoding a
// large answer allocated. popStart gives it back; a decode that fails
// does not need to.
func (d *Decoder) pushStart() *start {
	if d.maxDepth > 0 && d.depth >= d.maxDepth {
		return nil
	}
	c, k := d.depth/32, d.depth%32
	if c == len(d.starts) {
		d.starts = append(d.starts, new([32]start))
	}
	d.depth++
	return &d.starts[c][k]
}

func (d *Decoder) popStart() { d.depth-- }

// takeElement returns an Element for the start tag st.
func (d *Decoder) takeElement(st *start) *Element {
	var e *Element
	if n := len(d.free); n > 0 {
		e, d.free = d.free[n-1], d.free[:n-1]
	} else {
		e = new(Element)
	}
	*e = Element{d: d, st: st, nsLen: len(d.ns)}
	return e
}

// putElement takes back an Element a Native is done with.
func (d *Decoder) putElement(e *Element) {
	*e = Element{}
	d.free = append(d.free, e)
}

// Decode decodes into out (a non-nil pointer) the element of data whose
// start tag ends at byte offset off, as encoding/xml's DecodeElement
// would from a decoder that has just read that tag. Any error means
// "decode with encoding/xml instead": out may then hold part of the
// value.
func Decode(data []byte, off int, out any, opts *Options) (Done, error) {
	rv := reflect.ValueOf(out)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return Done{}, errNoPlan
	}
	p, err := planFor(rv.Type().Elem())
	if err != nil {
		return Done{}, err
	}
	d := decoders.Get().(*Decoder)
	d.data, d.opts = data, opts
	defer d.recycle()
	if opts != nil {
		d.maxAttrs = opts.MaxAttrs
	}
	open, st, err := d.seek(off)
	if err != nil {
		return Done{}, err
	}
	if opts != nil && opts.MaxDepth > 0 {
		// The element itself is one level more than its ancestors,
		// each child below it one more (empty or not: a little
		// stricter than the caller's count).
		d.maxDepth = opts.MaxDepth - open - 1
		if d.maxDepth <= 0 {
			return Done{}, errUnsupported
		}
	}
	if err := d.elem(p, rv.Elem(), &st); err != nil {
		return Done{}, err
	}
	return Done{End: d.pos, Open: open}, nil
}

// decoders keeps Decoders, with their stacks and chunks, between decodes:
// a small answer otherwise paid more for them than for its content.
var decoders = sync.Pool{New: func() any {
	return &Decoder{ns: make([]binding, 0, 16), attrs: make([]rawAttr, 0, 8)}
}}

// recycle empties d of everything that points into the document (a
// pooled Decoder must not keep an answer alive) and returns it to
// decoders, unless a deep or wide answer grew it past the common size.
func (d *Decoder) recycle() {
	if cap(d.ns) > 256 || cap(d.attrs) > 256 || len(d.starts) > 4 || cap(d.scratch) > 64<<10 || len(d.strs) > 512 {
		return
	}
	clear(d.ns[:cap(d.ns)])
	clear(d.attrs[:cap(d.attrs)])
	for _, c := range d.starts {
		clear(c[:])
	}
	clear(d.strs)
	// A failed decode leaves gatherings, their scratch holding values.
	clear(d.gather[:cap(d.gather)])
	*d = Decoder{ns: d.ns[:0], attrs: d.attrs[:0], scratch: d.scratch[:0], strs: d.strs, free: d.free, starts: d.starts,
		gather: d.gather[:0], scratches: d.scratches, keptScratch: d.keptScratch}
	decoders.Put(d)
}

// seek reads the document up to the start tag that ends at off, keeping
// the namespace declarations in scope there; open is how many elements
// enclose it.
func (d *Decoder) seek(off int) (open int, _ start, _ error) {
	data := d.data
	var marks []int
	for d.pos < off {
		k := bytes.IndexByte(data[d.pos:], '<')
		if k < 0 {
			return 0, start{}, errUnsupported
		}
		d.pos += k
		if d.pos+1 < len(data) && data[d.pos+1] == '?' {
			k := bytes.Index(data[d.pos:], []byte("?>"))
			if k < 0 {
				return 0, start{}, errUnsupported
			}
			// The declaration may name an encoding encoding/xml
			// converted from: its offsets then are not these.
			if pi := data[d.pos : d.pos+k]; len(pi) >= 5 && string(pi[2:5]) == "xml" && (len(pi) == 5 || isSpace(pi[5])) && !utf8Decl(pi) {
				return 0, start{}, errUnsupported
			}
			d.pos += k + 2
			continue
		}
		switch d.markup() {
		case tokStart:
			var st start
			err := d.readStart(&st)
			if err != nil {
				return 0, st, err
			}
			if st.end == off {
				return len(marks), st, nil
			}
			if st.empty {
				d.ns = d.ns[:st.nsMark]
			} else {
				marks = append(marks, st.nsMark)
			}
		case tokEnd:
			if len(marks) == 0 {
				return 0, start{}, errUnsupported
			}
			d.ns = d.ns[:marks[len(marks)-1]]
			marks = marks[:len(marks)-1]
			k := bytes.IndexByte(data[d.pos:], '>')
			if k < 0 {
				return 0, start{}, errUnsupported
			}
			d.pos += k + 1
		case tokComment:
			if err := d.skipComment(); err != nil {
				return 0, start{}, err
			}
		case tokCDATA:
			if _, err := d.cdata(); err != nil {
				return 0, start{}, err
			}
		default:
			return 0, start{}, errUnsupported
		}
	}
	return 0, start{}, errUnsupported
}

// utf8Decl reports whether an XML declaration names no encoding or UTF-8.
func utf8Decl(decl []byte) bool {
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return true
	}
	rest := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if len(rest) == 0 || rest[0] != '=' {
		return false
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) < 2 || rest[0] != '"' && rest[0] != '\'' {
		return false
	}
	end := bytes.IndexByte(rest[1:], rest[0])
	return end >= 0 && strings.EqualFold(string(rest[1:1+end]), "utf-8")
}

// elem decodes the element st (its start tag read) into v, through its
// end tag, as encoding/xml's unmarshal does.
func (d *Decoder) elem(p *plan, v reflect.Value, st *start) error {
	switch p.kind {
	case kPtr:
		if v.IsNil() {
			v.Set(reflect.New(p.t.Elem()))
		}
		return d.elem(p.elem, v.Elem(), st)
	case kSlice:
		n := v.Len()
		v.Grow(1)
		v.SetLen(n + 1)
		return d.elem(p.elem, v.Index(n), st)
	case kIface:
		if !v.IsNil() {
			return errUnsupported
		}
		_, _, err := d.content(st, false)
		return err
	case kName:
		*(*xml.Name)(v.Addr().UnsafePointer()) = d.name(st)
		_, _, err := d.content(st, false)
		return err
	case kUnmarshaler:
		return d.fallback(v, st)
	case kNative:
		e := d.takeElement(st)
		err := p.native(d, v, e)
		d.putElement(e)
		return err
	case kStruct:
		return d.structElem(p.st, v, st)
	case kText:
		text, _, err := d.content(st, true)
		if err != nil {
			return err
		}
		err = setText(p, v, text)
		d.release(st)
		return err
	}
	text, _, err := d.content(st, true)
	if err != nil {
		return err
	}
	err = setText(p, v, text)
	d.release(st)
	return err
}

func (d *Decoder) name(st *start) xml.Name {
	return xml.Name{Space: st.space, Local: d.intern(st.local)}
}

// release gives back the scratch text st's content used.
func (d *Decoder) release(st *start) {
	if st.scratch >= 0 {
		d.scratch = d.scratch[:st.scratch]
		st.scratch = -1
	}
}

// textAcc gathers an element's own character data: one clean run stays
// a slice of the document, more go to the decoder's scratch buffer.
type textAcc struct {
	first []byte
	base  int // start in scratch, -1 while not there
	any   bool
}

func (d *Decoder) addText(a *textAcc, raw []byte, cdata bool) error {
	if len(raw) == 0 {
		return nil
	}
	if !a.any && a.base < 0 {
		isClean, ok := clean(raw, !cdata)
		if !ok {
			return errUnsupported
		}
		if isClean {
			a.first, a.any = raw, true
			return nil
		}
	}
	if a.base < 0 {
		a.base = len(d.scratch)
		d.scratch = append(d.scratch, a.first...)
	}
	var ok bool
	d.scratch, ok = decodeText(d.scratch, raw, !cdata, cdata)
	if !ok {
		return errUnsupported
	}
	a.any = true
	return nil
}

func (d *Decoder) textOf(a *textAcc) []byte {
	if a.base >= 0 {
		return d.scratch[a.base:]
	}
	return a.first
}

// checkText validates text nobody reads, as encoding/xml still would.
func (d *Decoder) checkText(raw []byte, cdata bool) error {
	isClean, ok := clean(raw, !cdata)
	if !ok {
		return errUnsupported
	}
	if !isClean {
		base := len(d.scratch)
		d.scratch, ok = decodeText(d.scratch, raw, !cdata, cdata)
		d.scratch = d.scratch[:base]
		if !ok {
			return errUnsupported
		}
	}
	return nil
}

// content reads the rest of st, child elements skipped, and returns its
// own character data when collect (nil for none; call release after
// use) and its inner XML.
func (d *Decoder) content(st *start, collect bool) (text, inner []byte, err error) {
	st.scratch = -1
	if st.empty {
		d.ns = d.ns[:st.nsMark]
		return nil, nil, nil
	}
	acc := textAcc{base: -1}
	data := d.data
	for {
		k := bytes.IndexByte(data[d.pos:], '<')
		if k < 0 {
			return nil, nil, errUnsupported
		}
		if k > 0 {
			raw := data[d.pos : d.pos+k]
			if collect {
				err = d.addText(&acc, raw, false)
			} else {
				err = d.checkText(raw, false)
			}
			if err != nil {
				return nil, nil, err
			}
		}
		d.pos += k
		switch d.markup() {
		case tokStart:
			child := d.pushStart()
			if child == nil {
				return nil, nil, errUnsupported
			}
			var err error
			if err = d.readStart(child); err != nil {
				return nil, nil, err
			}
			if _, _, err := d.content(child, false); err != nil {
				return nil, nil, err
			}
			d.popStart()
		case tokEnd:
			endOpen := d.pos
			if err := d.readEnd(st); err != nil {
				return nil, nil, err
			}
			d.ns = d.ns[:st.nsMark]
			if acc.base >= 0 {
				st.scratch = acc.base
			}
			return d.textOf(&acc), data[st.end:endOpen], nil
		case tokComment:
			if err := d.skipComment(); err != nil {
				return nil, nil, err
			}
		case tokCDATA:
			raw, err := d.cdata()
			if err != nil {
				return nil, nil, err
			}
			if collect {
				err = d.addText(&acc, raw, true)
			} else {
				err = d.checkText(raw, true)
			}
			if err != nil {
				return nil, nil, err
			}
		default:
			return nil, nil, errUnsupported
		}
	}
}

// structElem decodes st into the struct v.
func (d *Decoder) structElem(sp *structPlan, v reflect.Value, st *start) error {
	if sp.xmlname >= 0 {
		if sp.name != "" && sp.name != string(st.local) || sp.ns != "" && sp.ns != st.space {
			return errUnsupported // encoding/xml's error
		}
		if sp.xmlnameIsName {
			*(*xml.Name)(v.Field(sp.xmlname).Addr().UnsafePointer()) = d.name(st)
		}
	}
	for k := range st.attrs {
		a := &st.attrs[k]
		handled := false
		for i := range sp.attrs {
			f := &sp.attrs[i]
			if f.name == string(a.local) && (f.ns == "" || f.ns == a.space) {
				if err := d.setAttr(f.p, v.Field(f.index), a); err != nil {
					return err
				}
				handled = true
			}
		}
		if !handled && sp.anyAttr >= 0 {
			if err := d.setAttr(sp.anyAttrPlan, v.Field(sp.anyAttr), a); err != nil {
				return err
			}
		}
	}
	if sp.innerxml >= 0 {
		_, inner, err := d.content(st, false)
		if err != nil {
			return err
		}
		f := v.Field(sp.innerxml)
		switch {
		case sp.innerIsString:
			f.SetString(string(inner))
		case st.empty:
			f.SetZero() // encoding/xml sets its empty buffer: nil
		default:
			f.SetBytes(append(make([]byte, 0, len(inner)), inner...))
		}
		return nil
	}
	if st.empty {
		d.ns = d.ns[:st.nsMark]
		if sp.chardata >= 0 {
			return setText(sp.chardataPlan, v.Field(sp.chardata), nil)
		}
		return nil
	}
	collect := sp.chardata >= 0
	acc := textAcc{base: -1}
	next := 0
	gathered := len(d.gather)
	data := d.data
	for {
		k := bytes.IndexByte(data[d.pos:], '<')
		if k < 0 {
			return errUnsupported
		}
		if k > 0 {
			raw := data[d.pos : d.pos+k]
			var err error
			if collect {
				err = d.addText(&acc, raw, false)
			} else {
				err = d.checkText(raw, false)
			}
			if err != nil {
				return err
			}
		}
		d.pos += k
		switch d.markup() {
		case tokStart:
			child := d.pushStart()
			if child == nil {
				return errUnsupported
			}
			var err error
			if err = d.readStart(child); err != nil {
				return err
			}
			matched := false
			// Children mostly come in field order: look from the
			// field after the last match when that finds the same.
			n := len(sp.elems)
			from := 0
			if sp.unique {
				from = next
			}
			for k := 0; k < n; k++ {
				i := from + k
				if i >= n {
					i -= n
				}
				f := &sp.elems[i]
				if len(f.name) == len(child.local) && f.name == string(child.local) && (f.ns == "" || f.ns == child.space) {
					next = i + 1
					if next == n {
						next = 0
					}
					if f.p.kind == kSlice {
						err = d.gatherElem(gathered, f.index, f.p, child)
					} else {
						err = d.elem(f.p, v.Field(f.index), child)
					}
					matched = true
					break
				}
			}
			if !matched {
				if sp.anyElem >= 0 && sp.anyElemPlan.kind == kSlice {
					err = d.gatherElem(gathered, sp.anyElem, sp.anyElemPlan, child)
				} else if sp.anyElem >= 0 {
					err = d.elem(sp.anyElemPlan, v.Field(sp.anyElem), child)
				} else {
					_, _, err = d.content(child, false)
				}
			}
			if err != nil {
				return err
			}
			d.popStart()
		case tokEnd:
			if err := d.readEnd(st); err != nil {
				return err
			}
			d.ns = d.ns[:st.nsMark]
			d.finishGathered(gathered, v)
			if collect {
				err := setText(sp.chardataPlan, v.Field(sp.chardata), d.textOf(&acc))
				if acc.base >= 0 {
					d.scratch = d.scratch[:acc.base]
				}
				return err
			}
			return nil
		case tokComment:
			if err := d.skipComment(); err != nil {
				return err
			}
		case tokCDATA:
			raw, err := d.cdata()
			if err != nil {
				return err
			}
			if collect {
				err = d.addText(&acc, raw, true)
			} else {
				err = d.checkText(raw, true)
			}
			if err != nil {
				return err
			}
		default:
			return errUnsupported
		}
	}
}

// setText stores an element's character data as encoding/xml's copyValue
// (or the TextUnmarshaler) does.
func setText(p *plan, v reflect.Value, text []byte) error {
	switch p.kind {
	case kText:
		if len(text) == 0 {
			text = nil
		}
		return v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText(text)
	case kString:
		v.SetString(string(text))
	case kBytes:
		v.SetBytes(append(make([]byte, 0, len(text)), text...))
	case kInt:
		if len(text) == 0 {
			v.SetInt(0)
			return nil
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(text)), 10, p.t.Bits())
		if err != nil {
			return err
		}
		v.SetInt(n)
	case kUint:
		if len(text) == 0 {
			v.SetUint(0)
			return nil
		}
		n, err := strconv.ParseUint(string(bytes.TrimSpace(text)), 10, p.t.Bits())
		if err != nil {
			return err
		}
		v.SetUint(n)
	case kFloat:
		if len(text) == 0 {
			v.SetFloat(0)
			return nil
		}
		f, err := strconv.ParseFloat(string(bytes.TrimSpace(text)), p.t.Bits())
		if err != nil {
			return err
		}
		v.SetFloat(f)
	case kBool:
		if len(text) == 0 {
			v.SetBool(false)
			return nil
		}
		b, err := strconv.ParseBool(string(bytes.TrimSpace(text)))
		if err != nil {
			return err
		}
		v.SetBool(b)
	default:
		return errUnsupported
	}
	return nil
}

// setAttr stores an attribute as encoding/xml's unmarshalAttr does.
func (d *Decoder) setAttr(p *plan, v reflect.Value, a *rawAttr) error {
	switch p.kind {
	case kPtr:
		if v.IsNil() {
			v.Set(reflect.New(p.t.Elem()))
		}
		return d.setAttr(p.elem, v.Elem(), a)
	case kAttrUnm:
		return v.Addr().Interface().(xml.UnmarshalerAttr).UnmarshalXMLAttr(d.xmlAttr(a))
	case kText:
		return v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText(append([]byte(nil), a.value...))
	case kSlice:
		n := v.Len()
		v.Grow(1)
		v.SetLen(n + 1)
		return d.setAttr(p.elem, v.Index(n), a)
	case kAttr:
		*(*xml.Attr)(v.Addr().UnsafePointer()) = d.xmlAttr(a)
		return nil
	case kBytes:
		v.SetBytes(append(make([]byte, 0, len(a.value)), a.value...))
		return nil
	}
	return setText(p, v, a.value)
}

func (d *Decoder) xmlAttr(a *rawAttr) xml.Attr {
	return xml.Attr{Name: xml.Name{Space: a.space, Local: d.intern(a.local)}, Value: string(a.value)}
}

// fallback hands the subtree st to encoding/xml, for a value whose type
// implements xml.Unmarshaler.
func (d *Decoder) fallback(v reflect.Value, st *start) error {
	if d.opts == nil || d.opts.Fallback == nil {
		return errUnsupported
	}
	if _, _, err := d.content(st, false); err != nil {
		return err
	}
	doc := d.wrap(d.data[st.open:d.pos], d.ns[:st.nsMark])
	xd, done := d.opts.Fallback(doc)
	defer done()
	var se xml.StartElement
	for depth := 0; depth < 2; {
		t, err := xd.Token()
		if err != nil {
			return err
		}
		if s, ok := t.(xml.StartElement); ok {
			se = s
			depth++
		}
	}
	return xd.DecodeElement(v.Addr().Interface(), &se)
}

// wrap returns sub inside an element declaring the namespaces of scope.
func (d *Decoder) wrap(sub []byte, scope []binding) []byte {
	n := len(sub) + 8
	for _, b := range scope {
		n += len(b.prefix) + len(b.uri) + 12
	}
	doc := make([]byte, 0, n)
	doc = append(doc, "<w"...)
outer:
	for i := len(scope) - 1; i >= 0; i-- {
		b := scope[i]
		for _, inner := range scope[i+1:] {
			if bytes.Equal(inner.prefix, b.prefix) {
				continue outer
			}
		}
		doc = append(doc, " xmlns"...)
		if len(b.prefix) > 0 {
			doc = append(doc, ':')
			doc = append(doc, b.prefix...)
		}
		doc = append(doc, `="`...)
		doc = appendEscaped(doc, b.uri)
		doc = append(doc, '"')
	}
	doc = append(doc, '>')
	doc = append(doc, sub...)
	return append(doc, "</w>"...)
}

func appendEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			dst = append(dst, "&amp;"...)
		case '<':
			dst = append(dst, "&lt;"...)
		case '"':
			dst = append(dst, "&quot;"...)
		case '\r':
			dst = append(dst, "&#xD;"...)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
