//go:build ignore

// check verifies that the WSDL cases in this directory are internally
// consistent, independently of the generator: every file an import or
// include names exists (or is a well-known URL), every QName a WSDL or
// schema uses resolves to a declaration of the right kind, every binding
// operation exists in its portType, and every soap:header names an existing
// message part. Run it from the module root:
//
//	go run ./testdata/wsdl/check.go testdata/wsdl/*/
//
// It exits 1 and prints file: problem lines when a case is inconsistent.
package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

const (
	xsdNS  = "http://www.w3.org/2001/XMLSchema"
	wsdlNS = "http://schemas.xmlsoap.org/wsdl/"
	soapNS = "http://schemas.xmlsoap.org/wsdl/soap/"
	soap12 = "http://schemas.xmlsoap.org/wsdl/soap12/"
)

// wellKnown lists namespaces whose schemas are embedded in the generator;
// names in them are not checked here (the wellknown package tests do).
var wellKnown = map[string]bool{
	"http://www.w3.org/XML/1998/namespace":                                               true,
	"http://schemas.xmlsoap.org/soap/encoding/":                                          true,
	"http://www.w3.org/2005/05/xmlmime":                                                  true,
	"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd":  true,
	"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd": true,
	"http://www.w3.org/2000/09/xmldsig#":                                                 true,
	"http://schemas.xmlsoap.org/ws/2004/08/addressing":                                   true,
	"http://www.w3.org/2005/08/addressing":                                               true,
	"http://schemas.xmlsoap.org/ws/2004/09/policy":                                       true,
	"http://www.w3.org/ns/ws-policy":                                                     true,
	"http://schemas.xmlsoap.org/wsdl/":                                                   true,
}

var builtins = map[string]bool{}

func init() {
	for _, b := range strings.Fields(`anyType anySimpleType string normalizedString
token language Name NCName NMTOKEN NMTOKENS ID IDREF IDREFS ENTITY ENTITIES
QName NOTATION anyURI boolean float double decimal integer nonPositiveInteger
negativeInteger long int short byte nonNegativeInteger unsignedLong
unsignedInt unsignedShort unsignedByte positiveInteger date time dateTime
duration gYear gYearMonth gMonth gMonthDay gDay base64Binary hexBinary`) {
		builtins[b] = true
	}
}

// node is a parsed element with the prefixes in scope where it appears.
type node struct {
	raw      xml.Name // as written, prefix in Space
	name     xml.Name
	attrs    map[string]string
	scope    map[string]string
	line     int
	children []*node
}

type ref struct {
	kind, ns, local, file string
	line                  int
}

type checker struct {
	decl  map[string]bool // kind + " {ns}local"
	refs  []ref
	seen  map[string]bool
	probs []string
	// ops records binding operation names to compare with portTypes.
	portOps map[string]map[string]bool
	bindOps []ref
	parts   map[string]map[string]bool // "{ns}message" → part names
	hdrs    []struct {
		msg, part ref
	}
}

func main() {
	failed := false
	for _, dir := range os.Args[1:] {
		entries, _ := filepath.Glob(filepath.Join(dir, "*.wsdl"))
		if len(entries) != 1 {
			fmt.Printf("%s: %d top-level *.wsdl files, want exactly 1\n", dir, len(entries))
			failed = true
			continue
		}
		c := &checker{decl: map[string]bool{}, seen: map[string]bool{}, portOps: map[string]map[string]bool{}, parts: map[string]map[string]bool{}}
		c.load(entries[0], "")
		c.resolve()
		if len(c.probs) > 0 {
			failed = true
			for _, p := range c.probs {
				fmt.Println(p)
			}
		} else {
			fmt.Printf("ok %s (%d declarations, %d references)\n", entries[0], len(c.decl), len(c.refs))
		}
	}
	if failed {
		os.Exit(1)
	}
}

func (c *checker) problem(file string, line int, format string, args ...any) {
	c.probs = append(c.probs, fmt.Sprintf("%s:%d: %s", file, line, fmt.Sprintf(format, args...)))
}

