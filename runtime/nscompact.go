package runtime

import (
	"bytes"
	"sync"
)

// encoding/xml declares the namespace of every namespaced element on the
// element itself (<a xmlns="urn:x"><b xmlns="urn:x">…), and the runtime's
// xsi:type and prefixed encoders declare their prefixes on every element
// that uses them: a request repeated the same declarations on nearly
// every element. compactNS rewrites such a fragment so that each binding
// is declared once:
//
//   - a prefix declaration (xmlns:p="U") moves to the top-level element it
//     occurs under, the first binding of each prefix only: an element
//     that had p unbound cannot have used p, so binding it there changes
//     the meaning of nothing;
//   - a declaration (xmlns="U" or xmlns:p="U") that binds what is already
//     in scope is dropped.
//
// Every element therefore has exactly the in-scope namespaces it had
// before, default namespace included, so names and QName values in
// attributes or text (xsi:type="xt:T") mean what they meant. Anything the
// scanner does not expect (a DOCTYPE, a malformed tag) is copied as it is
// from there on, which is still correct: what was dropped before was
// redundant.

// nsBinding is one namespace binding in scope: prefix "" is the default
// namespace.
type nsBinding struct {
	prefix, uri []byte
}

// compactNS appends fragment src (elements and text as encoding/xml
// writes them, raw XML inside) to dst with its namespace declarations
// compacted. outer is what is in scope where the fragment goes (the
// envelope's prefixes; no default namespace unless given).
func compactNS(dst, src []byte, outer []nsBinding) []byte {
	if bytes.Count(src, xmlnsBytes) < 2 {
		// One declaration at most: nothing can repeat (one that repeats
		// the envelope's is harmless), and most bodies of simple
		// operations are this; skip the scan.
		return append(dst, src...)
	}
	c := compactors.Get().(*nsCompactor)
	c.src, c.dst, c.pos, c.outer = src, dst, 0, len(outer)
	c.scope, c.marks, c.attrs = append(c.scope[:0], outer...), c.marks[:0], c.attrs[:0]
	c.fragment()
	out := c.dst
	c.release()
	return out
}

// compactors keeps the scanner's stacks between requests: a request
// otherwise allocated them each time.
var compactors = sync.Pool{New: func() any {
	return &nsCompactor{scope: make([]nsBinding, 0, 16), marks: make([]int, 0, 16), attrs: make([]attr, 0, 8)}
}}

// release returns c to compactors without what points into the request
// (a pooled scanner must not keep a request's bytes alive), and not at all
// when a deep or wide request grew its stacks past the common size.
func (c *nsCompactor) release() {
	c.src, c.dst = nil, nil
	if cap(c.scope) > 256 || cap(c.marks) > 256 || cap(c.attrs) > 64 || cap(c.hoist) > 64 {
		return
	}
	clear(c.scope[:cap(c.scope)])
	clear(c.attrs[:cap(c.attrs)])
	clear(c.hoist[:cap(c.hoist)])
	compactors.Put(c)
}

var xmlnsBytes = []byte("xmlns")

type nsCompactor struct {
	src, dst []byte
	pos      int
	scope    []nsBinding
	outer    int
	// marks[i] is len(scope) when the element at depth i opened.
	marks []int
	// attrs is reused by every start tag, hoist by every top-level
	// element: the scan allocates nothing per element.
	attrs []attr
	hoist []nsBinding
}

var (
	xmlnsAttr   = []byte("xmlns")
	xmlnsPrefix = []byte("xmlns:")
)

func (c *nsCompactor) fragment() {
	for c.pos < len(c.src) {
		lt := bytes.IndexByte(c.src[c.pos:], '<')
		if lt < 0 {
			break
		}
		c.dst = append(c.dst, c.src[c.pos:c.pos+lt]...)
		c.pos += lt
		if !c.markup() {
			break
		}
	}
	c.dst = append(c.dst, c.src[c.pos:]...)
	c.pos = len(c.src)
}

