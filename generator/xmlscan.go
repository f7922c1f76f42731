package generator

import (
	"encoding/xml"
	"strconv"
	"strings"
	"unicode/utf8"
)

// scanTree builds the tree decodeTree builds, in one pass over the whole
// document without encoding/xml's per-token allocations: names, attribute
// values and text are substrings of one copy of data. It accepts only what
// it can read exactly as encoding/xml's strict Decoder does (ASCII names,
// the five predefined entities, character references, comments, CDATA,
// processing instructions, a UTF-8 or already transcoded UTF-16
// declaration) and reports ok=false for anything else (a DOCTYPE, another
// encoding, non-ASCII names, any malformation), which decodeTree then reads
// and, if it must, reports. TestScanTreeAgrees and FuzzParseTreeDifferential
// hold the two to the same trees.
func scanTree(f *srcFile, data []byte, utf16 bool) (*node, bool) {
	sc := scanner{s: string(data), f: f, utf16: utf16, line: 1}
	if !sc.run() {
		return nil, false
	}
	return sc.root, true
}

type scanner struct {
	root  *node // the first top-level element
	s     string
	pos   int
	f     *srcFile
	utf16 bool
	// line is the line of linePos; lines are counted lazily, only up to
	// the start elements that need them.
	line, linePos int

	stack []scanFrame
	// kids holds the children of every open element, each element's from
	// its frame's kidsFrom; they are copied out when it closes.
	kids []*node
	// Slabs that nodes, attribute and children slices are cut from: a few
	// allocations per thousand elements instead of one or more each.
	nodes     []node
	attrSlab  []xml.Attr
	childSlab []*node
	attrs     []xml.Attr // the current start tag's, before filtering
	buf       []byte     // decoded text that is not a substring of s
}

type scanFrame struct {
	n             *node
	prefix, local string // as written, for matching the end tag
	kidsFrom      int
}

func (sc *scanner) run() bool {
	s := sc.s
	for sc.pos < len(s) {
		if s[sc.pos] != '<' {
			end := strings.IndexByte(s[sc.pos:], '<')
			if end < 0 {
				end = len(s)
			} else {
				end += sc.pos
			}
			t, ok := sc.decode(s[sc.pos:end], -1)
			if !ok {
				return false
			}
			sc.addText(t)
			sc.pos = end
			continue
		}
		if sc.pos+1 >= len(s) {
			return false
		}
		var ok bool
		switch s[sc.pos+1] {
		case '/':
			ok = sc.endElement()
		case '?':
			ok = sc.procInst()
		case '!':
			ok = sc.bang()
		default:
			ok = sc.startElement()
		}
		if !ok {
			return false
		}
	}
	return len(sc.stack) == 0 && sc.root != nil
}

// addText appends one character-data token to the open element as
// parseTree's token loop does: indentation is dropped unless text came
// before it.
func (sc *scanner) addText(t string) {
	if len(sc.stack) == 0 {
		return
	}
	top := sc.stack[len(sc.stack)-1].n
	if top.Text != "" {
		top.Text += t
	} else if strings.TrimSpace(t) != "" {
		top.Text = t
	}
}

// lineAt returns the line of byte offset pos; pos never decreases.
func (sc *scanner) lineAt(pos int) int {
	sc.line += strings.Count(sc.s[sc.linePos:pos], "\n")
	sc.linePos = pos
	return sc.line
}

func (sc *scanner) space() {
	for sc.pos < len(sc.s) {
		switch sc.s[sc.pos] {
		case ' ', '\r', '\n', '\t':
			sc.pos++
		default:
			return
		}
	}
}

// name reads an XML name as Decoder.name does, refusing any that is not
// all ASCII (their validity needs the Unicode tables).
func (sc *scanner) name() (string, bool) {
	s := sc.s
	i := sc.pos
	for i < len(s) && isNameByte(s[i]) {
		i++
	}
	if i < len(s) && s[i] >= utf8.RuneSelf {
		return "", false
	}
	if i == sc.pos {
		return "", false
	}
	c := s[sc.pos]
	if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':') {
		return "", false
	}
	name := s[sc.pos:i]
	sc.pos = i
	return name, true
}

