package runtime

import (
	"encoding/xml"
	"fmt"
)

// BodyPart is one element child of a SOAP Body whose message has several
// parts (a document operation whose input or output message lists more
// than one part): the element's name and a pointer to the field that
// holds its value.
type BodyPart struct {
	Name  xml.Name
	Value any
}

// MultiPartBody is implemented by the generated input and output types of
// such operations: their fields are the Body's children, in order, not
// the content of one wrapper element. A request writes each part whose
// value is not nil; a response decodes each child into the part of its
// name, and skips the children no part names.
type MultiPartBody interface {
	SOAPBodyParts() []BodyPart
}

// encodeBodyParts writes the parts of a request body.
func encodeBodyParts(enc *xml.Encoder, body MultiPartBody) error {
	for _, p := range body.SOAPBodyParts() {
		if err := enc.EncodeElement(p.Value, xml.StartElement{Name: p.Name}); err != nil {
			return fmt.Errorf("runtime: marshal request body part {%s}%s: %w", p.Name.Space, p.Name.Local, err)
		}
	}
	return enc.Flush()
}

// decodeBodyParts reads the children of a response Body from first, its
// first child, through the Body's end.
func decodeBodyParts(d *xml.Decoder, first *xml.StartElement, body MultiPartBody, op *Operation) error {
	parts := body.SOAPBodyParts()
	done := make([]bool, len(parts))
	for se := first; se != nil; {
		i := 0
		for ; i < len(parts); i++ {
			if !done[i] && nameMatches(se.Name, parts[i].Name) {
				break
			}
		}
		if i < len(parts) {
			if err := d.DecodeElement(parts[i].Value, se); err != nil {
				return fmt.Errorf("runtime: decode %s response body part {%s}%s: %w", op.Name, se.Name.Space, se.Name.Local, err)
			}
			done[i] = true
		} else if err := d.Skip(); err != nil {
			return fmt.Errorf("runtime: decode %s response body: %w", op.Name, err)
		}
		var err error
		if se, err = nextChild(d); err != nil {
			return fmt.Errorf("runtime: decode %s response body: %w", op.Name, err)
		}
	}
	return nil
}
