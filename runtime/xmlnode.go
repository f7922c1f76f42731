package runtime

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// xmlNode is a generic XML element with resolved namespaces, used for
// response header elements and fault details: the parts a call reads by
// name after the envelope has been decoded.
type xmlNode struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Text    string     `xml:",chardata"`
	Nodes   []xmlNode  `xml:",any"`
	// scope is, for an element decoded from an envelope and kept on its
	// own (a header element, a fault detail), the declarations in scope
	// where it stood: write declares the prefixes its content uses (a
	// QName value such as xsi:type="sf:Account", raw xsd:any content)
	// from its own declarations and these. It is resolved while the
	// envelope's bytes are at hand (they go back to a pool after).
	scope map[string]string
}

// maxNodeElements and maxNodeAttrs bound the elements, and the attributes
// (namespace declarations included), of one header element or fault detail
// decoded into an xmlNode. These trees are kept whole, and each element or
// attribute costs far more than its bytes on the wire (a few hundred bytes
// for "<b/>", about a hundred for ` a=""`); a real header or detail has a
// handful. A million empty "<b/>" children (4 MB) would otherwise hold
// over 100 MiB, and 4,500 elements of 1,000 namespace declarations each
// (63 MiB) about 500 MiB.
const (
	maxNodeElements = 10000
	maxNodeAttrs    = 10000
)

// errTooManyElements and errTooManyAttrs are the errors of a header or
// detail over the bounds.
var (
	errTooManyElements = fmt.Errorf("more than %d elements in one header element or fault detail (refused as hostile)", maxNodeElements)
	errTooManyAttrs    = fmt.Errorf("more than %d attributes in one header element or fault detail (refused as hostile)", maxNodeAttrs)
)

// nodeBudget is what is left of the bounds while one tree decodes, and
// the parts of an MTOM answer its xop:Include elements stand for.
type nodeBudget struct {
	elems, attrs int
	xop          *xopParts
}

// UnmarshalXML decodes the element iteratively bounded: the same result as
// the struct tags (name, attributes, the element's own character data
// concatenated, child elements) but with at most maxNodeElements elements,
// maxNodeAttrs attributes and maxXMLDepth levels, so a hostile tree fails
// instead of filling memory (encoding/xml's reflection path has no bound).
func (n *xmlNode) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	b := nodeBudget{elems: maxNodeElements, attrs: maxNodeAttrs}
	st := stateOf(d)
	// Just past the start tag: the element's own declarations count.
	from := d.InputOffset()
	if st != nil {
		b.xop = st.xop
	}
	if err := n.decode(d, start, &b, 0); err != nil || st == nil {
		return err
	}
	var err error
	n.scope, err = st.ns.scopeOf(from, d.InputOffset())
	return err
}

// decode reads the element; in an MTOM answer (b.xop set) an xop:Include
// child becomes the base64 text of the part it stands for, so a header or
// fault detail reads like the plain answer would have been, when written
// or decoded into a generated type.

func (n *xmlNode) decode(d *xml.Decoder, start xml.StartElement, b *nodeBudget, depth int) error {
	if b.elems--; b.elems < 0 {
		return errTooManyElements
	}
	if b.attrs -= len(start.Attr); b.attrs < 0 {
		return errTooManyAttrs
	}
	if depth >= maxXMLDepth {
		return fmt.Errorf("elements nest deeper than %d levels", maxXMLDepth)
	}
	n.XMLName = start.Name
	if len(start.Attr) > 0 {
		n.Attrs = append([]xml.Attr(nil), start.Attr...)
	}
	var text []byte
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if href, ok := xopHref(&t); ok && b.xop != nil {
				part, err := b.xop.resolve(href)
				if err != nil {
					return err
				}
				if err := d.Skip(); err != nil {
					return err
				}
				text = base64.StdEncoding.AppendEncode(text, part)
				continue
			}
			n.Nodes = append(n.Nodes, xmlNode{})
			if err := n.Nodes[len(n.Nodes)-1].decode(d, t, b, depth+1); err != nil {
				return err
			}
		case xml.CharData:
			text = append(text, t...)
		case xml.EndElement:
			n.Text = string(text)
			return nil
		}
	}
}

// find returns the descendant at path (local names, any namespace).
func (n *xmlNode) find(path []string) *xmlNode {
	cur := n
	for _, p := range path {
		var next *xmlNode
		for i := range cur.Nodes {
			if cur.Nodes[i].XMLName.Local == p {
				next = &cur.Nodes[i]
				break
			}
		}
		if next == nil {
			return nil
		}
		cur = next
	}
	return cur
}