// load reads one file; chameleon is the including schema's namespace when
// the file is included, "" otherwise.
func (c *checker) load(path, chameleon string) {
	key := path + "\x00" + chameleon
	if c.seen[key] {
		return
	}
	c.seen[key] = true
	root, err := parse(path)
	if err != nil {
		c.problem(path, 0, "%v", err)
		return
	}
	switch root.name {
	case xml.Name{Space: wsdlNS, Local: "definitions"}:
		c.wsdl(path, root)
	case xml.Name{Space: xsdNS, Local: "schema"}:
		c.schema(path, root, chameleon)
	default:
		c.problem(path, root.line, "root element %v is neither wsdl:definitions nor xsd:schema", root.name)
	}
}

func (c *checker) follow(from, loc, chameleon string, line int) {
	if strings.HasPrefix(loc, "http://") || strings.HasPrefix(loc, "https://") {
		return // well-known or remote: the generator decides
	}
	p := filepath.Join(filepath.Dir(from), loc)
	if _, err := os.Stat(p); err != nil {
		c.problem(from, line, "imported file %s does not exist", loc)
		return
	}
	c.load(p, chameleon)
}

func (c *checker) wsdl(path string, root *node) {
	tns := root.attrs["targetNamespace"]
	for _, n := range root.children {
		if n.name.Space != wsdlNS {
			continue
		}
		name := n.attrs["name"]
		switch n.name.Local {
		case "import":
			c.follow(path, n.attrs["location"], "", n.line)
		case "types":
			for _, s := range n.children {
				if s.name == (xml.Name{Space: xsdNS, Local: "schema"}) {
					c.schema(path, s, "")
				}
			}
		case "message":
			c.declare("message", tns, name)
			ps := map[string]bool{}
			for _, p := range n.children {
				if p.name.Local != "part" {
					continue
				}
				ps[p.attrs["name"]] = true
				if e := p.attrs["element"]; e != "" {
					c.use(path, p, "element", e)
				}
				if t := p.attrs["type"]; t != "" {
					c.use(path, p, "type", t)
				}
			}
			c.parts["{"+tns+"}"+name] = ps
		case "portType":
			c.declare("portType", tns, name)
			ops := map[string]bool{}
			for _, op := range n.children {
				if op.name.Local != "operation" {
					continue
				}
				ops[op.attrs["name"]] = true
				for _, io := range op.children {
					if m := io.attrs["message"]; m != "" {
						c.use(path, io, "message", m)
					}
				}
			}
			c.portOps["{"+tns+"}"+name] = ops
		case "binding":
			c.declare("binding", tns, name)
			pt := c.use(path, n, "portType", n.attrs["type"])
			for _, op := range n.children {
				if op.name.Local != "operation" || op.name.Space != wsdlNS {
					continue
				}
				c.bindOps = append(c.bindOps, ref{kind: pt.ns + "\x00" + pt.local, local: op.attrs["name"], file: path, line: op.line})
				for _, io := range op.children {
					for _, h := range io.children {
						if h.name.Local == "header" && (h.name.Space == soapNS || h.name.Space == soap12) {
							m := c.use(path, h, "message", h.attrs["message"])
							c.hdrs = append(c.hdrs, struct{ msg, part ref }{m, ref{local: h.attrs["part"], file: path, line: h.line}})
						}
					}
				}
			}
		case "service":
			for _, port := range n.children {
				if port.name.Local == "port" {
					c.use(path, port, "binding", port.attrs["binding"])
				}
			}
		}
	}
}

func (c *checker) schema(path string, s *node, chameleon string) {
	tns, ok := s.attrs["targetNamespace"]
	if !ok {
		tns = chameleon
		// Chameleon include: unprefixed references name no-namespace
		// components, which take the including schema's namespace.
		setDefault(s, chameleon)
	}
	for _, n := range s.children {
		if n.name.Space != xsdNS {
			continue
		}
		switch n.name.Local {
		case "import":
			if loc := n.attrs["schemaLocation"]; loc != "" {
				c.follow(path, loc, "", n.line)
			}
		case "include":
			c.follow(path, n.attrs["schemaLocation"], tns, n.line)
		case "redefine":
			c.follow(path, n.attrs["schemaLocation"], tns, n.line)
		case "element", "attribute", "group", "attributeGroup":
			c.declare(n.name.Local, tns, n.attrs["name"])
		case "complexType", "simpleType":
			c.declare("type", tns, n.attrs["name"])
		}
	}
	c.walkRefs(path, s, tns)
}

