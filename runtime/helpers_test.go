package runtime

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// Hand-written request/response types, as the generator would emit them.

const nsT = "urn:test"

type echoIn struct {
	XMLName xml.Name `xml:"urn:test Echo"`
	Text    string   `xml:"urn:test Text"`
}

type echoOut struct {
	XMLName xml.Name `xml:"urn:test EchoResponse"`
	Text    string   `xml:"urn:test Text"`
	Session string   `xml:"urn:test Session"`
}

type loginIn struct {
	XMLName  xml.Name `xml:"urn:test login"`
	User     string   `xml:"urn:test user"`
	Password string   `xml:"urn:test password"`
}

type loginOut struct {
	XMLName   xml.Name `xml:"urn:test loginResponse"`
	SessionID string   `xml:"urn:test sessionId"`
	ServerURL string   `xml:"urn:test serverUrl"`
}

var (
	opEcho   = &impl.Operation{Name: "Echo", Action: "urn:test#Echo", SOAP: impl.SOAP11}
	opEcho12 = &impl.Operation{Name: "Echo", Action: "urn:test#Echo", SOAP: impl.SOAP12}
	opLogin  = &impl.Operation{Name: "login", SOAP: impl.SOAP11}
)

// soapReq is a parsed incoming request.
type soapReq struct {
	r       *http.Request
	raw     string
	version string
	headers []xmlNode
	body    xmlNode
}

func (q *soapReq) header(local string) *xmlNode {
	for i := range q.headers {
		if q.headers[i].XMLName.Local == local {
			return &q.headers[i]
		}
	}
	return nil
}

func parseSOAP(r *http.Request) (*soapReq, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	var env struct {
		XMLName xml.Name
		Header  struct {
			Nodes []xmlNode `xml:",any"`
		} `xml:"Header"`
		Body struct {
			Nodes []xmlNode `xml:",any"`
		} `xml:"Body"`
	}
	if err := xml.Unmarshal(b, &env); err != nil {
		return nil, err
	}
	q := &soapReq{r: r, raw: string(b), version: env.XMLName.Space, headers: env.Header.Nodes}
	if len(env.Body.Nodes) != 1 {
		return nil, fmt.Errorf("body has %d children", len(env.Body.Nodes))
	}
	q.body = env.Body.Nodes[0]
	return q, nil
}

// writeSOAP answers a SOAP 1.1 envelope with the given header and body XML.
func writeSOAP(w http.ResponseWriter, status int, header, body string) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0"?><s:Envelope xmlns:s="%s">`, nsSOAP11)
	if header != "" {
		fmt.Fprintf(w, "<s:Header>%s</s:Header>", header)
	}
	fmt.Fprintf(w, "<s:Body>%s</s:Body></s:Envelope>", body)
}

func loginBody(token, serverURL string) string {
	return fmt.Sprintf(`<t:loginResponse xmlns:t="urn:test"><t:sessionId>%s</t:sessionId><t:serverUrl>%s</t:serverUrl></t:loginResponse>`, token, serverURL)
}

func writeFault11(w http.ResponseWriter, code, msg string) {
	writeSOAP(w, 500, "", fmt.Sprintf(`<s:Fault><faultcode xmlns:sf="urn:fault">%s</faultcode><faultstring>%s</faultstring></s:Fault>`, code, msg))
}

func echoBody(text, session string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(text))
	text = b.String()
	return fmt.Sprintf(`<t:EchoResponse xmlns:t="urn:test"><t:Text>%s</t:Text><t:Session>%s</t:Session></t:EchoResponse>`, text, session)
}

// server is an httptest server whose handler gets parsed SOAP requests.
func server(t *testing.T, h func(w http.ResponseWriter, q *soapReq)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := parseSOAP(r)
		if err != nil {
			http.Error(w, "bad request: "+err.Error(), 400)
			return
		}
		h(w, q)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// recorder collects events.
type recorder struct {
	mu     sync.Mutex
	events []Event
}

func (r *recorder) add(e Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

func (r *recorder) count(k EventKind) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.events {
		if e.Kind == k {
			n++
		}
	}
	return n
}

func mustClient(t *testing.T, svc *impl.Service, opts ...Option) *Client {
	t.Helper()
	c, err := NewClient(svc, opts...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(func() { _ = c.Close(t.Context()) })
	return c
}

func containsAll(s string, subs ...string) bool {
	for _, x := range subs {
		if !strings.Contains(s, x) {
			return false
		}
	}
	return true
}