// nsname splits a name at its colon as Decoder.nsname does.
func (sc *scanner) nsname() (prefix, local string, ok bool) {
	name, ok := sc.name()
	if !ok || strings.Count(name, ":") > 1 {
		return "", "", false
	}
	if p, l, found := strings.Cut(name, ":"); found && p != "" && l != "" {
		return p, l, true
	}
	return "", name, true
}

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' ||
		'a' <= c && c <= 'z' ||
		'0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

func (sc *scanner) startElement() bool {
	start := sc.pos
	sc.pos++
	prefix, local, ok := sc.nsname()
	if !ok {
		return false
	}
	s := sc.s
	attrs := sc.attrs[:0]
	empty := false
	declares := false
	for {
		sc.space()
		if sc.pos >= len(s) {
			return false
		}
		c := s[sc.pos]
		if c == '/' {
			if sc.pos+1 >= len(s) || s[sc.pos+1] != '>' {
				return false
			}
			sc.pos += 2
			empty = true
			break
		}
		if c == '>' {
			sc.pos++
			break
		}
		ap, al, ok := sc.nsname()
		if !ok {
			return false
		}
		sc.space()
		if sc.pos >= len(s) || s[sc.pos] != '=' {
			return false
		}
		sc.pos++
		sc.space()
		if sc.pos >= len(s) || s[sc.pos] != '"' && s[sc.pos] != '\'' {
			return false
		}
		q := s[sc.pos]
		sc.pos++
		end := strings.IndexByte(s[sc.pos:], q)
		if end < 0 {
			return false
		}
		v, ok := sc.decode(s[sc.pos:sc.pos+end], int(q))
		if !ok {
			return false
		}
		sc.pos += end + 1
		a := xml.Attr{Name: xml.Name{Space: ap, Local: al}, Value: v}
		if isXMLNS(a) {
			declares = true
		}
		attrs = append(attrs, a)
	}
	sc.attrs = attrs

	n := sc.newNode()
	n.Line = sc.lineAt(start)
	n.file = sc.f
	var parentNS map[string]string
	if len(sc.stack) > 0 {
		parentNS = sc.stack[len(sc.stack)-1].n.ns
	}
	n.ns = parentNS
	kept := len(attrs)
	if declares {
		own := map[string]string{}
		kept = 0
		for _, a := range attrs {
			switch {
			case a.Name.Space == "xmlns":
				own[a.Name.Local] = a.Value
			case a.Name.Space == "" && a.Name.Local == "xmlns":
				own[""] = a.Value
			default:
				attrs[kept] = a
				kept++
			}
		}
		m := make(map[string]string, len(parentNS)+len(own))
		for k, v := range parentNS {
			m[k] = v
		}
		for k, v := range own {
			m[k] = v
		}
		n.ns = m
	}
	n.Name = xml.Name{Space: translate(prefix, local, true, n.ns), Local: local}
	if kept > 0 {
		out := sc.attrSlice(kept)
		for i, a := range attrs[:kept] {
			a.Name.Space = translate(a.Name.Space, a.Name.Local, false, n.ns)
			// An attribute whose prefix is bound to "xmlns" (or to ""
			// with local name xmlns) looks like a declaration once
			// translated, and parseTree's tree would then disagree with
			// the decoder's scope.
			if isXMLNS(a) {
				return false
			}
			out[i] = a
		}
		n.Attrs = out
	}

	if len(sc.stack) > 0 {
		sc.kids = append(sc.kids, n)
	} else if sc.root == nil {
		sc.root = n
	}
	sc.stack = append(sc.stack, scanFrame{n: n, prefix: prefix, local: local, kidsFrom: len(sc.kids)})
	if empty {
		sc.closeTop()
	}
	return true
}

// translate resolves a name's prefix as Decoder.translate does with the
// prefixes in scope ns (DefaultSpace is empty).
func translate(space, local string, isElementName bool, ns map[string]string) string {
	switch {
	case space == "xmlns":
		return space
	case space == "" && !isElementName:
		return space
	case space == "xml":
		space = "http://www.w3.org/XML/1998/namespace"
	case space == "" && local == "xmlns":
		return space
	}
	if v, ok := ns[space]; ok {
		return v
	}
	return space
}

