// Package hook carries the functions package impl exposes to generated
// code but package runtime implements: runtime imports impl, so impl cannot
// call runtime, and runtime sets these at init instead. They stay nil in
// a program without runtime (a generated package of types only, impl's
// own tests); impl checks.
package hook

import "encoding/xml"

var (
	// EncodeSOAPEnc implements impl.EncodeSOAPEnc; enc is an *impl.SOAPEnc
	// (hook cannot import impl, which imports hook).
	EncodeSOAPEnc func(e *xml.Encoder, start xml.StartElement, v, enc any) error
	// MarkXSINil implements impl.MarkXSINil: it records v in the decode
	// the runtime registered for d.
	MarkXSINil func(d *xml.Decoder, v any)
)
