package xmlenc

import (
	"bytes"
	"encoding/xml"
	"reflect"
	"strconv"
)

// A Compact encoder writes the names encoding/xml writes, so that the
// caller can declare each namespace once, on an element around the
// output, instead of on each element in another namespace than its
// parent (a Salesforce sObject's fields, vSphere's xsi:type values):
//
//   - the namespace of the first element is the default namespace
//     (Default) everywhere, unless an element must say otherwise;
//   - an element in another namespace is written with a prefix
//     (PrefixName(i) for Prefixes[i]), and so is an xsi:type value in a
//     namespace other than the default one;
//   - an element in no namespace under the default one declares
//     xmlns="".
//
// Names and xsi:type values therefore resolve as in encoding/xml's
// output. What a reader resolves against the default namespace in scope
// and the encoder cannot see (raw XML with markup, an unprefixed xsi:type
// value, a fragment encoding/xml writes) gets the default namespace
// encoding/xml's output has there: the element around it declares it
// (Keep), or, for a fragment, Unsure asks the caller to encode without
// Compact. The text of an element is the exception: a QName in it
// without a prefix (xsd:QName is a Go string) resolves against the
// default namespace in scope, the first element's rather than its
// element's.
//
// Clash reports an output in which the prefixes could capture or be
// captured by a prefix the content uses itself.

// PrefixName is the prefix of Prefixes[i].
func PrefixName(i int) string {
	if i < len(prefixNames) {
		return prefixNames[i]
	}
	return "ns" + strconv.Itoa(i+1)
}

var prefixNames = func() []string {
	out := make([]string, 16)
	for i := range out {
		out[i] = "ns" + strconv.Itoa(i+1)
	}
	return out
}()

// prefixFor returns the prefix of namespace uri, adding it to Prefixes.
func (e *Encoder) prefixFor(uri string) (string, int) {
	for i, p := range e.Prefixes {
		if p == uri {
			return PrefixName(i), i
		}
	}
	e.Prefixes = append(e.Prefixes, uri)
	e.uses = append(e.uses, 0)
	return PrefixName(len(e.Prefixes) - 1), len(e.Prefixes) - 1
}

// openCompact is open for a Compact encoder.
func (e *Encoder) openCompact(s *Start, sv saved) (saved, error) {
	// interior is the default namespace encoding/xml's output has inside
	// the element, so the namespace of its name.
	interior := e.old
	if s.Name.Space != "" {
		interior = s.Name.Space
	}
	keep := s.Keep || s.Type.Local != "" && s.Type.Space == ""
	explicit := 0
	for _, a := range s.Attr {
		switch {
		case a.Name.Local == "":
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			if s.Name.Space != "" {
				return sv, ErrFallback // two xmlns attributes
			}
			explicit++
			interior = a.Value
		case a.Name.Space == xsiNamespace && a.Name.Local == "type", a.Name.Space == "" && a.Name.Local == "xsi:type":
			keep = true // a QName of the caller's, maybe without a prefix
		}
	}
	if explicit > 0 {
		keep = true
	}
	if explicit > 1 {
		e.Unsure = true // a duplicate attribute: left as encoding/xml writes it
	}
	if !e.defaultSet {
		e.defaultSet = true
		e.Default, e.def = interior, interior
	}
	e.Buf = append(e.Buf, '<')
	declare := false
	switch {
	case interior == e.def:
	case keep || interior == "":
		declare = true
	default:
		p, i := e.prefixFor(interior)
		e.uses[i] += 2 // here and in the end tag
		sv.prefix = p
		e.Buf = append(e.Buf, p...)
		e.Buf = append(e.Buf, ':')
	}
	e.Buf = append(e.Buf, s.Name.Local...)
	if declare {
		e.Buf = append(e.Buf, ` xmlns="`...)
		e.Buf = appendEscaped(e.Buf, interior)
		e.Buf = append(e.Buf, '"')
		e.def = interior
	}
	e.old = interior
	e.parent = s.Name.Space
	if err := e.attrs(s); err != nil {
		return sv, err
	}
	e.xsiAttrs(s)
	e.Buf = append(e.Buf, '>')
	return sv, nil
}

// appendQName appends the xsi:type value of name, escaped: without a
// prefix when name is in the default namespace in scope (or in none, which
// Keep made the default namespace encoding/xml's output has).
func (e *Encoder) appendQName(dst []byte, name xml.Name) []byte {
	if name.Space != "" {
		e.typedNS = true
	}
	if name.Space != "" && name.Space != e.def {
		p, i := e.prefixFor(name.Space)
		e.uses[i]++
		dst = append(dst, p...)
		dst = append(dst, ':')
	}
	return appendEscaped(dst, name.Local)
}

// innerMarkup reports whether an innerxml field of v holds markup, which
// may name elements in the default namespace in scope.
func innerMarkup(v reflect.Value, st *structPlan) bool {
	for i := range st.fields {
		f := &st.fields[i]
		if f.mode != fInnerXML {
			continue
		}
		fv := v.Field(f.index)
		if fv.Kind() == reflect.String {
			if hasMarkup(fv.String()) {
				return true
			}
		} else if bytes.IndexByte(fv.Bytes(), '<') >= 0 {
			return true
		}
	}
	return false
}

func hasMarkup(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '<' {
			return true
		}
	}
	return false
}

// Clash reports whether a Compact output could mean something else than
// the output without Compact through a prefix: where it binds xt (an
// xsi:type value in a namespace), the content (raw XML, text, attribute
// values) uses xt; where it uses prefixes, the content uses or binds one
// of that form, or could build a QName across a reference, a comment or
// a CDATA section. The caller then encodes without Compact.
func (e *Encoder) Clash() bool {
	if e.typedNS && bytes.Contains(e.Buf, []byte("xt:")) {
		return true
	}
	if len(e.Prefixes) == 0 {
		return false
	}
	if bytes.Contains(e.Buf, []byte("xmlns:ns")) || bytes.Contains(e.Buf, []byte("<!")) {
		return true
	}
	var pat [24]byte
	for i, n := range e.uses {
		p := append(append(pat[:0], PrefixName(i)...), ':')
		if bytes.Count(e.Buf, p) != n {
			return true
		}
		p[len(p)-1] = '&'
		if bytes.Contains(e.Buf, p) {
			return true
		}
	}
	return false
}