// allText concatenates, for n and its descendants, the element's local
// name, its attribute values (an xsi:type such as "NotAuthenticated" names
// the fault's type) and its text, so GoneRule.Detail can match any of them.
func (n *xmlNode) allText(b *strings.Builder) {
	b.WriteString(n.XMLName.Local)
	for _, a := range n.Attrs {
		if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
			continue
		}
		b.WriteByte(' ')
		b.WriteString(localName(a.Value))
	}
	b.WriteByte(' ')
	b.WriteString(n.Text)
	for i := range n.Nodes {
		b.WriteByte(' ')
		n.Nodes[i].allText(b)
	}
}

// write serializes n on its own, so the bytes decode alone: element and
// attribute names keep their namespaces, and the root declares the
// prefixes in scope (its own declarations, then n.scope) that its content
// uses (QName values, raw wildcard content), since those mean nothing
// without the ancestors' declarations.
//
// Every namespace URI is written once, on the root: the root's namespace
// as the default, every other one with a prefix of its own. Re-declaring
// a namespace on each element that switches to it would repeat a long URI
// declared once on the wire for every element or attribute using it, a
// memory bomb (a 1 MiB URI and 10,000 "<p:b/>" make 10 GiB).
func (n *xmlNode) write(buf *bytes.Buffer) {
	own := n.declared()
	w := nodeWriter{buf: buf, prefixes: map[string]string{}, bound: func(p string) (string, bool) {
		if u, ok := own[p]; ok {
			return u, true
		}
		u, ok := n.scope[p]
		return u, ok
	}}
	w.plan(n, n.XMLName.Space, true)
	start := buf.Len()
	w.node(n, "", nil, true)
	if len(own) == 0 && len(n.scope) == 0 {
		return
	}
	// Which scope prefixes the content uses shows only once it is written.
	var decls []xml.Attr
	for _, p := range prefixesIn(buf.Bytes()[start:]) {
		if u, ok := w.bound(p); ok && p != "" && p != "xmlns" && p != "xml" {
			decls = append(decls, xml.Attr{Name: xml.Name{Space: "xmlns", Local: p}, Value: u})
		}
	}
	if len(decls) == 0 {
		return
	}
	buf.Truncate(start)
	w.node(n, "", decls, true)
}

// nodeWriter writes one xmlNode tree.
type nodeWriter struct {
	buf *bytes.Buffer
	// prefixes: namespace → the prefix the root declares for it.
	prefixes map[string]string
	order    []string // the namespaces of prefixes, in document order
	// bound reports the scope prefixes the content may use; the prefixes
	// made up here avoid them.
	bound func(string) (string, bool)
}

const xmlNamespace = "http://www.w3.org/XML/1998/namespace"

// plan gives a prefix to every namespace an element or attribute of n's
// tree is written in, other than the default dflt.
func (w *nodeWriter) plan(n *xmlNode, dflt string, root bool) {
	if !root && n.XMLName.Space != dflt && n.XMLName.Space != "" {
		w.prefix(n.XMLName.Space)
	}
	if n.XMLName.Space == "" {
		dflt = ""
	}
	for _, a := range n.Attrs {
		if attrWritten(a) && a.Name.Space != "" && a.Name.Space != xmlNamespace {
			w.prefix(a.Name.Space)
		}
	}
	for i := range n.Nodes {
		w.plan(&n.Nodes[i], dflt, false)
	}
}

func (w *nodeWriter) prefix(space string) {
	if _, ok := w.prefixes[space]; ok {
		return
	}
	for i := len(w.prefixes); ; i++ {
		p := "n" + strconv.Itoa(i)
		if _, taken := w.bound(p); !taken {
			w.prefixes[space] = p
			w.order = append(w.order, space)
			return
		}
	}
}

// attrWritten reports an attribute that is not a namespace declaration.
func attrWritten(a xml.Attr) bool {
	return a.Name.Space != "xmlns" && !(a.Name.Space == "" && a.Name.Local == "xmlns")
}