// markup copies the markup at c.pos (a '<'), compacting a start tag. It
// returns false when the rest must be copied as it is.
func (c *nsCompactor) markup() bool {
	rest := c.src[c.pos:]
	for _, skip := range [][2]string{{"<!--", "-->"}, {"<![CDATA[", "]]>"}, {"<?", "?>"}} {
		if bytes.HasPrefix(rest, []byte(skip[0])) {
			end := bytes.Index(rest[len(skip[0]):], []byte(skip[1]))
			if end < 0 {
				return false
			}
			n := len(skip[0]) + end + len(skip[1])
			c.dst = append(c.dst, rest[:n]...)
			c.pos += n
			return true
		}
	}
	switch {
	case bytes.HasPrefix(rest, []byte("<!")):
		return false // a DOCTYPE: not in a SOAP body
	case bytes.HasPrefix(rest, []byte("</")):
		end := bytes.IndexByte(rest, '>')
		if end < 0 || len(c.marks) == 0 {
			return false
		}
		c.dst = append(c.dst, rest[:end+1]...)
		c.pos += end + 1
		c.scope = c.scope[:c.marks[len(c.marks)-1]]
		c.marks = c.marks[:len(c.marks)-1]
		return true
	}
	var hoist []nsBinding
	if len(c.marks) == 0 {
		var ok bool
		if hoist, ok = c.hoisted(); !ok {
			return false
		}
	}
	return c.startTag(hoist)
}

// attr is one attribute of a start tag: src[from:to] is the attribute
// with the white space before it, name and value its parts.
type attr struct {
	from, to    int
	name, value []byte
}

// scanTag parses the start tag at src[at:]: its name's end, attributes,
// whether it is empty (/>) and where it ends (after '>').
func scanTag(src []byte, at int, attrs []attr) (nameEnd int, _ []attr, empty bool, end int, ok bool) {
	i := at + 1
	for i < len(src) && !isXMLSpace(src[i]) && src[i] != '>' && src[i] != '/' {
		i++
	}
	if i == at+1 {
		return 0, attrs, false, 0, false
	}
	nameEnd = i
	for {
		from := i
		for i < len(src) && isXMLSpace(src[i]) {
			i++
		}
		if i >= len(src) {
			return 0, attrs, false, 0, false
		}
		switch src[i] {
		case '>':
			return nameEnd, attrs, false, i + 1, true
		case '/':
			if i+1 < len(src) && src[i+1] == '>' {
				return nameEnd, attrs, true, i + 2, true
			}
			return 0, attrs, false, 0, false
		}
		if i == from {
			return 0, attrs, false, 0, false // no space before an attribute
		}
		ns := i
		for i < len(src) && src[i] != '=' && !isXMLSpace(src[i]) && src[i] != '>' {
			i++
		}
		name := src[ns:i]
		for i < len(src) && isXMLSpace(src[i]) {
			i++
		}
		if i >= len(src) || src[i] != '=' || len(name) == 0 {
			return 0, attrs, false, 0, false
		}
		i++
		for i < len(src) && isXMLSpace(src[i]) {
			i++
		}
		if i >= len(src) || src[i] != '"' && src[i] != '\'' {
			return 0, attrs, false, 0, false
		}
		q := src[i]
		close := bytes.IndexByte(src[i+1:], q)
		if close < 0 {
			return 0, attrs, false, 0, false
		}
		value := src[i+1 : i+1+close]
		i += close + 2
		attrs = append(attrs, attr{from: from, to: i, name: name, value: value})
	}
}

func isXMLSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// declared returns the prefix a namespace declaration binds ("" for the
// default namespace), or ok false for another attribute.
func declared(name []byte) (prefix []byte, ok bool) {
	if bytes.Equal(name, xmlnsAttr) {
		return nil, true
	}
	if bytes.HasPrefix(name, xmlnsPrefix) && len(name) > len(xmlnsPrefix) {
		return name[len(xmlnsPrefix):], true
	}
	return nil, false
}

