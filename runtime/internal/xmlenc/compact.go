package xmlenc

import (
	"bytes"
	"encoding/xml"
	"reflect"
	"slices"
	"strconv"
	"strings"
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
// names and xsi:type values resolve as in encoding/xml's output. A
// Shared encoder leaves the declarations to one element around all of
// the output instead (AppendDecls), its first top-level element's
// namespace as the default namespace there. What a
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
	// sharedDefault: a top-level element was opened (a Shared output's
	// default namespace is settled).
	top           bool
	topAt         int
	depth         int
	sharedDefault bool
	// open holds, per open element, the default namespace encoding/xml's
	// output had around it and the index of its name's prefix (-1: none).
	open []frame
	// typedNS: an xsi:type value in a namespace was written; content
	// the ranges of Buf the caller's values wrote, spells what names of
	// the caller's may spell.
	typedNS bool
	content [][2]int
	spells  uint8
}

type frame struct {
	old    string
	prefix int
}

func (c compactState) reset() compactState {
	clear(c.prefixes)
	clear(c.open)
	return compactState{prefixes: c.prefixes[:0], topUses: c.topUses[:0], content: c.content[:0], open: c.open[:0]}
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

// prefixFor returns the index of the prefix of namespace uri, used in the
// current top-level element.
func (e *Encoder) prefixFor(uri string) int {
	c := &e.cs
	i := slices.Index(c.prefixes, uri)
	if i < 0 {
		i = len(c.prefixes)
		c.prefixes = append(c.prefixes, uri)
		c.topUses = append(c.topUses, false)
	}
	c.topUses[i] = true
	return i
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
	f := frame{old: e.old, prefix: -1}
	e.Buf = append(e.Buf, '<')
	declare := false
	switch {
	case interior == e.def:
	case keep || interior == "":
		declare = true
	case top && e.Shared && !e.cs.sharedDefault:
		// The first top-level element's namespace is the output's
		// default namespace, declared around it (AppendDecls).
		e.Default, e.def = interior, interior
	case top && !e.Shared:
		declare = true
	default:
		f.prefix = e.prefixFor(interior)
		e.Buf = append(e.Buf, prefixName(f.prefix)...)
		e.Buf = append(e.Buf, ':')
	}
	e.Buf = append(e.Buf, s.Name.Local...)
	if declare {
		e.Buf = append(e.Buf, ` xmlns="`...)
		e.Buf = appendEscaped(e.Buf, interior)
		e.Buf = append(e.Buf, '"')
		e.def = interior
	}
	if top {
		e.cs.topAt = len(e.Buf)
		e.cs.sharedDefault = true
	}
	e.cs.open = append(e.cs.open, f)
	if len(e.old) != len(interior) || e.old != interior {
		e.old = interior // a store only when it changes: a write barrier
	}
	return e.endStart(s, sv)
}

// endPrefix writes the prefix of the end tag of the element that ends
// and restores what it changed.
func (e *Encoder) endPrefix() {
	c := &e.cs
	f := c.open[len(c.open)-1]
	c.open = c.open[:len(c.open)-1]
	if f.prefix >= 0 {
		e.Buf = append(e.Buf, prefixName(f.prefix)...)
		e.Buf = append(e.Buf, ':')
	}
	if len(e.old) != len(f.old) || e.old != f.old {
		e.old = f.old
	}
}

// closeCompact follows an end tag: at the end of a top-level element it
// declares, on that element, the prefixes used in it.
func (e *Encoder) closeCompact() {
	c := &e.cs
	if c.depth--; c.depth > 0 {
		return
	}
	c.top = true // a sibling (a slice at the top) is a top-level element too
	if e.Shared {
		return // AppendDecls declares them around the whole output
	}
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
		for i := len(c.content) - 1; i >= 0 && c.content[i][0] >= c.topAt; i-- {
			c.content[i][0] += len(d)
			c.content[i][1] += len(d)
		}
	}
	e.scratch = d[:0]
}

// AppendDecls appends to dst the namespace declarations a Shared output
// needs on the element around it: the default namespace (Default) and
// each prefix the output uses.
func (e *Encoder) AppendDecls(dst []byte) []byte {
	if e.Default != "" {
		dst = append(dst, ` xmlns="`...)
		dst = appendEscaped(dst, e.Default)
		dst = append(dst, '"')
	}
	for i, used := range e.cs.topUses {
		if used {
			dst = append(dst, " xmlns:"...)
			dst = append(dst, prefixName(i)...)
			dst = append(dst, `="`...)
			dst = appendEscaped(dst, e.cs.prefixes[i])
			dst = append(dst, '"')
		}
	}
	return dst
}

// callerName notes an element name that comes from a value (an XMLName
// field, a Native's start) rather than a tag, for Clash: a prefixed one
// is written as it is.
func (e *Encoder) callerName(local string) {
	if e.Compact && strings.IndexByte(local, ':') >= 0 {
		e.cs.spells |= spellsNS | spellsXT
	}
}

// appendQName appends the xsi:type value of name, escaped: without a
// prefix when name is in the default namespace in scope (or in none, which
// Keep made the default namespace encoding/xml's output has).
func (e *Encoder) appendQName(dst []byte, name xml.Name) []byte {
	if name.Space != "" {
		e.cs.typedNS = true
	}
	if name.Space != "" && name.Space != e.def {
		dst = append(dst, prefixName(e.prefixFor(name.Space))...)
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
	if !e.Compact || at == len(e.Buf) {
		return
	}
	c := &e.cs
	if n := len(c.content); n > 0 && c.content[n-1][1] == at {
		c.content[n-1][1] = len(e.Buf) // one text with the content just
		// before: a prefix may begin in one and end in the other
		return
	}
	c.content = append(c.content, [2]int{at, len(e.Buf)})
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

func spells(b []byte, risky uint8) uint8 {
	var out uint8
	if risky&spellsNS != 0 && followed(b, 'n', func(rest []byte) bool {
		return len(rest) > 1 && rest[0] == 's' && isDigit(rest[1])
	}) {
		out |= spellsNS
	}
	if risky&spellsXT != 0 && followed(b, 'x', func(rest []byte) bool {
		return len(rest) > 1 && rest[0] == 't' && (rest[1] == ':' || rest[1] == '&' || rest[1] == '<')
	}) {
		out |= spellsXT
	}
	if risky&spellsMarkup != 0 && followed(b, '<', func(rest []byte) bool {
		return len(rest) > 0 && rest[0] == '!'
	}) {
		out |= spellsMarkup
	}
	return out
}

// followed reports whether some c in b is followed by what match accepts.
func followed(b []byte, c byte, match func(rest []byte) bool) bool {
	for {
		i := bytes.IndexByte(b, c)
		if i < 0 {
			return false
		}
		b = b[i+1:]
		if match(b) {
			return true
		}
	}
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
	var risky uint8
	if c.typedNS {
		risky |= spellsXT
	}
	if len(c.prefixes) > 0 {
		risky |= spellsNS | spellsMarkup
	}
	if c.spells&risky != 0 {
		return true
	}
	if risky == 0 {
		return false
	}
	for _, r := range c.content {
		if spells(e.Buf[r[0]:r[1]], risky) != 0 {
			return true
		}
	}
	return false
}
