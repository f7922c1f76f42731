package generator

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"golang.org/x/text/encoding/unicode"
	"io"
	"slices"
	"strings"

	"golang.org/x/net/html/charset"
)

// node is a light XML element tree. gowsdl's structs drop what a generator
// needs (SOAP 1.2 bindings, groups, attributeGroups, per-element prefix
// scope, line numbers), so every file is read into this tree instead;
// TestAgreesWithGowsdlParse checks the two agree where gowsdl sees.
type node struct {
	Name     xml.Name
	Attrs    []xml.Attr
	Children []*node
	Text     string
	Line     int
	// ns maps the prefixes in scope at this element ("" is the default
	// namespace) to namespace URIs; QName attribute values resolve with it.
	ns   map[string]string
	file *srcFile
}

// attr returns the value of the unqualified attribute local.
func (n *node) attr(local string) string {
	for _, a := range n.Attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func (n *node) hasAttr(local string) bool {
	for _, a := range n.Attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return true
		}
	}
	return false
}

// kids returns the children in namespace space named local ("" matches any).
func (n *node) kids(space, local string) []*node {
	var out []*node
	for _, c := range n.Children {
		if c.Name.Space == space && (local == "" || c.Name.Local == local) {
			out = append(out, c)
		}
	}
	return out
}

func (n *node) kid(space, local string) *node {
	for _, c := range n.Children {
		if c.Name.Space == space && c.Name.Local == local {
			return c
		}
	}
	return nil
}

// qname resolves a QName attribute value with the prefixes in scope.
func (n *node) qname(value string) (xml.Name, error) {
	value = strings.TrimSpace(value)
	prefix, local, ok := strings.Cut(value, ":")
	if !ok {
		prefix, local = "", value
	}
	ns, found := n.ns[prefix]
	if !found {
		if prefix == "" {
			return xml.Name{Local: local}, nil
		}
		if prefix == "xml" {
			return xml.Name{Space: "http://www.w3.org/XML/1998/namespace", Local: local}, nil
		}
		return xml.Name{}, fmt.Errorf("prefix %q of %q is not declared", prefix, value)
	}
	return xml.Name{Space: ns, Local: local}, nil
}

// doc returns the text of the documentation children of n or of its
// annotation child.
func (n *node) doc() string {
	var parts []string
	for _, c := range n.Children {
		switch c.Name.Local {
		case "documentation":
			parts = append(parts, c.allText())
		case "annotation":
			for _, d := range c.Children {
				if d.Name.Local == "documentation" {
					parts = append(parts, d.allText())
				}
			}
		}
	}
	if len(parts) == 1 {
		return strings.TrimSpace(parts[0])
	}
	return strings.TrimSpace(strings.Join(parts, "\n"))
}

func (n *node) allText() string {
	if len(n.Children) == 0 {
		return n.Text
	}
	var b strings.Builder
	b.WriteString(n.Text)
	for _, c := range n.Children {
		b.WriteString(c.allText())
	}
	return b.String()
}

// parseTree decodes data (any declared encoding) into a tree.
func parseTree(f *srcFile, data []byte) (*node, error) {
	data, utf16 := toUTF8(data)
	if root, ok := scanTree(f, data, utf16); ok {
		return root, nil
	}
	return decodeTree(f, data, utf16)
}

// decodeTree reads data (after toUTF8) with encoding/xml: every document
// scanTree leaves to it, and the reference scanTree is tested against.
func decodeTree(f *srcFile, data []byte, utf16 bool) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if utf16 && strings.HasPrefix(strings.ToLower(label), "utf-16") {
			return r, nil // already transcoded
		}
		return charset.NewReaderLabel(label, r)
	}
	var stack []*node
	var root *node
	for {
		// The position before Token is the start of the next token, so a
		// start element gets the line of its '<', not of its '>'.
		line, _ := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, _ = d.InputPos()
			msg := err.Error()
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				line, msg = se.Line, se.Msg
			}
			return nil, &Error{File: f.name, Line: line, Construct: "XML", Msg: "malformed XML: " + msg, Fix: "fix the document so it is well-formed XML"}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{Name: t.Name, Line: line, file: f}
			var parentNS map[string]string // the root's: none
			if len(stack) > 0 {
				parentNS = stack[len(stack)-1].ns
			}
			n.ns = parentNS
			var own map[string]string
			if !slices.ContainsFunc(t.Attr, isXMLNS) {
				// Token allocated Attr for this element alone: kept
				// rather than copied when it declares no prefix, as
				// nearly every element of a big WSDL.
				if len(t.Attr) > 0 {
					n.Attrs = t.Attr
				}
			} else {
				for _, a := range t.Attr {
					switch {
					case !isXMLNS(a):
						n.Attrs = append(n.Attrs, a)
					case a.Name.Space == "xmlns":
						if own == nil {
							own = map[string]string{}
						}
						own[a.Name.Local] = a.Value
					default:
						if own == nil {
							own = map[string]string{}
						}
						own[""] = a.Value
					}
				}
			}
			if own != nil {
				m := make(map[string]string, len(parentNS)+len(own))
				for k, v := range parentNS {
					m[k] = v
				}
				for k, v := range own {
					m[k] = v
				}
				n.ns = m
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			} else if root == nil {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			// Indentation between elements is most of a big WSDL's
			// character data and never needed.
			if len(stack) > 0 && (len(bytes.TrimSpace(t)) > 0 || stack[len(stack)-1].Text != "") {
				stack[len(stack)-1].Text += string(t)
			}
		}
	}
	if root == nil {
		return nil, &Error{File: f.name, Line: 1, Construct: "XML", Msg: "the document has no root element", Fix: "point -wsdl at a WSDL 1.1 document"}
	}
	return root, nil
}

// isXMLNS reports whether a declares a namespace prefix or the default
// namespace.
func isXMLNS(a xml.Attr) bool {
	return a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns"
}

// toUTF8 strips a UTF-8 byte order mark and transcodes UTF-16 (detected by
// its BOM or by the "<?" of the declaration in either byte order): the XML
// decoder needs ASCII-compatible bytes to read the declaration at all.
func toUTF8(data []byte) ([]byte, bool) {
	var e *unicode.Endianness
	le, be := unicode.LittleEndian, unicode.BigEndian
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], false
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{'<', 0, '?', 0}):
		e = &le
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}), bytes.HasPrefix(data, []byte{0, '<', 0, '?'}):
		e = &be
	default:
		return data, false
	}
	out, err := unicode.UTF16(*e, unicode.UseBOM).NewDecoder().Bytes(data)
	if err != nil {
		return data, false
	}
	return out, true
}
