package runtime

import "github.com/wsdlsess/wsdlsess/runtime/impl"

// DecodeResponseForTest (not for parallel tests) decodes a response envelope into out as a call
// does, with xmldec allowed (fast) or encoding/xml only; usedFast says
// whether xmldec decoded the body.
func DecodeResponseForTest(data []byte, out any, fast bool) (usedFast bool, fault *Fault, err error) {
	noXMLDec.Store(!fast)
	defer noXMLDec.Store(false)
	dec, err := decodeMessage(data, nil, &impl.Operation{Name: "test"}, out, true)
	return dec.fast, dec.fault, err
}
