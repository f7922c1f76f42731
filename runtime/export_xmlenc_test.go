package runtime

import (
	"bytes"
	"encoding/xml"

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

// WriteRequestForTest writes the request envelope of body with typed
// headers and a profile header {profileNS}P holding <p>text</p> (none
// when profileNS is "-"), as a call does; compact false has xmlenc
// declare each default namespace where it changes instead.
func WriteRequestForTest(body any, typed []any, profileNS, text string, compact bool) (out []byte, usedFast bool, err error) {
	e := envelope{version: impl.SOAP11, body: body, typed: typed}
	if profileNS != "-" {
		e.profile = []headerElem{{name: xml.Name{Space: profileNS, Local: "P"}, path: []string{"p"}, text: text}}
	}
	if !compact {
		noCompact.Store(true)
		defer noCompact.Store(false)
	}
	var buf bytes.Buffer
	if e.writeFast(&buf) {
		return buf.Bytes(), true, nil
	}
	buf.Reset()
	err = e.writeXML(&buf)
	return buf.Bytes(), false, err
}

// InnerScopeForTest is innerScope, for the runtime_test package's reader.
var InnerScopeForTest = innerScope