// walkRefs records every QName reference inside a schema. Unprefixed
// QNames take the default namespace in scope (XSD's rule), not tns.
func (c *checker) walkRefs(path string, n *node, tns string) {
	if n.name.Space == xsdNS {
		for attr, kind := range map[string]string{"type": "type", "base": "type", "itemType": "type", "substitutionGroup": "element"} {
			if v := n.attrs[attr]; v != "" {
				c.use(path, n, kind, v)
			}
		}
		if v := n.attrs["memberTypes"]; v != "" {
			for _, m := range strings.Fields(v) {
				c.use(path, n, "type", m)
			}
		}
		if v := n.attrs["ref"]; v != "" {
			kind := n.name.Local // element, attribute, group, attributeGroup
			c.use(path, n, kind, v)
		}
	}
	for _, ch := range n.children {
		c.walkRefs(path, ch, tns)
	}
}

// setDefault gives every node without a default namespace in scope the
// namespace ns for unprefixed QNames.
func setDefault(n *node, ns string) {
	if _, ok := n.scope[""]; !ok {
		n.scope[""] = ns
	}
	for _, ch := range n.children {
		setDefault(ch, ns)
	}
}

func (c *checker) declare(kind, ns, local string) {
	c.decl[kind+" {"+ns+"}"+local] = true
}

func (c *checker) use(path string, n *node, kind, qname string) ref {
	prefix, local, ok := strings.Cut(qname, ":")
	if !ok {
		prefix, local = "", qname
	}
	ns, ok := n.scope[prefix]
	if !ok {
		c.problem(path, n.line, "%s %q: prefix %q not declared", kind, qname, prefix)
		return ref{}
	}
	r := ref{kind: kind, ns: ns, local: local, file: path, line: n.line}
	c.refs = append(c.refs, r)
	return r
}

func (c *checker) resolve() {
	for _, r := range c.refs {
		if r.ns == xsdNS && r.kind == "type" && builtins[r.local] {
			continue
		}
		if wellKnown[r.ns] {
			continue
		}
		if !c.decl[r.kind+" {"+r.ns+"}"+r.local] {
			c.problem(r.file, r.line, "%s {%s}%s is not declared", r.kind, r.ns, r.local)
		}
	}
	for _, b := range c.bindOps {
		if ops, ok := c.portOps[b.kind]; ok && !ops[b.local] {
			c.problem(b.file, b.line, "binding operation %q is not in its portType", b.local)
		}
	}
	for _, h := range c.hdrs {
		if ps, ok := c.parts["{"+h.msg.ns+"}"+h.msg.local]; ok && !ps[h.part.local] {
			c.problem(h.part.file, h.part.line, "soap:header part %q is not in message %s", h.part.local, h.msg.local)
		}
	}
}

// parse reads an XML file in any encoding it declares (UTF-16 by BOM).
func parse(path string) (*node, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r io.Reader = bytes.NewReader(data)
	utf16 := bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF})
	if utf16 {
		r = transform.NewReader(r, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder())
	}
	d := xml.NewDecoder(r)
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if utf16 && strings.HasPrefix(strings.ToLower(label), "utf-16") {
			return in, nil
		}
		return charset.NewReaderLabel(label, in)
	}
	var stack []*node
	var root *node
	for {
		line, _ := d.InputPos()
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			scope := map[string]string{"xml": "http://www.w3.org/XML/1998/namespace"}
			if len(stack) > 0 {
				for k, v := range stack[len(stack)-1].scope {
					scope[k] = v
				}
			}
			n := &node{raw: t.Name, attrs: map[string]string{}, line: line, scope: scope}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "xmlns":
					scope[a.Name.Local] = a.Value
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					scope[""] = a.Value
				case a.Name.Space == "":
					n.attrs[a.Name.Local] = a.Value
				}
			}
			ns, ok := scope[t.Name.Space]
			if !ok {
				return nil, fmt.Errorf("line %d: element prefix %q not declared", line, t.Name.Space)
			}
			n.name = xml.Name{Space: ns, Local: t.Name.Local}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			// RawToken does not match end tags to start tags; do it here.
			if len(stack) == 0 || stack[len(stack)-1].raw != t.Name {
				return nil, fmt.Errorf("line %d: end tag %s:%s does not match the open element", line, t.Name.Space, t.Name.Local)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 {
		return nil, fmt.Errorf("element <%s> opened at line %d is never closed", stack[len(stack)-1].raw.Local, stack[len(stack)-1].line)
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
}
