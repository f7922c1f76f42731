package runtime

import (
	"bytes"
	"encoding/xml"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// FuzzDecodeEnvelope feeds arbitrary response bodies to the envelope,
// header, fault and token-capture code: it must return an error or a
// result, never panic or hang.
func FuzzDecodeEnvelope(f *testing.F) {
	f.Add(`<s:Envelope xmlns:s="` + nsSOAP11 + `"><s:Header><SessionToken xmlns="` + nsSB + `">T1</SessionToken></s:Header><s:Body>` + echoBody("x", "y") + `</s:Body></s:Envelope>`)
	f.Add(`<s:Envelope xmlns:s="` + nsSOAP11 + `"><s:Body><s:Fault><faultcode>sf:X</faultcode><faultstring>m</faultstring><detail><a xmlns="urn:fault"><b>1</b></a></detail></s:Fault></s:Body></s:Envelope>`)
	f.Add(`<e:Envelope xmlns:e="` + nsSOAP12 + `"><e:Body><e:Fault><e:Code><e:Value>e:Sender</e:Value><e:Subcode><e:Value>x</e:Value></e:Subcode></e:Code><e:Reason><e:Text>r</e:Text></e:Reason></e:Fault></e:Body></e:Envelope>`)
	f.Add(`<?xml version="1.0" encoding="ISO-8859-1"?><s:Envelope xmlns:s="` + nsSOAP11 + `"><s:Body/></s:Envelope>`)
	f.Add(`<!DOCTYPE x [<!ENTITY a "aaaa">]><s:Envelope xmlns:s="` + nsSOAP11 + `"><s:Body>&a;</s:Body></s:Envelope>`)
	f.Add(`<s:Envelope xmlns:s="` + nsSOAP11 + `"><s:Header><h xmlns="urn:h" a="1" xmlns:p="urn:p" p:b='>'>t<!--c--><![CDATA[<x>]]><p:c/>u</h></s:Header><s:Body/></s:Envelope>`)
	f.Add(`<s:Envelope xmlns:s="` + nsSOAP11 + `"><s:Body>` + strings.Repeat("<a>", 1001) + `</s:Body></s:Envelope>`)
	f.Add(nestedQueryEnvelope)
	op := &impl.Operation{Name: "Echo", SOAP: impl.SOAP11, Faults: []impl.FaultType{{Name: xml.Name{Space: "urn:fault", Local: "a"}, New: func() any {
		return new(struct {
			B string `xml:"b"`
		})
	}}}}
	e := &engine{p: &impl.Profile{Tokens: []impl.TokenSource{
		{Kind: impl.FromResponseHeader, Header: xml.Name{Space: nsSB, Local: "SessionToken"}},
		{Kind: impl.FromResponseHeader, Header: xml.Name{Local: "SessionHeader"}, Path: []string{"sessionId"}},
		{Kind: impl.FromCookie, Name: "JSESSIONID"},
	}}}
	f.Fuzz(func(t *testing.T, body string) {
		checkXMLNodeLikeStructTags(t, body)
		checkAnyScopeRoundTrip(t, body)
		var out echoOut
		dec, err := decodeEnvelope([]byte(body), op, &out, true)
		checkRefusedAsShape(t, body, err)
		if err != nil {
			return
		}
		if dec.fault != nil {
			_ = dec.fault.Error()
			_ = gone([]impl.GoneRule{{FaultCode: "X"}, {Detail: "1"}, {FaultString: "r"}}, 500, dec.fault)
		}
		rep := &reply{status: 200, http: http.Header{}, headers: dec.headers}
		_ = e.tokenFrom(rep, "")
		for i := range dec.headers {
			// The declarations write adds for the envelope's prefixes
			// never break what writes well without them (names the
			// lenient decoder let through may not re-parse either way).
			var plain, scoped bytes.Buffer
			unscoped := dec.headers[i]
			unscoped.scope = nil
			unscoped.write(&plain)
			dec.headers[i].write(&scoped)
			var n xmlNode
			if xml.Unmarshal(plain.Bytes(), &n) == nil {
				if err := xml.Unmarshal(scoped.Bytes(), &n); err != nil {
					t.Fatalf("header %q of %q written as %q does not parse: %v", dec.headers[i].XMLName.Local, body, scoped.Bytes(), err)
				}
			}
			var v struct {
				XMLName xml.Name
				Text    string `xml:",chardata"`
			}
			_ = dec.headers[i].decodeInto(&v)
		}
	})
}

// checkXMLNodeLikeStructTags: xmlNode's bounded decoder gives what
// encoding/xml's reflection decoder gives for its struct tags, or fails
// only over its bounds.
func checkXMLNodeLikeStructTags(t *testing.T, doc string) {
	var want plainNode
	werr := xml.Unmarshal([]byte(doc), &want)
	var got xmlNode
	gerr := xml.Unmarshal([]byte(doc), &got)
	switch {
	case werr == nil && gerr == nil:
		if w := want.node(); !reflect.DeepEqual(got, w) {
			t.Fatalf("xmlNode decodes %q as %+v, struct tags as %+v", doc, got, w)
		}
	case werr == nil:
		if !errors.Is(gerr, errTooManyElements) && !strings.Contains(gerr.Error(), "nest deeper") {
			t.Fatalf("xmlNode fails on %q: %v", doc, gerr)
		}
	case gerr == nil:
		t.Fatalf("xmlNode decodes %q, which the struct tags refuse: %v", doc, werr)
	}
}

// checkAnyScopeRoundTrip: wildcard elements decoded with their scope
// re-encode to XML that decodes to the same element name.
func checkAnyScopeRoundTrip(t *testing.T, body string) {
	var rec anyRecord
	if _, err := decodeEnvelope([]byte(body), &impl.Operation{Name: "query"}, &rec, false); err != nil {
		return
	}
	for _, a := range rec.Any {
		b, err := xml.Marshal(a)
		if err != nil {
			continue // a name Go's encoder refuses; not ours to fix
		}
		var back XSDAnyType
		if err := xml.Unmarshal(b, &back); err != nil {
			t.Fatalf("re-encoded %+v does not parse: %v\n%s", a, err, b)
		}
		if back.XMLName != a.XMLName {
			t.Fatalf("re-encoded name %v, want %v\n%s", back.XMLName, a.XMLName, b)
		}
	}
}