// hoisted scans the top-level element at c.pos to its end and returns the
// first binding of each prefix declared in it that the outer scope does
// not bind (the outer scope's own prefixes are never shadowed).
func (c *nsCompactor) hoisted() ([]nsBinding, bool) {
	out := c.hoist[:0]
	defer func() { c.hoist = out[:0] }()
	attrs := c.attrs[:0]
	depth := 0
	for i := c.pos; i < len(c.src); {
		lt := bytes.IndexByte(c.src[i:], '<')
		if lt < 0 {
			return nil, false
		}
		i += lt
		rest := c.src[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")), bytes.HasPrefix(rest, []byte("<![CDATA[")), bytes.HasPrefix(rest, []byte("<?")):
			var end []byte
			switch rest[1] {
			case '!':
				end = []byte("-->")
				if rest[2] == '[' {
					end = []byte("]]>")
				}
			default:
				end = []byte("?>")
			}
			n := bytes.Index(rest[2:], end)
			if n < 0 {
				return nil, false
			}
			i += 2 + n + len(end)
			continue
		case bytes.HasPrefix(rest, []byte("<!")):
			return nil, false
		case bytes.HasPrefix(rest, []byte("</")):
			n := bytes.IndexByte(rest, '>')
			if n < 0 {
				return nil, false
			}
			i += n + 1
			depth--
			if depth == 0 {
				return out, true
			}
			continue
		}
		_, as, empty, end, ok := scanTag(c.src, i, attrs[:0])
		if !ok {
			return nil, false
		}
		attrs = as
		c.attrs = attrs
		for _, a := range attrs {
			p, ok := declared(a.name)
			if !ok || len(p) == 0 || bytes.Equal(p, []byte("xml")) || bytes.Equal(p, xmlnsAttr) {
				continue
			}
			if c.boundIn(out, p) || c.boundOuter(p) || bytes.IndexByte(a.value, '"') >= 0 {
				continue // the first binding only; never the envelope's; written in "…"
			}
			out = append(out, nsBinding{prefix: p, uri: a.value})
		}
		i = end
		if !empty {
			depth++
		}
		if depth == 0 {
			return out, true
		}
	}
	return nil, false
}

func (c *nsCompactor) boundIn(bs []nsBinding, p []byte) bool {
	for _, b := range bs {
		if bytes.Equal(b.prefix, p) {
			return true
		}
	}
	return false
}

func (c *nsCompactor) boundOuter(p []byte) bool {
	return c.boundIn(c.scope[:c.outer], p)
}

// startTag copies the start tag at c.pos without the declarations already
// in scope; hoist (top-level elements only) are declared on it too.
func (c *nsCompactor) startTag(hoist []nsBinding) bool {
	nameEnd, attrs, empty, end, ok := scanTag(c.src, c.pos, c.attrs[:0])
	if !ok {
		return false
	}
	c.attrs = attrs
	c.marks = append(c.marks, len(c.scope))
	c.dst = append(c.dst, c.src[c.pos:nameEnd]...)
	// The element's own declarations take effect together: each is
	// compared with the scope outside the element, then bound.
	mark := len(c.scope)
	at := nameEnd
	for _, a := range attrs {
		c.dst = append(c.dst, c.src[at:a.from]...)
		at = a.to
		p, ok := declared(a.name)
		if ok {
			if uri, bound := c.lookupBelow(p, mark); bound && bytes.Equal(uri, a.value) || !bound && len(p) == 0 && len(a.value) == 0 {
				continue // already in scope (xmlns="" where none is declared)
			}
			c.scope = append(c.scope, nsBinding{prefix: p, uri: a.value})
		}
		c.dst = append(c.dst, c.src[a.from:a.to]...)
	}
	for _, h := range hoist {
		if _, own := c.lookupAbove(h.prefix, mark); own {
			continue // the element declares this prefix itself
		}
		c.dst = append(c.dst, ' ')
		c.dst = append(c.dst, xmlnsPrefix...)
		c.dst = append(c.dst, h.prefix...)
		c.dst = append(c.dst, '=', '"')
		c.dst = append(c.dst, h.uri...)
		c.dst = append(c.dst, '"')
		c.scope = append(c.scope, h)
	}
	c.dst = append(c.dst, c.src[at:end]...)
	c.pos = end
	if empty {
		c.scope = c.scope[:c.marks[len(c.marks)-1]]
		c.marks = c.marks[:len(c.marks)-1]
	}
	return true
}

// lookupBelow looks prefix up in the scope outside the element being
// opened (bindings before mark).
func (c *nsCompactor) lookupBelow(prefix []byte, mark int) ([]byte, bool) {
	for i := mark - 1; i >= 0; i-- {
		if bytes.Equal(c.scope[i].prefix, prefix) {
			return c.scope[i].uri, true
		}
	}
	return nil, false
}

// lookupAbove looks prefix up among the element's own declarations.
func (c *nsCompactor) lookupAbove(prefix []byte, mark int) ([]byte, bool) {
	for i := len(c.scope) - 1; i >= mark; i-- {
		if bytes.Equal(c.scope[i].prefix, prefix) {
			return c.scope[i].uri, true
		}
	}
	return nil, false
}
