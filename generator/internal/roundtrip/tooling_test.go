package roundtrip_test

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	sft "github.com/wsdlsess/wsdlsess/golden/salesforce-tooling"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// The built-in salesforce profile on the Tooling-shaped WSDL: its
// "sessionIds | ArrayList" alternative bound ArrayList, so the ids go out
// in the element the Tooling API reads.
func TestToolingInvalidateUsesArrayList(t *testing.T) {
	var mu sync.Mutex
	var invalidate string
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		body := string(b)
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		const env = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:tooling.soap.sforce.com"><soapenv:Body>`
		switch {
		case strings.Contains(body, "<login"):
			io.WriteString(w, env+`<loginResponse><result><metadataServerUrl/><passwordExpired>false</passwordExpired><sandbox>false</sandbox><serverUrl>`+srv.URL+`/services/Soap/T/59.0</serverUrl><sessionId>00Dtooling!session</sessionId><userId>005000000000001AAA</userId></result></loginResponse></soapenv:Body></soapenv:Envelope>`)
		default:
			mu.Lock()
			invalidate = body
			mu.Unlock()
			io.WriteString(w, env+`<invalidateSessionsResponse><result><success>true</success></result><result><success>true</success></result></invalidateSessionsResponse></soapenv:Body></soapenv:Envelope>`)
		}
	}))
	defer srv.Close()
	c, err := sft.NewClient(runtime.WithEndpoint(srv.URL), runtime.WithCredentials(runtime.Password("u", "p")))
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.InvalidateSessions(context.Background(), []string{"sidA", "sidB"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0] != nil || res[1] != nil {
		t.Fatalf("results = %v", res)
	}
	mu.Lock()
	defer mu.Unlock()
	var req struct {
		Body struct {
			Invalidate struct {
				IDs []string `xml:"urn:tooling.soap.sforce.com ArrayList"`
			} `xml:"urn:tooling.soap.sforce.com invalidateSessions"`
		} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
	}
	if err := xml.Unmarshal([]byte(invalidate), &req); err != nil || !slices.Equal(req.Body.Invalidate.IDs, []string{"sidA", "sidB"}) {
		t.Errorf("invalidate request does not carry the ids as ArrayList:\n%s", invalidate)
	}
}
