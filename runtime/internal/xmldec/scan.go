package xmldec

import (
	"bytes"
	"errors"
)

// errUnsupported is any input the decoder does not read exactly as
// encoding/xml would, malformed input included: the caller then decodes
// with encoding/xml, which gives the value or the error it always gave.
var errUnsupported = errors.New("xmldec: input left to encoding/xml")

const (
	xmlURL     = "http://www.w3.org/XML/1998/namespace"
	xmlnsLocal = "xmlns"
)

// binding is one namespace declaration in scope; prefix is empty for the
// default namespace.
type binding struct {
	prefix []byte
	name   string // prefix as a string, interned
	uri    string
	// gen numbers the declarations of a decode in the order read: the
	// innermost one in scope names the whole scope (Element.ScopeID).
	gen uint32
}

// rawAttr is one attribute of the start tag just read.
type rawAttr struct {
	prefix, local []byte
	value         []byte // decoded
	space         string // resolved namespace, as encoding/xml names it
}

// start is a start tag just read. attrs alias the decoder's buffer: they
// are valid until the next start tag is read.
type start struct {
	qname         []byte // as written, for the end tag
	prefix, local []byte
	space         string
	attrs         []rawAttr
	open, end     int // '<' and just past '>'
	empty         bool
	nsMark        int // len(ns) before the tag's own declarations
	scratch       int // start of its text in the scratch buffer, -1 for none
}

// readStart reads the start tag at d.pos ('<' followed by a name start)
// into st, pushes its namespace declarations and resolves its names. It
// sets each field of st, one at a time (st is mostly on the heap, where
// copying a whole start tag in cost write barriers while the collector
// ran).
func (d *Decoder) readStart(st *start) error {
	data := d.data
	st.open = d.pos
	st.empty = false
	st.scratch = -1
	i := d.pos + 1
	q, i, err := d.qname(i)
	if err != nil {
		return err
	}
	st.qname = q
	d.attrs = d.attrs[:0]
	for {
		j := i
		for j < len(data) && isSpace(data[j]) {
			j++
		}
		if j >= len(data) {
			return errUnsupported
		}
		switch data[j] {
		case '>':
			i = j + 1
			goto done
		case '/':
			if j+1 < len(data) && data[j+1] == '>' {
				st.empty = true
				i = j + 2
				goto done
			}
			return errUnsupported
		}
		// (encoding/xml reads a="1"b="2" too: no space needed.)
		if len(d.attrs) == d.maxAttrs && d.maxAttrs > 0 {
			return errUnsupported // one more than the bound
		}
		var an []byte
		an, j, err = d.qname(j)
		if err != nil {
			return err
		}
		for j < len(data) && isSpace(data[j]) {
			j++
		}
		if j >= len(data) || data[j] != '=' {
			return errUnsupported
		}
		j++
		for j < len(data) && isSpace(data[j]) {
			j++
		}
		if j >= len(data) || data[j] != '"' && data[j] != '\'' {
			return errUnsupported
		}
		quote := data[j]
		k := bytes.IndexByte(data[j+1:], quote)
		if k < 0 {
			return errUnsupported
		}
		raw := data[j+1 : j+1+k]
		if bytes.IndexByte(raw, '<') >= 0 {
			return errUnsupported
		}
		val := raw
		isClean, ok := clean(raw, false)
		if !ok {
			return errUnsupported
		}
		if !isClean {
			val, ok = decodeText(nil, raw, false, false)
			if !ok {
				return errUnsupported
			}
		}
		p, l := splitName(an)
		d.attrs = append(d.attrs, rawAttr{prefix: p, local: l, value: val})
		i = j + 1 + k + 1
	}
done:
	st.end = i
	d.pos = i
	st.nsMark = len(d.ns)
	for k := range d.attrs {
		a := &d.attrs[k]
		switch {
		case string(a.prefix) == xmlnsLocal:
			if string(a.local) == xmlnsLocal || string(a.local) == "xml" {
				return errUnsupported
			}
			d.gen++
			d.ns = append(d.ns, binding{prefix: a.local, name: d.intern(a.local), uri: d.intern(a.value), gen: d.gen})
		case len(a.prefix) == 0 && string(a.local) == xmlnsLocal:
			d.gen++
			d.ns = append(d.ns, binding{uri: d.intern(a.value), gen: d.gen})
		}
	}
	for k := range d.attrs {
		a := &d.attrs[k]
		switch {
		case string(a.prefix) == xmlnsLocal:
			a.space = xmlnsLocal
		case len(a.prefix) == 0:
			a.space = ""
		default:
			a.space = d.resolve(a.prefix)
		}
	}
	st.prefix, st.local = splitName(q)
	st.space = d.resolve(st.prefix)
	st.attrs = d.attrs
	return nil
}