func (sc *scanner) endElement() bool {
	sc.pos += 2
	prefix, local, ok := sc.nsname()
	if !ok {
		return false
	}
	sc.space()
	if sc.pos >= len(sc.s) || sc.s[sc.pos] != '>' {
		return false
	}
	sc.pos++
	if len(sc.stack) == 0 {
		return false
	}
	top := sc.stack[len(sc.stack)-1]
	if top.local != local || top.prefix != prefix {
		return false
	}
	sc.closeTop()
	return true
}

// closeTop pops the open element, giving it the children collected since
// it opened.
func (sc *scanner) closeTop() {
	top := sc.stack[len(sc.stack)-1]
	sc.stack = sc.stack[:len(sc.stack)-1]
	if k := sc.kids[top.kidsFrom:]; len(k) > 0 {
		out := sc.childSlice(len(k))
		copy(out, k)
		top.n.Children = out
		sc.kids = sc.kids[:top.kidsFrom]
	}
}

func (sc *scanner) newNode() *node {
	if len(sc.nodes) == cap(sc.nodes) {
		sc.nodes = make([]node, 0, 256)
	}
	sc.nodes = sc.nodes[:len(sc.nodes)+1]
	return &sc.nodes[len(sc.nodes)-1]
}

// attrSlice and childSlice cut n elements off a slab, capacity capped so
// an append by a later pass copies instead of writing into a neighbour.
func (sc *scanner) attrSlice(n int) []xml.Attr {
	if cap(sc.attrSlab)-len(sc.attrSlab) < n {
		sc.attrSlab = make([]xml.Attr, 0, max(512, n))
	}
	l := len(sc.attrSlab)
	sc.attrSlab = sc.attrSlab[:l+n]
	return sc.attrSlab[l : l+n : l+n]
}

func (sc *scanner) childSlice(n int) []*node {
	if cap(sc.childSlab)-len(sc.childSlab) < n {
		sc.childSlab = make([]*node, 0, max(1024, n))
	}
	l := len(sc.childSlab)
	sc.childSlab = sc.childSlab[:l+n]
	return sc.childSlab[l : l+n : l+n]
}

// procInst skips a processing instruction, refusing an XML declaration
// whose version or encoding encoding/xml would act on.
func (sc *scanner) procInst() bool {
	sc.pos += 2
	target, ok := sc.name()
	if !ok {
		return false
	}
	sc.space()
	end := strings.Index(sc.s[sc.pos:], "?>")
	if end < 0 {
		return false
	}
	content := sc.s[sc.pos : sc.pos+end]
	sc.pos += end + 2
	if target != "xml" {
		return true
	}
	if ver := procInstParam("version", content); ver != "" && ver != "1.0" {
		return false
	}
	enc := procInstParam("encoding", content)
	if enc == "" || strings.EqualFold(enc, "utf-8") {
		return true
	}
	// parseTree's CharsetReader passes already transcoded UTF-16 through;
	// every other label would transcode the rest of the document.
	return sc.utf16 && strings.HasPrefix(strings.ToLower(enc), "utf-16")
}

// bang reads a comment or a CDATA section; a directive (DOCTYPE and its
// entity declarations) is left to encoding/xml.
func (sc *scanner) bang() bool {
	s := sc.s
	switch {
	case strings.HasPrefix(s[sc.pos:], "<!--"):
		body := sc.pos + 4
		end := strings.Index(s[body:], "--")
		if end < 0 {
			return false
		}
		end += body
		if end+2 >= len(s) || s[end+2] != '>' {
			return false
		}
		sc.pos = end + 3
		return true
	case strings.HasPrefix(s[sc.pos:], "<![CDATA["):
		body := sc.pos + 9
		end := strings.Index(s[body:], "]]>")
		if end < 0 {
			return false
		}
		end += body
		t, ok := sc.decode(s[body:end], -2)
		if !ok {
			return false
		}
		sc.addText(t)
		sc.pos = end + 3
		return true
	}
	return false
}