// node writes n and its children; dflt is the default namespace in effect
// (the root's, or "" below an element in no namespace), decls extra
// declarations for the root.
func (w *nodeWriter) node(n *xmlNode, dflt string, decls []xml.Attr, root bool) {
	buf := w.buf
	name, sp := n.XMLName.Local, n.XMLName.Space
	declare := false // xmlns="sp" on this element
	switch {
	case root:
		declare, dflt = sp != "", sp
	case sp == dflt:
	case sp == "":
		declare, dflt = true, "" // xmlns="": out of the default namespace
	default:
		name = w.prefixes[sp] + ":" + name
	}
	buf.WriteByte('<')
	buf.WriteString(name)
	if declare {
		buf.WriteString(` xmlns="`)
		xmlText(buf, sp)
		buf.WriteByte('"')
	}
	if root {
		for _, sp := range w.order {
			buf.WriteString(" xmlns:" + w.prefixes[sp] + `="`)
			xmlText(buf, sp)
			buf.WriteByte('"')
		}
		for _, d := range decls {
			buf.WriteString(" xmlns:" + d.Name.Local + `="`)
			xmlText(buf, d.Value)
			buf.WriteByte('"')
		}
	}
	for _, a := range n.Attrs {
		if !attrWritten(a) {
			continue
		}
		buf.WriteByte(' ')
		switch a.Name.Space {
		case "":
		case xmlNamespace:
			buf.WriteString("xml:")
		default:
			buf.WriteString(w.prefixes[a.Name.Space] + ":")
		}
		buf.WriteString(a.Name.Local + `="`)
		xmlText(buf, a.Value)
		buf.WriteByte('"')
	}
	buf.WriteByte('>')
	xmlText(buf, n.Text)
	for i := range n.Nodes {
		w.node(&n.Nodes[i], dflt, nil, false)
	}
	buf.WriteString("</" + name + ">")
}

// declared returns the prefixes n's own start tag declares.
func (n *xmlNode) declared() map[string]string {
	var m map[string]string
	for _, a := range n.Attrs {
		if a.Name.Space == "xmlns" {
			if m == nil {
				m = map[string]string{}
			}
			m[a.Name.Local] = a.Value
		}
	}
	return m
}

// prefixesIn returns, sorted and once each, every name followed by ':' in
// b (an element or attribute prefix, or the prefix of a QName in text or
// an attribute value): the prefixes b may use. One pass over b, so a long
// content costs its length, whatever the scope holds. Declaring one too
// many is harmless; one too few would change the meaning.
func prefixesIn(b []byte) []string {
	seen := map[string]bool{}
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], ':')
		if j < 0 {
			break
		}
		end := i + j
		k := end
		for k > 0 && isNameByte(b[k-1]) {
			k--
		}
		if k < end && !seen[string(b[k:end])] {
			seen[string(b[k:end])] = true
		}
		i = end + 1
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// isNameByte reports a byte that can be part of an XML name (any byte of a
// multi-byte UTF-8 character counts: over-matching only declares more).
func isNameByte(c byte) bool {
	return c >= 0x80 || c == '_' || c == '-' || c == '.' ||
		'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// decodeInto decodes n into v (a pointer to a generated type). Its
// decoder is registered like the envelope's, so an XSDAnyType inside
// records the scope the written root declares and xsi:nil elements end
// up nil.
func (n *xmlNode) decodeInto(v any) error {
	var buf bytes.Buffer
	n.write(&buf)
	d := xml.NewDecoder(bytes.NewReader(buf.Bytes()))
	st := beginDecode(d, buf.Bytes())
	defer endDecode(d)
	if err := d.Decode(v); err != nil {
		return err
	}
	st.clearNils(v)
	return nil
}

// xmlNameOf returns the element name a value marshals as: its XMLName
// field's tag, else its type name.
func xmlNameOf(v any) xml.Name {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return xml.Name{}
	}
	if t.Kind() == reflect.Struct {
		if f, ok := t.FieldByName("XMLName"); ok {
			tag := f.Tag.Get("xml")
			if i := strings.IndexByte(tag, ','); i >= 0 {
				tag = tag[:i]
			}
			if sp := strings.LastIndexByte(tag, ' '); sp >= 0 {
				return xml.Name{Space: tag[:sp], Local: tag[sp+1:]}
			}
			if tag != "" {
				return xml.Name{Local: tag}
			}
		}
	}
	return xml.Name{Local: t.Name()}
}

// nameMatches compares an element name with a wanted one; an empty wanted
// namespace matches any.
func nameMatches(got, want xml.Name) bool {
	return got.Local == want.Local && (want.Space == "" || got.Space == want.Space)
}
