package runtime

import (
	"bytes"
	"encoding/xml"
	"errors"
	"slices"
	"sort"
	"sync"
)

// decoding holds what generated types' decode methods tell the runtime
// about the response being decoded; encoding/xml passes them only the
// decoder, so it is the key. decodeEnvelope (and decodeInto for headers
// and fault details) register their decoder for as long as they decode.
var decoding sync.Map // *xml.Decoder → *decodeState

// decodeState is one registered decode.
type decodeState struct {
	// ns: an XSDAnyType keeps its inner XML verbatim, and inner XML is
	// only meaningful with the namespace prefixes in scope where it
	// stood (a Salesforce record field <sf:Id>, a value
	// xsi:type="sf:Account"). encoding/xml exposes no namespace scope,
	// so XSDAnyType.UnmarshalXML looks it up here by byte offset. The
	// index is built on the first lookup, so envelopes without a
	// wildcard cost nothing more.
	ns nsIndex
	// nils are the values MarkXSINil recorded: decoded from an element
	// with xsi:nil="true", to be set back to nil once the decode ends.
	nils map[any]struct{}
	// xop: the parts of an MTOM answer, which xop:Include elements in
	// the envelope stand for (nil: the answer was a plain envelope).
	xop *xopParts
	// scopes are the last scope maps xmldec gave XSDAnyType values, for
	// values with the same scope to share; anyScope caches them for the
	// elements of one xmldec decode.
	scopes    []map[string]string
	nextScope int
	anyScope  anyScopes
	// inner holds the inner XML xmldec gives XSDAnyType values.
	inner byteChunks
}

// stateOf returns d's registered decode, nil when d is not the runtime's.
func stateOf(d *xml.Decoder) *decodeState {
	if x, ok := decoding.Load(d); ok {
		return x.(*decodeState)
	}
	return nil
}

// nsIndex lists the elements of one document that declare namespaces,
// with their byte ranges, so the declarations in scope at an offset are
// those of the ranges around it. It reads the document only as far as
// the lookups need: the scope of a header element or fault detail costs
// the bytes before it, and what follows it (a hostile detail full of
// declarations) is never indexed for it.
type nsIndex struct {
	data  []byte
	d     *xml.Decoder // nil until the first lookup
	open  []int        // per open element: its index in decls, or -1
	cur   int          // innermost open declaring element, -1 for none
	done  bool
	decls []nsDecl
	// budget is what scopeOf may still spend, in declarations visited.
	budget int
}

type nsDecl struct {
	start  int64 // '<' of the start tag
	tagEnd int64 // after the start tag
	end    int64 // after the end tag (-1: not closed yet)
	parent int   // nearest enclosing declaring element, -1 at the top
	ns     []xml.Attr
}

// scanTo indexes the document up to byte offset off.
func (x *nsIndex) scanTo(off int64) {
	if x.d == nil {
		x.d = xml.NewDecoder(bytes.NewReader(x.data))
		x.d.CharsetReader = charsetReader
		x.cur = -1
	}
	for !x.done && x.d.InputOffset() < off {
		x.step()
	}
}

// step indexes one token.
func (x *nsIndex) step() {
	d := x.d
	off := d.InputOffset()
	t, err := d.RawToken()
	tagEnd := d.InputOffset()
	if err != nil {
		x.done = true
		return
	}
	switch t := t.(type) {
	case xml.StartElement:
		var ns []xml.Attr
		for _, a := range t.Attr {
			switch {
			case a.Name.Space == "xmlns":
				ns = append(ns, xml.Attr{Name: xml.Name{Local: a.Name.Local}, Value: a.Value})
			case a.Name.Space == "" && a.Name.Local == "xmlns":
				ns = append(ns, xml.Attr{Value: a.Value})
			}
		}
		if ns == nil {
			x.open = append(x.open, -1)
			return
		}
		x.decls = append(x.decls, nsDecl{start: off, tagEnd: tagEnd, end: -1, parent: x.cur, ns: ns})
		x.cur = len(x.decls) - 1
		x.open = append(x.open, x.cur)
	case xml.EndElement:
		if len(x.open) == 0 {
			x.done = true
			return
		}
		top := x.open[len(x.open)-1]
		x.open = x.open[:len(x.open)-1]
		if top >= 0 {
			x.decls[top].end = tagEnd
			x.cur = x.decls[top].parent
		}
	}
}

