package impl

import "encoding/xml"

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