// qname reads a name at i; names beyond the ASCII subset, or with a colon
// encoding/xml would read otherwise than prefix:local, are left to it.
func (d *Decoder) qname(i int) ([]byte, int, error) {
	data := d.data
	if i >= len(data) || !isNameStart(data[i]) {
		return nil, i, errUnsupported
	}
	j := i + 1
	colons := 0
	for j < len(data) && isNameByte(data[j]) {
		if data[j] == ':' {
			colons++
		}
		j++
	}
	if j < len(data) && data[j] >= 0x80 {
		return nil, i, errUnsupported
	}
	if colons > 1 || colons == 1 && data[j-1] == ':' {
		return nil, i, errUnsupported
	}
	return data[i:j], j, nil
}

func splitName(q []byte) (prefix, local []byte) {
	if k := bytes.IndexByte(q, ':'); k >= 0 {
		return q[:k], q[k+1:]
	}
	return nil, q
}

// resolve returns the namespace of prefix as encoding/xml does: the
// innermost declaration, the xml namespace, or the prefix itself when it
// was never declared ("" for no default namespace).
func (d *Decoder) resolve(prefix []byte) string {
	for k := len(d.ns) - 1; k >= 0; k-- {
		if bytes.Equal(d.ns[k].prefix, prefix) {
			return d.ns[k].uri
		}
	}
	if string(prefix) == "xml" {
		return xmlURL
	}
	return d.intern(prefix)
}

// intern returns b as a string, the same string for the same bytes
// within a decode (namespace URIs and element names repeat).
func (d *Decoder) intern(b []byte) string {
	if s, ok := d.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(d.strs) < 4096 {
		if d.strs == nil {
			d.strs = make(map[string]string, 32)
		}
		d.strs[s] = s
	}
	return s
}

// readEnd reads the end tag at d.pos ("</"), which must close st.
func (d *Decoder) readEnd(st *start) error {
	data := d.data
	i := d.pos + 2
	q, j, err := d.qname(i)
	if err != nil {
		return err
	}
	if !bytes.Equal(q, st.qname) {
		return errUnsupported
	}
	for j < len(data) && isSpace(data[j]) {
		j++
	}
	if j >= len(data) || data[j] != '>' {
		return errUnsupported
	}
	d.pos = j + 1
	return nil
}

// tokKind is what markup follows at d.pos ('<').
type tokKind int

const (
	tokStart tokKind = iota
	tokEnd
	tokComment
	tokCDATA
	tokOther
)

func (d *Decoder) markup() tokKind {
	rest := d.data[d.pos+1:]
	switch {
	case len(rest) == 0:
		return tokOther
	case rest[0] == '/':
		return tokEnd
	case isNameStart(rest[0]):
		return tokStart
	case bytes.HasPrefix(rest, []byte("!--")):
		return tokComment
	case bytes.HasPrefix(rest, []byte("![CDATA[")):
		return tokCDATA
	}
	return tokOther
}

// skipComment steps over the comment at d.pos, refusing "--" inside it
// as encoding/xml does.
func (d *Decoder) skipComment() error {
	body := d.data[d.pos+4:]
	k := bytes.Index(body, []byte("--"))
	if k < 0 || k+2 >= len(body) || body[k+2] != '>' {
		return errUnsupported
	}
	if !validChars(body[:k]) {
		return errUnsupported
	}
	d.pos += 4 + k + 3
	return nil
}

// cdata returns the raw content of the CDATA section at d.pos and steps
// over it.
func (d *Decoder) cdata() ([]byte, error) {
	body := d.data[d.pos+9:]
	k := bytes.Index(body, []byte("]]>"))
	if k < 0 {
		return nil, errUnsupported
	}
	d.pos += 9 + k + 3
	return body[:k], nil
}
