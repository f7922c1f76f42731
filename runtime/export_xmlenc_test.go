package runtime

import (
	"bytes"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// WriteEnvelopeForTest writes the request envelope of body as a call
// does, with xmlenc (fast) or encoding/xml and compactNS; usedFast says
// whether xmlenc wrote it.
func WriteEnvelopeForTest(body any, soap12, fast bool) (out []byte, usedFast bool, err error) {
	e := envelope{version: impl.SOAP11, body: body}
	if soap12 {
		e.version = impl.SOAP12
	}
	var buf bytes.Buffer
	if fast {
		if e.writeFast(&buf) {
			return buf.Bytes(), true, nil
		}
		buf.Reset()
	}
	err = e.writeXML(&buf)
	return buf.Bytes(), false, err
}

// WriteEnvelopeUncompactedForTest is WriteEnvelopeForTest(body, soap12,
// true) with xmlenc declaring each default namespace where it changes
// (not Compact).
func WriteEnvelopeUncompactedForTest(body any, soap12 bool) (out []byte, usedFast bool, err error) {
	noCompact.Store(true)
	defer noCompact.Store(false)
	return WriteEnvelopeForTest(body, soap12, true)
}
