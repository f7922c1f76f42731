package runtime

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"reflect"
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
	// idx and off place the element in its envelope (nil idx: decoded
	// outside one), so write can declare the prefixes its content uses:
	// a QName value such as xsi:type="sf:Account" or raw xsd:any content
	// names prefixes some ancestor declared.
	idx *nsIndex
	off int64
}

// maxNodeElements bounds the elements of one header element or fault
// detail decoded into an xmlNode. These trees are kept whole (each element
// costs a few hundred bytes, far more than its bytes on the wire) and a
// real header or detail has a handful of elements; a million empty "<b/>"
// children (4 MB) would otherwise hold over 100 MiB.
const maxNodeElements = 10000

// errTooManyElements is the error of a header or detail over the bound.
var errTooManyElements = fmt.Errorf("more than %d elements in one header element or fault detail (refused as hostile)", maxNodeElements)

// UnmarshalXML decodes the element iteratively bounded: the same result as
// the struct tags (name, attributes, the element's own character data
// concatenated, child elements) but with at most maxNodeElements elements
// and maxXMLDepth levels, so a hostile tree fails instead of filling memory
// (encoding/xml's reflection path has no element bound).
func (n *xmlNode) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	budget := maxNodeElements
	var idx *nsIndex
	if st := stateOf(d); st != nil {
		idx = &st.ns
	}
	return n.decode(d, start, &budget, 0, idx)
}

func (n *xmlNode) decode(d *xml.Decoder, start xml.StartElement, budget *int, depth int, idx *nsIndex) error {
	if *budget--; *budget < 0 {
		return errTooManyElements
	}
	if depth >= maxXMLDepth {
		return fmt.Errorf("elements nest deeper than %d levels", maxXMLDepth)
	}
	if idx != nil {
		// Just past the start tag: scopeAt counts the element's own
		// declarations in.
		n.idx, n.off = idx, d.InputOffset()
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
			n.Nodes = append(n.Nodes, xmlNode{})
			if err := n.Nodes[len(n.Nodes)-1].decode(d, t, budget, depth+1, idx); err != nil {
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

// write serializes n with every namespace explicit, so the bytes decode on
// their own: element and attribute names carry their namespaces, and the
// root declares the envelope prefixes its content uses (QName values,
// raw wildcard content), since those mean nothing without the ancestors'
// declarations.
func (n *xmlNode) write(buf *bytes.Buffer) {
	var scope map[string]string
	if n.idx != nil {
		scope = n.idx.scopeAt(n.off)
	}
	if len(scope) == 0 {
		n.writeNS(buf, "", nil, nil)
		return
	}
	// Which prefixes the content uses shows only once it is written.
	var probe bytes.Buffer
	n.writeNS(&probe, "", nil, scope)
	w := scopeWriter{scope: scope, used: map[string]bool{}}
	w.usedIn(probe.Bytes())
	var decls []xml.Attr
	for _, p := range sortedPrefixes(scope) {
		if p != "" && w.used[p] {
			decls = append(decls, xml.Attr{Name: xml.Name{Space: "xmlns", Local: p}, Value: scope[p]})
		}
	}
	if len(decls) == 0 {
		buf.Write(probe.Bytes())
		return
	}
	n.writeNS(buf, "", decls, scope)
}

// writeNS writes n and its children; decls are extra declarations for
// n's start tag, and the prefixes made up for namespaced attributes avoid
// those of scope, which the content may use.
func (n *xmlNode) writeNS(buf *bytes.Buffer, parentNS string, decls []xml.Attr, scope map[string]string) {
	buf.WriteByte('<')
	buf.WriteString(n.XMLName.Local)
	if n.XMLName.Space != parentNS {
		buf.WriteString(` xmlns="`)
		xmlText(buf, n.XMLName.Space)
		buf.WriteByte('"')
	}
	for _, d := range decls {
		buf.WriteString(" xmlns:" + d.Name.Local + `="`)
		xmlText(buf, d.Value)
		buf.WriteByte('"')
	}
	pfx := 0
	for _, a := range n.Attrs {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			continue
		}
		buf.WriteByte(' ')
		if a.Name.Space != "" {
			p := "a" + strconv.Itoa(pfx)
			for _, taken := scope[p]; taken; _, taken = scope[p] {
				pfx++
				p = "a" + strconv.Itoa(pfx)
			}
			pfx++
			buf.WriteString("xmlns:" + p + `="`)
			xmlText(buf, a.Name.Space)
			buf.WriteString(`" ` + p + ":")
		}
		buf.WriteString(a.Name.Local + `="`)
		xmlText(buf, a.Value)
		buf.WriteByte('"')
	}
	buf.WriteByte('>')
	xmlText(buf, n.Text)
	for i := range n.Nodes {
		n.Nodes[i].writeNS(buf, n.XMLName.Space, nil, scope)
	}
	buf.WriteString("</" + n.XMLName.Local + ">")
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