// scopeOf returns prefix → namespace ("" the default) for the element
// whose start tag ends at byte offset from and which ends at to: the
// declarations in scope at it, its own included, inner ones overriding
// outer ones, for the prefixes it mentions (prefixesIn: any name before a colon) and the default
// namespace.
//
// Only those: every value decoded from a document keeps its scope, and a
// hostile answer declaring a thousand namespaces on each of a thousand
// nested elements above a million wildcard elements would otherwise have
// each of them hold a million entries. What a value keeps is bounded by
// its own size; what resolving costs is bounded for the whole document
// (errScopeBudget past a few times its size: real answers, with a handful
// of declarations, never come near).
func (x *nsIndex) scopeOf(from, to int64) (map[string]string, error) {
	x.scanTo(from)
	// The last declaring element that starts before from; the declaring
	// ancestors of from are a suffix of its parent chain, because
	// elements nest.
	i := sort.Search(len(x.decls), func(i int) bool { return x.decls[i].start >= from }) - 1
	// An empty element <v xmlns:x="…"/> has ended by the time its own
	// start tag was read, yet its declarations are its own scope.
	for i >= 0 && x.decls[i].end >= 0 && x.decls[i].end <= from && x.decls[i].tagEnd != from {
		i = x.decls[i].parent
	}
	tag := int64(bytes.LastIndexByte(x.data[:min(from, int64(len(x.data)))], '<'))
	used := prefixSetOf(x.data[max(tag, 0):min(max(to, from), int64(len(x.data)))])
	scope := map[string]string{}
	for ; i >= 0; i = x.decls[i].parent {
		if x.budget -= len(x.decls[i].ns); x.budget < 0 {
			return nil, errScopeBudget
		}
		for _, a := range x.decls[i].ns {
			p := a.Name.Local
			if _, inner := scope[p]; inner || p != "" && !used.has(p) {
				continue
			}
			scope[p] = a.Value
		}
	}
	return scope, nil
}

// errScopeBudget refuses an answer whose namespace declarations would
// cost more to resolve than any real answer does.
var errScopeBudget = errors.New("response refused: namespace declarations in scope of too many wildcard elements (a hostile or broken answer)")

// prefixSetOf is prefixesIn as a set, without a map for the few prefixes
// one element usually mentions.
func prefixSetOf(b []byte) prefixSet {
	var set prefixSet
	for k := bytes.IndexByte(b, ':'); k >= 0; {
		j := k
		for j > 0 && isNameByte(b[j-1]) {
			j--
		}
		if j < k {
			set.add(b[j:k])
		}
		n := bytes.IndexByte(b[k+1:], ':')
		if n < 0 {
			break
		}
		k += 1 + n
	}
	return set
}

// prefixSet is a set of prefixes: a short list (an element mentions one
// or two), a map once it is long.
type prefixSet struct {
	few  []string
	many map[string]struct{}
}

func (s *prefixSet) add(p []byte) {
	if s.many != nil {
		s.many[string(p)] = struct{}{}
		return
	}
	for _, q := range s.few {
		if q == string(p) {
			return
		}
	}
	s.few = append(s.few, string(p))
	if len(s.few) > 16 {
		s.many = map[string]struct{}{}
		for _, q := range s.few {
			s.many[q] = struct{}{}
		}
		s.few = nil
	}
}

func (s *prefixSet) has(p string) bool {
	if s.many != nil {
		_, ok := s.many[p]
		return ok
	}
	return slices.Contains(s.few, p)
}

// beginDecode registers d, which reads data, until endDecode.
func beginDecode(d *xml.Decoder, data []byte) *decodeState {
	st := &decodeState{ns: nsIndex{data: data, budget: 4*len(data) + 1<<20}}
	decoding.Store(d, st)
	return st
}

func endDecode(d *xml.Decoder) { decoding.Delete(d) }
