package fakevendor

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// node is one element of a parsed document, with namespaces resolved by
// encoding/xml. The fakes read requests as trees rather than into structs so
// that they can check namespaces and shapes strictly and report exactly
// what was wrong.
type node struct {
	Name     xml.Name
	Attr     []xml.Attr
	Text     string // character data directly inside the element
	Children []*node
}

// maxDepth bounds nesting so a hostile document cannot exhaust the stack.
const maxDepth = 64

func parseTree(r io.Reader) (*node, error) {
	d := xml.NewDecoder(r)
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxDepth {
				return nil, errors.New("document nested too deeply")
			}
			n := &node{Name: t.Name, Attr: append([]xml.Attr(nil), t.Attr...)}
			if len(stack) == 0 {
				if root != nil {
					return nil, errors.New("more than one root element")
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(t)
			}
		}
	}
	if root == nil {
		return nil, errors.New("empty document")
	}
	return root, nil
}

// child returns the first child named local in namespace space ("*" matches
// any namespace), or nil.
func (n *node) child(space, local string) *node {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Name.Local == local && (space == "*" || c.Name.Space == space) {
			return c
		}
	}
	return nil
}

// all returns every child named local in namespace space ("*": any).
func (n *node) all(space, local string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, c := range n.Children {
		if c.Name.Local == local && (space == "*" || c.Name.Space == space) {
			out = append(out, c)
		}
	}
	return out
}

// text returns the trimmed text of n ("" for nil).
func (n *node) text() string {
	if n == nil {
		return ""
	}
	return strings.TrimSpace(n.Text)
}

// attr returns the value of attribute local in namespace space ("*": any).
func (n *node) attr(space, local string) (string, bool) {
	if n == nil {
		return "", false
	}
	for _, a := range n.Attr {
		if a.Name.Local == local && (space == "*" || a.Name.Space == space) {
			return a.Value, true
		}
	}
	return "", false
}

func (n *node) String() string {
	if n == nil {
		return "<nil>"
	}
	return fmt.Sprintf("{%s}%s", n.Name.Space, n.Name.Local)
}

// esc escapes s for XML character data and attribute values.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// content is the element's text and that of its descendants with their
// names, a canonical form of its payload for duplicate detection.
func (n *node) content() string {
	var b strings.Builder
	var walk func(*node)
	walk = func(m *node) {
		for _, c := range m.Children {
			b.WriteString("<" + c.Name.Local + ">")
			b.WriteString(strings.TrimSpace(c.Text))
			walk(c)
		}
	}
	walk(n)
	if b.Len() == 0 {
		return strings.TrimSpace(n.Text)
	}
	return b.String()
}
