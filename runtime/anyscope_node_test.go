package runtime

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// A response whose header element and fault detail hold a QName value
// (xsi:type="sf:Account") with the prefix declared on the Envelope only.
const scopedHeaderFault = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:sobject.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Header>
  <h:Echo xmlns:h="urn:h"><h:Record xsi:type="sf:Account"><sf:Name>Acme</sf:Name></h:Record></h:Echo>
 </soapenv:Header>
 <soapenv:Body>
  <soapenv:Fault>
   <faultcode>soapenv:Server</faultcode>
   <faultstring>rejected</faultstring>
   <detail><f:Problem xmlns:f="urn:f"><f:Record xsi:type="sf:Account"><sf:Name>Acme</sf:Name></f:Record></f:Problem></detail>
  </soapenv:Fault>
 </soapenv:Body>
</soapenv:Envelope>`

type scopedProblem struct {
	XMLName xml.Name   `xml:"urn:f Problem"`
	Record  XSDAnyType `xml:"urn:f Record"`
}

type scopedEcho struct {
	XMLName xml.Name   `xml:"urn:h Echo"`
	Record  XSDAnyType `xml:"urn:h Record"`
}

// Raw content inside a header element or a fault detail keeps the
// envelope's prefixes it uses, as body content does: the typed value's
// XSDAnyType knows sf, re-sending it declares sf, and DetailXML declares
// it too. Before, these went through a re-serialization that dropped
// every ancestor declaration, so "sf:Account" lost its meaning.
func TestHeaderAndFaultContentKeepScope(t *testing.T) {
	op := &impl.Operation{Name: "update", Faults: []impl.FaultType{{Name: xml.Name{Space: "urn:f", Local: "Problem"}, New: func() any { return new(scopedProblem) }}}}
	res, err := decodeEnvelope([]byte(scopedHeaderFault), op, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	if res.fault == nil {
		t.Fatal("no fault decoded")
	}
	p, ok := res.fault.Detail.(*scopedProblem)
	if !ok {
		t.Fatalf("detail = %#v, want *scopedProblem", res.fault.Detail)
	}
	if len(res.headers) != 1 {
		t.Fatalf("headers = %d, want 1", len(res.headers))
	}
	var echo scopedEcho
	if err := res.headers[0].decodeInto(&echo); err != nil {
		t.Fatal(err)
	}
	for name, rec := range map[string]XSDAnyType{"fault detail": p.Record, "header": echo.Record} {
		if got := rec.Scope["sf"]; got != sfNS {
			t.Errorf("%s: Scope[sf] = %q, want %q", name, got, sfNS)
		}
		out, err := xml.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), `xmlns:sf="`+sfNS+`"`) || !strings.Contains(string(out), `="sf:Account"`) {
			t.Errorf("%s re-encoded without binding sf: %s", name, out)
		}
	}
	d := string(res.fault.DetailXML)
	if !strings.Contains(d, `xmlns:sf="`+sfNS+`"`) {
		t.Errorf("DetailXML does not declare sf: %s", d)
	}
	if strings.Contains(d, "xmlns:soapenv") {
		t.Errorf("DetailXML declares a prefix its content does not use: %s", d)
	}
}
