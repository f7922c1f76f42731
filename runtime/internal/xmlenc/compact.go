package xmlenc

import (
	"bytes"
	"encoding/xml"
	"reflect"
	"slices"
	"strconv"
)

// A Compact encoder writes the names encoding/xml writes with each
// namespace declared once in each top-level element (a header, the
// body's element), on that element, instead of on each element in
// another namespace than its parent (a Salesforce sObject's fields,
// vSphere's xsi:type values):
//
//   - a top-level element declares its namespace as the default
//     namespace, which stays the default below it unless an element
//     must say otherwise;
//   - an element in another namespace is written with a prefix, ns1,
//     ns2… (one per namespace in the message), and so is an xsi:type
//     value in a namespace other than the default one; the top-level
//     element declares the prefixes used below it;
//   - an element in no namespace under a default one declares xmlns="".
//
// Each top-level element is thus whole on its own (a server that parses
// the body's element apart from the envelope reads the same names), and
// names and xsi:type values resolve as in encoding/xml's output. What a
// reader resolves against the default namespace in scope and the encoder
// cannot see (raw XML with markup, an xsi:type value without a prefix, a
// fragment encoding/xml writes) gets the default namespace encoding/xml's
// output has there: the element around it declares it (Start.Keep), or,
// for a fragment, Unsure asks the caller to encode without Compact. The
// text of an element is the exception: a QName in it without a prefix
// (xsd:QName is a Go string) resolves against the default namespace in
// scope, the top-level element's rather than its element's.
//
// Clash reports an output in which the prefixes could capture or be
// captured by a prefix the content uses itself.

// compactState is what a Compact encoder keeps between elements.
type compactState struct {
	// prefixes[i] is the namespace of prefix prefixName(i); topUses[i]
	// reports that the current top-level element uses it.
	prefixes []string
	topUses  []bool
	// top: the next element opened is a top-level one; topAt is where
	// its declarations go (after its name); depth counts open elements.
	top   bool
	topAt int
	depth int
	// typedNS: an xsi:type value in a namespace was written; spells
	// what the content spells (see content), contentStart and contentEnd
	// where the last content is.
	typedNS                  bool
	spells                   uint8
	contentStart, contentEnd int
}

func (c compactState) reset() compactState {
	clear(c.prefixes)
	return compactState{prefixes: c.prefixes[:0], topUses: c.topUses[:0]}
}

// prefixName is the prefix of prefixes[i].
func prefixName(i int) string {
	if i < len(prefixNames) {
		return prefixNames[i]
	}
	return "ns" + strconv.Itoa(i+1)
}

var prefixNames = func() []string {
	out := make([]string, 16)
	for i := range out {
		out[i] = "ns" + strconv.Itoa(i+1)
	}
	return out
}()

// prefixFor returns the prefix of namespace uri, used in the current
// top-level element.
func (e *Encoder) prefixFor(uri string) string {
	c := &e.cs
	i := slices.Index(c.prefixes, uri)
	if i < 0 {
		i = len(c.prefixes)
		c.prefixes = append(c.prefixes, uri)
		c.topUses = append(c.topUses, false)
	}
	c.topUses[i] = true
	return prefixName(i)
}

// openCompact is open for a Compact encoder.
func (e *Encoder) openCompact(s *Start, sv saved) (saved, error) {
	// interior is the default namespace encoding/xml's output has inside
	// the element, so the namespace of its name.
	interior := e.old
	if s.Name.Space != "" {
		interior = s.Name.Space
	}
	keep := s.Keep || s.Type.Local != "" && s.Type.Space == ""
	explicit := 0
	for _, a := range s.Attr {
		switch {
		case a.Name.Local == "":
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			if s.Name.Space != "" {
				return sv, ErrFallback // two xmlns attributes
			}
			explicit++
			interior = a.Value
		case a.Name.Space == xsiNamespace && a.Name.Local == "type", a.Name.Space == "" && a.Name.Local == "xsi:type":
			keep = true // a QName of the caller's, maybe without a prefix
		}
	}
	if explicit > 0 {
		keep = true
	}
	if explicit > 1 {
		e.Unsure = true // a duplicate attribute: left as encoding/xml writes it
	}
	top := e.cs.top
	e.cs.top = false
	e.cs.depth++
	e.Buf = append(e.Buf, '<')
	declare := false
	switch {
	case interior == e.def:
	case keep || interior == "" || top:
		declare = true
	default:
		sv.prefix = e.prefixFor(interior)
		e.Buf = append(e.Buf, sv.prefix...)
		e.Buf = append(e.Buf, ':')
	}
	at := len(e.Buf)
	e.Buf = append(e.Buf, s.Name.Local...)
	e.content(at) // a name of the caller's (an XSDAnyType's) may hold a prefix
	if declare {
		e.Buf = append(e.Buf, ` xmlns="`...)
		e.Buf = appendEscaped(e.Buf, interior)
		e.Buf = append(e.Buf, '"')
		e.def = interior
	}
	if top {
		e.cs.topAt = len(e.Buf)
	}
	e.old = interior
	e.parent = s.Name.Space
	if err := e.attrs(s); err != nil {
		return sv, err
	}
	e.xsiAttrs(s)
	e.Buf = append(e.Buf, '>')
	return sv, nil
}

