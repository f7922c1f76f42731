package runtime

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"sort"
	"unicode"
)

// UnmarshalXML keeps the element as raw XML and, when a response
// envelope is being decoded, records the namespace scope at it.
func (a *XSDAnyType) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	off := d.InputOffset()
	type plain XSDAnyType
	if err := d.DecodeElement((*plain)(a), &start); err != nil {
		return err
	}
	if st := stateOf(d); st != nil {
		var err error
		a.Scope, err = st.ns.scopeOf(off, d.InputOffset())
		return err
	}
	return nil
}

// MarshalXML writes the element. With a Scope it writes the element and
// attribute names with the prefixes of that scope and declares the ones
// the element, its attributes and Inner use, so the inner XML means on
// the wire what it meant in the response.
func (a XSDAnyType) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	if a.XMLName.Local != "" {
		start.Name = a.XMLName
	}
	if err := a.checkNames(start.Name.Local); err != nil {
		return err
	}
	if a.Scope == nil {
		for _, at := range a.Attrs {
			switch {
			case at.Name.Space == "xmlns":
				// Go's encoder mangles this form; write it as it was.
				at.Name = xml.Name{Local: "xmlns:" + at.Name.Local}
			case at.Name.Space == "" && at.Name.Local == "xmlns" && start.Name.Space != "":
				continue // the encoder declares the element's namespace
			}
			start.Attr = append(start.Attr, at)
		}
		return e.EncodeElement(struct {
			Inner []byte `xml:",innerxml"`
		}{a.Inner}, start)
	}
	w := scopeWriter{scope: a.Scope, used: map[string]bool{}}
	name, ok := w.name(start.Name, true)
	if !ok {
		// Not from this scope (the name was changed in Go): declare it.
		name = start.Name.Local
		w.extra = append(w.extra, xml.Attr{Name: xml.Name{Local: "xmlns"}, Value: start.Name.Space})
		w.defaultSet = true
	}
	out := xml.StartElement{Name: xml.Name{Local: name}}
	for _, at := range declless(a.Attrs) {
		n, ok := w.name(at.Name, false)
		if !ok {
			n = w.declare(at.Name.Space) + ":" + at.Name.Local
		}
		out.Attr = append(out.Attr, xml.Attr{Name: xml.Name{Local: n}, Value: at.Value})
		w.usedIn([]byte(at.Value))
	}
	w.usedIn(a.Inner)
	out.Attr = append(w.decls(), out.Attr...)
	return e.EncodeElement(struct {
		Inner []byte `xml:",innerxml"`
	}{a.Inner}, out)
}

// Decode unmarshals the element into v (a pointer), resolving the
// prefixes of Inner with Scope: for a Salesforce sObject field holding a
// nested record, or any wildcard content the caller has a type for.
func (a XSDAnyType) Decode(v any) error {
	b, err := xml.Marshal(a)
	if err != nil {
		return fmt.Errorf("runtime: re-encode {%s}%s: %w", a.XMLName.Space, a.XMLName.Local, err)
	}
	if err := xml.Unmarshal(b, v); err != nil {
		return fmt.Errorf("runtime: decode {%s}%s into %T: %w", a.XMLName.Space, a.XMLName.Local, v, err)
	}
	return nil
}

// declless drops namespace declarations from attrs: a decoded element
// lists its own among its attributes, and they are written from the
// scope instead.
func declless(attrs []xml.Attr) []xml.Attr {
	var out []xml.Attr
	for _, at := range attrs {
		if at.Name.Space == "xmlns" || (at.Name.Space == "" && at.Name.Local == "xmlns") {
			continue
		}
		out = append(out, at)
	}
	return out
}

// scopeWriter turns namespace names back into prefixed names of a scope
// and collects the declarations the written element needs.
type scopeWriter struct {
	scope      map[string]string
	used       map[string]bool // prefixes ("" the default) to declare
	extra      []xml.Attr      // declarations for namespaces outside the scope
	defaultSet bool
	n          int
}

