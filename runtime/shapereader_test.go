package runtime

import (
	"strconv"
	"strings"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// checkRefusedAsShape fails t unless decoding body refused it exactly
// when checkXMLShape refuses it, with checkXMLShape's reason.
func checkRefusedAsShape(t *testing.T, body string, err error) {
	t.Helper()
	shapeErr := checkXMLShape([]byte(body))
	refused := err != nil && strings.HasPrefix(err.Error(), errNotEnvelope.Error()+": response refused: ")
	if refused != (shapeErr != nil) || refused && !strings.HasSuffix(err.Error(), shapeErr.Error()) {
		t.Fatalf("%.80q… (%d bytes): decode error %v, checkXMLShape %v", body, len(body), err, shapeErr)
	}
}

// The shape check runs as encoding/xml reads and xmldec bounds the body
// it reads itself: a response is still refused exactly when
// checkXMLShape refuses it, over a limit in the body xmldec decodes,
// after it, past the first step of the check, or behind another error.
func TestResponseRefusedExactlyOverShapeLimits(t *testing.T) {
	const head = `<s:Envelope xmlns:s="` + nsSOAP11 + `"><s:Body>`
	const tail = `</s:Body></s:Envelope>`
	// filler is markup the check steps through (it jumps over text):
	// what follows it is past the check's first step.
	filler := strings.Repeat("<f/>", shapeStep/2)
	// nest is n elements nested in the body element, 3 levels down.
	nest := func(n int) string {
		return `<t:EchoResponse xmlns:t="urn:test">` + strings.Repeat("<a>", n-1) + strings.Repeat("</a>", n-1) + `</t:EchoResponse>`
	}
	// attrs is an element of n attributes past the check's first step.
	attrs := func(n int) string {
		var b strings.Builder
		b.WriteString(`<t:EchoResponse xmlns:t="urn:test">` + filler + `<t:Text`)
		for i := range n {
			b.WriteString(` a` + strconv.Itoa(i) + `="1"`)
		}
		b.WriteString(`>x</t:Text></t:EchoResponse>`)
		return b.String()
	}
	big := strings.Repeat(`<t:Text>`+strings.Repeat("x", 100)+`</t:Text>`, 100)
	cases := []struct {
		name string
		body string
		fast bool // decoded by xmldec (a refused response says nothing)
	}{
		{"depth at the limit", head + nest(maxXMLDepth-2) + tail, true},
		{"depth over the limit", head + nest(maxXMLDepth-1) + tail, false},
		{"depth over the limit in a large body", head + `<t:EchoResponse xmlns:t="urn:test">` + big + strings.Repeat("<a>", 1000) + strings.Repeat("</a>", 1000) + `</t:EchoResponse>` + tail, false},
		{"attributes at the limit", head + attrs(maxXMLAttrs) + tail, true},
		{"attributes over the limit", head + attrs(maxXMLAttrs+1) + tail, false},
		{"declaration after the body element", head + echoBody("x", "y") + filler + `<!ENTITY a "b">` + tail, false},
		{"declaration after the envelope", head + echoBody("x", "y") + tail + strings.Repeat("<!---->", shapeStep) + `<!DOCTYPE x>`, false},
		{"nesting after the envelope", head + echoBody("x", "y") + tail + strings.Repeat("<!---->", shapeStep) + nest(1001), false},
		{"nesting after a large body", head + `<t:EchoResponse xmlns:t="urn:test">` + filler + `</t:EchoResponse>` + tail + nest(1001), false},
		{"large body", head + `<t:EchoResponse xmlns:t="urn:test">` + big + `</t:EchoResponse>` + tail, true},
		{"refusal behind a decode error", head + `<t:EchoResponse xmlns:t="urn:test"><t:Text>&bad;</t:Text>` + filler + `<!ENTITY a "b"></t:EchoResponse>` + tail, false},
		{"refusal behind a wrong root", `<html>` + filler + `<!DOCTYPE html></html>`, false},
		{"refusal in a skipped header", `<s:Envelope xmlns:s="` + nsSOAP11 + `"><s:Header><h>` + filler + strings.Repeat("<a>", 1001) + `</h></s:Header><s:Body/></s:Envelope>`, false},
		{"refusal read through a charset", `<?xml version="1.0" encoding="ISO-8859-1"?>` + head + echoBody("x", "y") + filler + `<!ENTITY a "b">` + tail, false},
		{"fault then a declaration", head + `<s:Fault><faultcode>s:Server</faultcode><faultstring>x</faultstring></s:Fault>` + filler + `<!ENTITY a "b">` + tail, false},
	}
	op := &impl.Operation{Name: "Echo"}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, fast := range []bool{true, false} {
				noXMLDec.Store(!fast)
				var out echoOut
				dec, err := decodeEnvelope([]byte(c.body), op, &out, true)
				noXMLDec.Store(false)
				checkRefusedAsShape(t, c.body, err)
				if fast && dec.fast != c.fast {
					t.Errorf("decoded by xmldec: %v, want %v (error %v)", dec.fast, c.fast, err)
				}
			}
		})
	}
}