// closeCompact follows an end tag: at the end of a top-level element it
// declares, on that element, the prefixes used in it.
func (e *Encoder) closeCompact() {
	c := &e.cs
	if c.depth--; c.depth > 0 {
		return
	}
	c.top = true // a sibling (a slice at the top) is a top-level element too
	d := e.scratch[:0]
	for i, used := range c.topUses {
		if !used {
			continue
		}
		c.topUses[i] = false
		d = append(d, " xmlns:"...)
		d = append(d, prefixName(i)...)
		d = append(d, `="`...)
		d = appendEscaped(d, c.prefixes[i])
		d = append(d, '"')
	}
	if len(d) > 0 {
		e.Buf = slices.Insert(e.Buf, c.topAt, d...)
	}
	e.scratch = d[:0]
}

// appendQName appends the xsi:type value of name, escaped: without a
// prefix when name is in the default namespace in scope (or in none, which
// Keep made the default namespace encoding/xml's output has).
func (e *Encoder) appendQName(dst []byte, name xml.Name) []byte {
	if name.Space != "" {
		e.cs.typedNS = true
	}
	if name.Space != "" && name.Space != e.def {
		dst = append(dst, e.prefixFor(name.Space)...)
		dst = append(dst, ':')
	}
	return appendEscaped(dst, name.Local)
}

// innerMarkup reports whether an innerxml field of v holds markup, which
// may name elements in the default namespace in scope.
func innerMarkup(v reflect.Value, st *structPlan) bool {
	for i := range st.fields {
		f := &st.fields[i]
		if f.mode != fInnerXML {
			continue
		}
		fv := v.Field(f.index)
		if fv.Kind() == reflect.String {
			if hasMarkup(fv.String()) {
				return true
			}
		} else if bytes.IndexByte(fv.Bytes(), '<') >= 0 {
			return true
		}
	}
	return false
}

func hasMarkup(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '<' {
			return true
		}
	}
	return false
}

// content notes Buf[at:], which the caller's values wrote (text,
// attributes, raw XML, a fragment), for Clash.
func (e *Encoder) content(at int) {
	if !e.Compact {
		return
	}
	c := &e.cs
	if at == c.contentEnd && at > 0 {
		at = c.contentStart // one text with the content just before: a
		// prefix may begin in one and end in the other
	}
	c.contentStart, c.contentEnd = at, len(e.Buf)
	for _, b := range e.Buf[at:] {
		if b != 'n' && b != 'x' && b != '<' {
			continue
		}
		c.spells |= spells(e.Buf[at:])
		return
	}
}

// What content spells, that a prefix of the output could mean something
// in: ns followed by a digit (the form of the prefixes, also in a
// declaration xmlns:ns1), xt followed by ':', a reference or markup, a
// comment or CDATA section ("<!", across which text joins).
const (
	spellsNS = 1 << iota
	spellsXT
	spellsMarkup
)

func spells(b []byte) uint8 {
	var out uint8
	for i := 0; i+1 < len(b); i++ {
		switch {
		case b[i] == 'n' && b[i+1] == 's' && i+2 < len(b) && isDigit(b[i+2]):
			out |= spellsNS
		case b[i] == 'x' && b[i+1] == 't' && i+2 < len(b) && (b[i+2] == ':' || b[i+2] == '&' || b[i+2] == '<'):
			out |= spellsXT
		case b[i] == '<' && b[i+1] == '!':
			out |= spellsMarkup
		}
	}
	return out
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// Clash reports whether a Compact output could mean something else than
// the output without Compact through a prefix: where that binds xt (an
// xsi:type value in a namespace), the content (raw XML, text, attribute
// values) spells xt; where the output uses prefixes, the content spells
// one of that form, or could build a QName across a comment or a CDATA
// section. The caller then encodes without Compact.
func (e *Encoder) Clash() bool {
	c := &e.cs
	if c.typedNS && c.spells&spellsXT != 0 {
		return true
	}
	return len(c.prefixes) > 0 && c.spells&(spellsNS|spellsMarkup) != 0
}