// name returns the prefixed form of n; elem allows the default namespace
// (attributes never take it).
func (w *scopeWriter) name(n xml.Name, elem bool) (string, bool) {
	switch {
	case n.Space == "":
		if elem && w.scope[""] != "" {
			return "", false // needs xmlns="" which Go's encoder cannot write
		}
		return n.Local, true
	case n.Space == "http://www.w3.org/XML/1998/namespace" || n.Space == "xml":
		return "xml:" + n.Local, true
	case elem && w.scope[""] == n.Space:
		w.used[""] = true
		return n.Local, true
	}
	for _, p := range sortedPrefixes(w.scope) {
		if p != "" && w.scope[p] == n.Space {
			w.used[p] = true
			return p + ":" + n.Local, true
		}
	}
	return "", false
}

// declare binds a fresh prefix to a namespace outside the scope.
func (w *scopeWriter) declare(space string) string {
	for {
		w.n++
		p := fmt.Sprintf("ns%d", w.n)
		if _, taken := w.scope[p]; !taken {
			w.extra = append(w.extra, xml.Attr{Name: xml.Name{Local: "xmlns:" + p}, Value: space})
			return p
		}
	}
}

// usedIn marks the prefixes b may use: "p:" anywhere (a name or a QName
// value), and the default namespace when b has an unprefixed element. Declaring
// one too many is harmless; one too few would change the meaning.
func (w *scopeWriter) usedIn(b []byte) {
	for p := range w.scope {
		if p == "" {
			if hasUnprefixedElement(b) {
				w.used[""] = true
			}
			continue
		}
		if bytes.Contains(b, []byte(p+":")) {
			w.used[p] = true
		}
	}
}

// decls returns the declarations to write, in a stable order.
func (w *scopeWriter) decls() []xml.Attr {
	var out []xml.Attr
	for _, p := range sortedPrefixes(w.scope) {
		if !w.used[p] {
			continue
		}
		if p == "" {
			if !w.defaultSet {
				out = append(out, xml.Attr{Name: xml.Name{Local: "xmlns"}, Value: w.scope[""]})
			}
			continue
		}
		out = append(out, xml.Attr{Name: xml.Name{Local: "xmlns:" + p}, Value: w.scope[p]})
	}
	return append(out, w.extra...)
}

func sortedPrefixes(m map[string]string) []string {
	ps := make([]string, 0, len(m))
	for p := range m {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return ps
}

// hasUnprefixedElement reports whether b has a start tag without a prefix.
func hasUnprefixedElement(b []byte) bool {
	for {
		i := bytes.IndexByte(b, '<')
		if i < 0 || i+1 >= len(b) {
			return false
		}
		b = b[i+1:]
		if b[0] == '/' || b[0] == '!' || b[0] == '?' {
			continue
		}
		end := bytes.IndexAny(b, " \t\r\n/>")
		if end < 0 {
			end = len(b)
		}
		if bytes.IndexByte(b[:end], ':') < 0 {
			return true
		}
	}
}

// checkNames refuses an element or attribute name that is no XML name
// once written without its prefix: encoding/xml reads <sf:0000> (the
// qualified name starts with a letter), but <0000 xmlns="…"> does not
// parse, and a request the server cannot read is worse than an error.
func (a *XSDAnyType) checkNames(local string) error {
	if !ncName(local) {
		return fmt.Errorf("runtime: XSDAnyType element name %q is not an XML name", local)
	}
	for _, at := range a.Attrs {
		if at.Name.Space != "xmlns" && !(at.Name.Space == "" && at.Name.Local == "xmlns") && !ncName(at.Name.Local) {
			return fmt.Errorf("runtime: XSDAnyType %s: attribute name %q is not an XML name", local, at.Name.Local)
		}
	}
	return nil
}

// ncName reports whether s is a name without a prefix: a letter or _
// first, then letters, digits, _, - and . (Namespaces in XML's NCName,
// with Unicode's letter and digit classes for the XML tables).
func ncName(s string) bool {
	for i, r := range s {
		switch {
		case r == '_' || unicode.IsLetter(r):
		case i > 0 && (r == '-' || r == '.' || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)):
		default:
			return false
		}
	}
	return s != ""
}
