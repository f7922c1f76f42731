package runtime

import (
	"encoding/xml"
	"net/http"
	"testing"
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
	op := &Operation{Name: "Echo", SOAP: SOAP11, Faults: []FaultType{{Name: xml.Name{Space: "urn:fault", Local: "a"}, New: func() any {
		return new(struct {
			B string `xml:"b"`
		})
	}}}}
	e := &engine{p: &Profile{Tokens: []TokenSource{
		{Kind: FromResponseHeader, Header: xml.Name{Space: nsSB, Local: "SessionToken"}},
		{Kind: FromResponseHeader, Header: xml.Name{Local: "SessionHeader"}, Path: []string{"sessionId"}},
		{Kind: FromCookie, Name: "JSESSIONID"},
	}}}
	f.Fuzz(func(t *testing.T, body string) {
		var out echoOut
		dec, err := decodeEnvelope([]byte(body), op, &out, true)
		if err != nil {
			return
		}
		if dec.fault != nil {
			_ = dec.fault.Error()
			_ = gone([]GoneRule{{FaultCode: "X"}, {Detail: "1"}, {FaultString: "r"}}, 500, dec.fault)
		}
		rep := &reply{status: 200, http: http.Header{}, headers: dec.headers}
		_ = e.tokenFrom(rep, "")
		for i := range dec.headers {
			var v struct {
				XMLName xml.Name
				Text    string `xml:",chardata"`
			}
			_ = dec.headers[i].decodeInto(&v)
		}
	})
}