// decode returns the character data raw stands for, as Decoder.text does:
// quote is the attribute value's quote character, -1 for text between
// markup, -2 for a CDATA section (no references). It refuses what
// Decoder.text reports as an error.
func (sc *scanner) decode(raw string, quote int) (string, bool) {
	i := 0
	for ; i < len(raw); i++ {
		c := raw[i]
		if c < 0x20 && c != '\n' && c != '\t' || c >= utf8.RuneSelf || c == '&' || c == ']' || c == '<' {
			break
		}
	}
	if i == len(raw) {
		return raw, true
	}
	if quote == -1 && strings.Contains(raw, "]]>") {
		return "", false
	}
	// Every rune of the input must be a valid XML character; references
	// are checked where they are replaced.
	plain := true
	for j := i; j < len(raw); {
		c := raw[j]
		if c < utf8.RuneSelf {
			switch {
			case c == '<' && quote >= 0:
				return "", false
			case c == '&' && quote != -2, c == '\r':
				plain = false
			case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
				return "", false
			}
			j++
			continue
		}
		r, size := utf8.DecodeRuneInString(raw[j:])
		if r == utf8.RuneError && size == 1 || !isInCharacterRange(r) {
			return "", false
		}
		j += size
	}
	if plain {
		return raw, true
	}
	b := append(sc.buf[:0], raw[:i]...)
	for j := i; j < len(raw); {
		c := raw[j]
		switch {
		case c == '\r':
			b = append(b, '\n')
			if j+1 < len(raw) && raw[j+1] == '\n' {
				j++
			}
			j++
		case c == '&' && quote != -2:
			var ok bool
			b, j, ok = appendRef(b, raw, j)
			if !ok {
				return "", false
			}
		default:
			b = append(b, c)
			j++
		}
	}
	sc.buf = b
	return string(b), true
}

// appendRef appends the character that the reference at raw[j] ('&')
// stands for and returns the offset after it; ok is false for anything
// Decoder.text rejects without Decoder.Entity.
func appendRef(b []byte, raw string, j int) ([]byte, int, bool) {
	rest := raw[j+1:]
	if strings.HasPrefix(rest, "#") {
		k := 1
		base := 10
		if k < len(rest) && rest[k] == 'x' {
			base = 16
			k++
		}
		from := k
		for k < len(rest) && ('0' <= rest[k] && rest[k] <= '9' ||
			base == 16 && ('a' <= rest[k] && rest[k] <= 'f' || 'A' <= rest[k] && rest[k] <= 'F')) {
			k++
		}
		if k >= len(rest) || rest[k] != ';' {
			return b, 0, false
		}
		n, err := strconv.ParseUint(rest[from:k], base, 64)
		if err != nil || n > utf8.MaxRune {
			return b, 0, false
		}
		// string(rune(n)) as Decoder.text writes it: a surrogate becomes
		// U+FFFD, which is then a valid character.
		r, _ := utf8.DecodeRuneInString(string(rune(n)))
		if !isInCharacterRange(r) {
			return b, 0, false
		}
		return utf8.AppendRune(b, r), j + 1 + k + 1, true
	}
	for _, e := range [...]struct {
		ref string
		c   byte
	}{{"lt;", '<'}, {"gt;", '>'}, {"amp;", '&'}, {"apos;", '\''}, {"quot;", '"'}} {
		if strings.HasPrefix(rest, e.ref) {
			return append(b, e.c), j + 1 + len(e.ref), true
		}
	}
	return b, 0, false
}

func isInCharacterRange(r rune) bool {
	return r == 0x09 ||
		r == 0x0A ||
		r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// procInstParam is encoding/xml's procInst: the value of param in a
// processing instruction's content, found the same (inexact) way.
func procInstParam(param, s string) string {
	param = param + "="
	lenp := len(param)
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || lenp+k >= len(sub) {
			return ""
		}
		i += lenp + k + 1
		if c := sub[lenp+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}
