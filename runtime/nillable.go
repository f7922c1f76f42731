package runtime

import (
	"encoding/xml"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// Nillable is the value of an XSD element declared nillable="true" with a
// simple type: either a value, or the explicit "no value" that the wire
// writes as <x xsi:nil="true"/>. A nil pointer cannot carry that: for an
// optional nillable element the generated field is *Nillable[T], so nil
// means absent, &Nillable[T]{Nil: true} means xsi:nil, and
// &Nillable[T]{Value: v} a value (like database/sql's Null[T]).
type Nillable[T any] struct {
	Value T
	// Nil is true for an element that carried xsi:nil="true".
	Nil bool
}

// Value returns a Nillable holding v: Email: runtime.Value("a@example.com").
func Value[T any](v T) Nillable[T] { return Nillable[T]{Value: v} }

// Nil returns the Nillable that is written as xsi:nil="true".
func Nil[T any]() Nillable[T] { return Nillable[T]{Nil: true} }

// MarshalXML writes the value, or an empty element with xsi:nil="true".
func (n Nillable[T]) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	if n.Nil {
		return impl.EncodeXSINil(e, start)
	}
	return e.EncodeElement(n.Value, start)
}

// UnmarshalXML reads xsi:nil="true" (or "1") as Nil, anything else as the
// value.
func (n *Nillable[T]) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var zero T
	if impl.XSINil(start) {
		n.Value, n.Nil = zero, true
		return d.Skip()
	}
	n.Nil = false
	return d.DecodeElement(&n.Value, &start)
}

// ValuePtr returns a pointer to a Nillable holding v, for optional
// nillable fields: Name: runtime.ValuePtr("Acme").
func ValuePtr[T any](v T) *Nillable[T] { return &Nillable[T]{Value: v} }
