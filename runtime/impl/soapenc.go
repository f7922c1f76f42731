package impl

import (
	"encoding/xml"
	"errors"
	"reflect"
	"sort"

	"github.com/wsdlsess/wsdlsess/runtime/internal/hook"
)

const (
	// NSSOAPEnc is the SOAP 1.1 encoding namespace, the encodingStyle of
	// rpc/encoded operations and the namespace of soapenc:Array.
	NSSOAPEnc = "http://schemas.xmlsoap.org/soap/encoding/"
	nsXSD     = "http://www.w3.org/2001/XMLSchema"
)

// SOAPEnc describes the XML Schema types of a generated package's
// rpc/encoded operations: SOAP encoding names the type of every value on
// the wire (xsi:type), which the Go type alone does not say for the
// package's own types, and SOAP arrays carry their item type. An
// Operation whose Encoded is set is encoded and decoded by these rules.
type SOAPEnc struct {
	types map[reflect.Type]EncType
	// spaces are the type namespaces, declared once on the wrapper.
	spaces []string
}

// EncType is one entry of a SOAPEnc: a generated Go type and the XML
// Schema type it stands for.
type EncType struct {
	GoType reflect.Type
	Name   xml.Name
	// Item is the item type of a SOAP array (a restriction of
	// soapenc:Array), whose Go type is a struct with one slice field.
	Item *xml.Name
}

// EncTypeOf is the EncType of T, the XML Schema type {space}local.
func EncTypeOf[T any](space, local string) EncType {
	return EncType{GoType: reflect.TypeFor[T](), Name: xml.Name{Space: space, Local: local}}
}

// EncArrayOf is the EncType of T, the SOAP array type {space}local whose
// items are of type {itemSpace}itemLocal; T holds them in its one slice
// field.
func EncArrayOf[T any](space, local, itemSpace, itemLocal string) EncType {
	t := EncTypeOf[T](space, local)
	t.Item = &xml.Name{Space: itemSpace, Local: itemLocal}
	return t
}

// NewSOAPEnc returns the SOAPEnc of types.
func NewSOAPEnc(types ...EncType) *SOAPEnc {
	s := &SOAPEnc{types: make(map[reflect.Type]EncType, len(types))}
	seen := map[string]bool{nsXSD: true, NSSOAPEnc: true, "": true}
	for _, t := range types {
		s.types[t.GoType] = t
		for _, sp := range []string{t.Name.Space, itemSpace(t)} {
			if !seen[sp] {
				seen[sp] = true
				s.spaces = append(s.spaces, sp)
			}
		}
	}
	sort.Strings(s.spaces)
	return s
}

func itemSpace(t EncType) string {
	if t.Item == nil {
		return ""
	}
	return t.Item.Space
}

// Types maps each listed Go type to its entry. The map is s's own: read
// it, never change it.
func (s *SOAPEnc) Types() map[reflect.Type]EncType { return s.types }

// Spaces lists the namespaces of the types, sorted, without those of XML
// Schema and SOAP encoding.
func (s *SOAPEnc) Spaces() []string { return s.spaces }

// EncodeSOAPEnc writes v, an rpc/encoded operation's wrapper, as the
// element start: with soap:encodingStyle, the namespaces of the types, and
// xsi:type on every value (SOAP encoding, SOAP 1.1 section 5). Parts and
// struct members are named by their fields' tags.
func EncodeSOAPEnc(e *xml.Encoder, start xml.StartElement, v any, enc *SOAPEnc) error {
	if hook.EncodeSOAPEnc == nil {
		return errors.New("runtime: EncodeSOAPEnc needs package runtime, which the generated client imports")
	}
	return hook.EncodeSOAPEnc(e, start, v, enc)
}
