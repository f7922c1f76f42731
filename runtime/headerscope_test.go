package runtime

import "testing"

// A response header the caller asked for (WithResponseHeader) is decoded
// after the response body went back to the buffer pool: the namespace
// scope it needs was resolved while the body was read, not later from
// bytes another call may be reusing.
func TestHeaderScopeOutlivesTheBody(t *testing.T) {
	data := []byte(`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:sobject.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Header>
  <h:Echo xmlns:h="urn:h"><h:Record xsi:type="sf:Account"><sf:Name>Acme</sf:Name></h:Record></h:Echo>
 </soapenv:Header>
 <soapenv:Body><t:EchoResponse xmlns:t="urn:test"><t:Text>ok</t:Text></t:EchoResponse></soapenv:Body>
</soapenv:Envelope>`)
	var out echoOut
	res, err := decodeEnvelope(data, opEcho, &out, true)
	if err != nil || len(res.headers) != 1 {
		t.Fatalf("headers %d, err %v", len(res.headers), err)
	}
	for i := range data {
		data[i] = ' ' // the pooled buffer, reused
	}
	var echo scopedEcho
	if err := res.headers[0].decodeInto(&echo); err != nil {
		t.Fatal(err)
	}
	if got := echo.Record.Scope["sf"]; got != sfNS {
		t.Errorf("Scope[sf] = %q, want %q", got, sfNS)
	}
}
