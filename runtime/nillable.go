package runtime

import "encoding/xml"

// Nillable is the value of an element the schema declares nillable="true"
// with a simple type (string, int, date, …). It tells the three states of
// such an element apart, which a plain Go value cannot:
//
//   - absent: the field holding it is a nil *Nillable (or the element is
//     required and never absent);
//   - <x xsi:nil="true"/>: Nil is true and Value is T's zero value;
//   - <x></x> or <x>v</x>: Nil is false and Value holds the content.
//
// Build one with [NewNillable] or [NilOf].
type Nillable[T any] struct {
	Value T
	Nil   bool
}

// NilOf returns a *Nillable that encodes as xsi:nil="true".
func NilOf[T any]() *Nillable[T] { return &Nillable[T]{Nil: true} }

// NewNillable returns a *Nillable holding v.
func NewNillable[T any](v T) *Nillable[T] { return &Nillable[T]{Value: v} }

// MarshalXML writes the element with xsi:nil="true" when Nil is set, and
// otherwise Value as the element's content.
func (n Nillable[T]) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	if n.Nil {
		return EncodeXSINil(e, start)
	}
	return e.EncodeElement(n.Value, start)
}

// UnmarshalXML sets Nil when the element carries xsi:nil="true" (its
// content, which must be empty, is skipped) and decodes Value otherwise.
func (n *Nillable[T]) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var zero T
	if XSINil(start) {
		n.Value, n.Nil = zero, true
		return d.Skip()
	}
	n.Value, n.Nil = zero, false
	return d.DecodeElement(&n.Value, &start)
}
