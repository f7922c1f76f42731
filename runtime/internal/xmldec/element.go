package xmldec

import (
	"encoding/xml"
	"reflect"
)

// Element is the element a Native decodes: its start tag has been read.
// Attribute methods are valid only before the content is read (Skip,
// Inner, Decode).
//
// A Native gets the Element for the duration of the call only: the
// decoder reuses it (an Element a call allocated, with the start tag it
// points to, was most of a large answer's allocations).
type Element struct {
	d *Decoder
	// st is the caller's: copying a start tag in and out (its slices
	// and strings) cost write barriers while the collector ran.
	st *start
	// nsLen is len(d.ns) once the start tag's declarations were pushed.
	nsLen int
	// endOpen is the offset of the end tag's '<', once Inner read it.
	endOpen int
}

// Name is the element's name, namespace resolved.
func (e *Element) Name() xml.Name { return e.d.name(e.st) }

// Attrs returns the attributes as encoding/xml's StartElement lists
// them (namespace declarations included); nil for none.
func (e *Element) Attrs() []xml.Attr {
	if len(e.st.attrs) == 0 {
		return nil
	}
	out := make([]xml.Attr, len(e.st.attrs))
	for i := range e.st.attrs {
		out[i] = e.d.xmlAttr(&e.st.attrs[i])
	}
	return out
}

// Attr returns the value of the attribute {space}local; the bytes are
// valid only until the content is read.
func (e *Element) Attr(space, local string) ([]byte, bool) {
	for i := range e.st.attrs {
		a := e.st.attrs[i]
		if a.space == space && string(a.local) == local {
			return a.value, true
		}
	}
	return nil, false
}

// Bindings calls f with the namespace declarations in scope at the
// element, its own included, innermost first (a prefix declared twice
// comes twice, the inner one first), and returns how many there were. It
// may be called after the content was read (the declarations stay where
// they were below the element's level).
func (e *Element) Bindings(f func(prefix, uri string)) int {
	ns := e.d.ns[:e.nsLen]
	for i := len(ns) - 1; i >= 0; i-- {
		f(ns[i].name, ns[i].uri)
	}
	return len(ns)
}

// ScopeID names the namespace declarations in scope at the element
// (what Bindings gives) within one decode: two elements with the same
// ScopeID have the same bindings in scope. Zero is no declarations.
// Like Bindings it may be called after the content was read.
func (e *Element) ScopeID() uint32 {
	if e.nsLen == 0 {
		return 0
	}
	return e.d.ns[:e.nsLen][e.nsLen-1].gen
}

// Raw returns the element as written, start tag to end tag, once its
// content was read.
func (e *Element) Raw() []byte { return e.d.data[e.st.open:e.d.pos] }

// StartAndInner returns the element as written up to its end tag, once
// Inner read its content: Raw without the end tag, which only repeats
// the start tag's name.
func (e *Element) StartAndInner() []byte {
	if e.st.empty {
		return e.d.data[e.st.open:e.st.end]
	}
	return e.d.data[e.st.open:e.endOpen]
}

// Inner reads the content and returns it as written; self is true for
// an empty-element tag (<x/>), which has no content.
func (e *Element) Inner() (inner []byte, self bool, err error) {
	_, inner, err = e.d.content(e.st, false)
	e.endOpen = e.st.end + len(inner)
	return inner, e.st.empty, err
}

// Skip reads the content.
func (e *Element) Skip() error {
	_, _, err := e.d.content(e.st, false)
	return err
}

// Decode decodes the element into v (addressable) as encoding/xml's
// DecodeElement(v.Addr(), start) does.
func (e *Element) Decode(v reflect.Value) error {
	p, err := planFor(v.Type())
	if err != nil {
		return err
	}
	return e.d.elem(p, v, e.st)
}

// DecodeStruct decodes the element into the struct v by its fields,
// whatever methods its type has (the "type plain T" of an UnmarshalXML).
func (e *Element) DecodeStruct(v reflect.Value) error {
	p, err := structPlanFor(v.Type())
	if err != nil {
		return err
	}
	return e.d.structElem(p, v, e.st)
}
