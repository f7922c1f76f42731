package roundtrip_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sfp "github.com/wsdlsess/wsdlsess/golden/salesforce-partner"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// In the real Partner WSDL, DuplicateError extends Error, so an invalidate
// result's errors are polymorphic. The profile's errors/statusCode path
// reads the base field whichever type arrives: base or derived.
func TestPartnerInvalidateReadsPolymorphicErrors(t *testing.T) {
	login := readFile(t, "../../../testdata/wsdl/salesforce-partner/samples/login-response.xml")
	const results = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body><invalidateSessionsResponse>
  <result><errors><message>session not found</message><statusCode>INVALID_SESSION_ID</statusCode></errors><success>false</success></result>
  <result><errors xsi:type="DuplicateError"><message>duplicate value</message><statusCode>DUPLICATE_VALUE</statusCode><duplicateRule>r1</duplicateRule></errors><success>false</success></result>
  <result><success>true</success></result>
 </invalidateSessionsResponse></soapenv:Body>
</soapenv:Envelope>`
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		if strings.Contains(string(b), "<login") {
			io.WriteString(w, strings.ReplaceAll(login, "https://example-dev-ed.my.salesforce.com", srv.URL))
			return
		}
		io.WriteString(w, results)
	}))
	defer srv.Close()
	c, err := sfp.NewClient(runtime.WithEndpoint(srv.URL), runtime.WithCredentials(runtime.Password("u", "p")))
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.InvalidateSessions(context.Background(), []string{"s1", "s2", "s3"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"INVALID_SESSION_ID: session not found", "DUPLICATE_VALUE: duplicate value", ""}
	for i, r := range res {
		var got string
		var ie *runtime.InvalidateError
		if errors.As(r, &ie) {
			got = ie.Code + ": " + ie.Message
		} else if r != nil {
			got = "unexpected " + r.Error()
		}
		if got != want[i] {
			t.Errorf("result %d = %q, want %q", i, got, want[i])
		}
	}
}
