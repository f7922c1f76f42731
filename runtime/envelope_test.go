package runtime

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	goruntime "runtime"
	"strings"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

type traceHeader struct {
	XMLName xml.Name `xml:"urn:trace Trace"`
	ID      string   `xml:"urn:trace ID"`
}

type serverInfo struct {
	XMLName xml.Name `xml:"urn:info ServerInfo"`
	Node    string   `xml:"urn:info Node"`
}

func TestSOAP11RequestShape(t *testing.T) {
	var got *soapReq
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		got = q
		writeSOAP(w, 200, `<i:ServerInfo xmlns:i="urn:info"><i:Node>n7</i:Node></i:ServerInfo>`, echoBody("hi <&>", ""))
	})
	p := &impl.Profile{Name: "c", Constant: []impl.HeaderValue{{Name: xml.Name{Space: "urn:k", Local: "Keep"}, Path: []string{"v"}, Value: "true"}}, Scope: impl.ScopeCall}
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL, Profile: p})
	var out echoOut
	var info serverInfo
	err := c.Invoke(t.Context(), opEcho, &echoIn{Text: "hi <&>"}, &out,
		WithRequestHeaders(&traceHeader{ID: "t-1"}), WithResponseHeader(&info))
	if err != nil {
		t.Fatal(err)
	}
	if out.Text != "hi <&>" {
		t.Errorf("out.Text = %q", out.Text)
	}
	if info.Node != "n7" {
		t.Errorf("response header ServerInfo not decoded: %+v", info)
	}
	if got.version != nsSOAP11 {
		t.Errorf("envelope namespace %q", got.version)
	}
	if ct := got.r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/xml") {
		t.Errorf("Content-Type %q", ct)
	}
	if a := got.r.Header.Get("SOAPAction"); a != `"urn:test#Echo"` {
		t.Errorf("SOAPAction %q", a)
	}
	if h := got.header("Trace"); h == nil || h.XMLName.Space != "urn:trace" || h.find([]string{"ID"}).Text != "t-1" {
		t.Errorf("typed header missing: %+v", got.headers)
	}
	if h := got.header("Keep"); h == nil || h.XMLName.Space != "urn:k" || h.find([]string{"v"}).Text != "true" {
		t.Errorf("constant header missing: %s", got.raw)
	}
	if got.body.XMLName != (xml.Name{Space: nsT, Local: "Echo"}) {
		t.Errorf("body element %v", got.body.XMLName)
	}
}

func TestSOAP12ActionParameterAndMustUnderstand(t *testing.T) {
	var got *soapReq
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		if q.body.XMLName.Local == "login" {
			writeSOAP(w, 200, "", loginBody("tok", ""))
			return
		}
		got = q
		w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
		fmt.Fprintf(w, `<e:Envelope xmlns:e="%s"><e:Body>%s</e:Body></e:Envelope>`, nsSOAP12, echoBody("ok", ""))
	})
	p := &impl.Profile{Name: "h", Login: impl.Login{Kind: impl.LoginOperation, Operation: opLogin,
		Request:     func(u, p string) any { return &loginIn{User: u, Password: p} },
		NewResponse: func() any { return new(loginOut) },
		Result:      func(r any) (impl.LoginResult, error) { return impl.LoginResult{Token: "tok"}, nil }},
		Tokens: []impl.TokenSource{{Kind: impl.FromLogin}},
		Send:   []impl.TokenTarget{{Kind: impl.ToSOAPHeader, Header: xml.Name{Space: nsT, Local: "SessionHeader"}, Path: []string{"sessionId"}, MustUnderstand: true}},
	}
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL, Profile: p}, WithCredentials(Password("u", "pw")))
	var out echoOut
	if err := c.Invoke(t.Context(), opEcho12, &echoIn{Text: "x"}, &out); err != nil {
		t.Fatal(err)
	}
	if got.version != nsSOAP12 {
		t.Errorf("envelope namespace %q", got.version)
	}
	ct := got.r.Header.Get("Content-Type")
	if !containsAll(ct, "application/soap+xml", `action="urn:test#Echo"`) {
		t.Errorf("Content-Type %q", ct)
	}
	if got.r.Header.Get("SOAPAction") != "" {
		t.Errorf("SOAP 1.2 request carries a SOAPAction header")
	}
	h := got.header("SessionHeader")
	if h == nil || h.find([]string{"sessionId"}).Text != "tok" {
		t.Fatalf("session header missing: %s", got.raw)
	}
	mu := false
	for _, a := range h.Attrs {
		if a.Name.Local == "mustUnderstand" && a.Name.Space == nsSOAP12 && a.Value == "1" {
			mu = true
		}
	}
	if !mu {
		t.Errorf("mustUnderstand not set: %s", got.raw)
	}
}

type unexpectedFault struct {
	Code    string `xml:"exceptionCode"`
	Message string `xml:"exceptionMessage"`
}

func TestFault11TypedDetail(t *testing.T) {
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		writeSOAP(w, 500, "", `<s:Fault><faultcode xmlns:sf="urn:fault">sf:INVALID_FIELD</faultcode><faultstring>No such column</faultstring><faultactor>urn:a</faultactor>`+
			`<detail><sf:UnexpectedErrorFault xmlns:sf="urn:fault"><sf:exceptionCode>INVALID_FIELD</sf:exceptionCode><sf:exceptionMessage>bad</sf:exceptionMessage></sf:UnexpectedErrorFault></detail></s:Fault>`)
	})
	op := &impl.Operation{Name: "query", SOAP: impl.SOAP11, Faults: []impl.FaultType{{Name: xml.Name{Space: "urn:fault", Local: "UnexpectedErrorFault"}, New: func() any { return new(unexpectedFault) }}}}
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL})
	err := c.Invoke(t.Context(), op, &echoIn{}, &echoOut{})
	var f *Fault
	if !errors.As(err, &f) {
		t.Fatalf("want *Fault, got %T %v", err, err)
	}
	if f.Code != "sf:INVALID_FIELD" || f.String != "No such column" || f.Actor != "urn:a" || f.HTTPStatus != 500 {
		t.Errorf("fault fields: %+v", f)
	}
	d, ok := f.Detail.(*unexpectedFault)
	if !ok || d.Code != "INVALID_FIELD" || d.Message != "bad" {
		t.Errorf("typed detail: %#v", f.Detail)
	}
	if !strings.Contains(string(f.DetailXML), "UnexpectedErrorFault") {
		t.Errorf("DetailXML %q", f.DetailXML)
	}
}

func TestFault12Subcodes(t *testing.T) {
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		w.Header().Set("Content-Type", "application/soap+xml")
		w.WriteHeader(500)
		fmt.Fprintf(w, `<e:Envelope xmlns:e="%s"><e:Body><e:Fault><e:Code><e:Value>e:Sender</e:Value><e:Subcode><e:Value xmlns:v="urn:v">v:Expired</e:Value><e:Subcode><e:Value>v:Deep</e:Value></e:Subcode></e:Subcode></e:Code>`+
			`<e:Reason><e:Text xml:lang="en">token expired</e:Text></e:Reason><e:Role>urn:role</e:Role><e:Detail><x xmlns="urn:d">why</x></e:Detail></e:Fault></e:Body></e:Envelope>`, nsSOAP12)
	})
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL})
	err := c.Invoke(t.Context(), opEcho12, &echoIn{}, &echoOut{})
	var f *Fault
	if !errors.As(err, &f) {
		t.Fatalf("want *Fault, got %v", err)
	}
	if f.Code != "e:Sender" || len(f.Subcodes) != 2 || f.Subcodes[0] != "v:Expired" || f.Subcodes[1] != "v:Deep" || f.String != "token expired" || f.Actor != "urn:role" {
		t.Errorf("fault: %+v", f)
	}
	if f.Detail != nil {
		t.Errorf("undeclared detail typed: %#v", f.Detail)
	}
	if !gone([]impl.GoneRule{{FaultCode: "Expired"}}, 500, err) || !gone([]impl.GoneRule{{Detail: "why"}}, 500, err) {
		t.Errorf("gone rules do not see subcode/detail")
	}
	if gone([]impl.GoneRule{{FaultCode: "Expired", HTTPStatus: 401}}, 500, err) {
		t.Errorf("a rule matched with a different status")
	}
}

func TestNonSOAPAnswersAreHTTPErrors(t *testing.T) {
	long := strings.Repeat("x", 5000)
	cases := []struct {
		name   string
		status int
		ct     string
		body   string
	}{
		{"proxy html 502", 502, "text/html", "<html><body>Bad Gateway " + long + "</body></html>"},
		{"html with 200", 200, "text/html; charset=utf-8", "<html>login page</html>"},
		{"xml but no envelope", 500, "text/xml", "<error>nope</error>"},
		{"empty 503", 503, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := server(t, func(w http.ResponseWriter, q *soapReq) {
				if tc.ct != "" {
					w.Header().Set("Content-Type", tc.ct)
				}
				w.WriteHeader(tc.status)
				fmt.Fprint(w, tc.body)
			})
			c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL})
			err := c.Invoke(t.Context(), opEcho, &echoIn{}, &echoOut{})
			var he *HTTPError
			if !errors.As(err, &he) {
				t.Fatalf("want *HTTPError, got %T %v", err, err)
			}
			if he.StatusCode != tc.status || len(he.Snippet) > snippetMax {
				t.Errorf("status %d, snippet %d bytes", he.StatusCode, len(he.Snippet))
			}
		})
	}
}

func TestResponseSizeLimit(t *testing.T) {
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		writeSOAP(w, 200, "", echoBody(strings.Repeat("a", 10000), ""))
	})
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL}, WithMaxResponseBytes(4096))
	err := c.Invoke(t.Context(), opEcho, &echoIn{}, &echoOut{})
	var he *HTTPError
	if !errors.As(err, &he) || !strings.Contains(err.Error(), "WithMaxResponseBytes") {
		t.Fatalf("want size error, got %v", err)
	}
	c2 := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL}, WithMaxResponseBytes(1<<20))
	if err := c2.Invoke(t.Context(), opEcho, &echoIn{}, &echoOut{}); err != nil {
		t.Fatalf("within limit: %v", err)
	}
}

func TestOneWayEmptyAccepted(t *testing.T) {
	srv := server(t, func(w http.ResponseWriter, q *soapReq) { w.WriteHeader(202) })
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL})
	if err := c.Invoke(t.Context(), &impl.Operation{Name: "Notify", SOAP: impl.SOAP11, OneWay: true}, &echoIn{}, nil); err != nil {
		t.Fatal(err)
	}
}

func TestBadInputDoesNotPanic(t *testing.T) {
	for _, body := range []string{"", "<", "<s:Envelope xmlns:s='" + nsSOAP11 + "'>", "<s:Envelope xmlns:s='" + nsSOAP11 + "'><s:Body><s:Fault><faultcode>", "\x00\xff"} {
		_, err := decodeEnvelope([]byte(body), opEcho, &echoOut{}, true)
		if err == nil {
			t.Errorf("%q decoded without error", body)
		}
	}
}

// A huge streamed response fails at the limit while it is read: memory
// stays bounded by the limit, not by the body.
func TestHugeResponseBoundedMemory(t *testing.T) {
	chunk := []byte(strings.Repeat("<a>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</a>", 1000))
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprintf(w, `<s:Envelope xmlns:s="%s"><s:Body>`, nsSOAP11)
		for range 1 << 30 / len(chunk) { // 1 GiB, were it all read
			if _, err := w.Write(chunk); err != nil {
				return // the client hung up at its limit
			}
		}
	})
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL}, WithMaxResponseBytes(1<<20))
	var before, after goruntime.MemStats
	goruntime.GC()
	goruntime.ReadMemStats(&before)
	err := c.Invoke(t.Context(), opEcho, &echoIn{}, &echoOut{})
	goruntime.ReadMemStats(&after)
	var he *HTTPError
	if !errors.As(err, &he) {
		t.Fatalf("want a size HTTPError, got %v", err)
	}
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 32<<20 {
		t.Errorf("allocated %d MiB for a 1 MiB limit", grown>>20)
	}
}

// GoneRule.Detail sees a fault's type named only by element or xsi:type.
func TestGoneDetailMatchesElementAndXSIType(t *testing.T) {
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		writeSOAP(w, 500, "", `<s:Fault><faultcode>ServerFaultCode</faultcode><faultstring>x</faultstring><detail>`+
			`<NotAuthenticatedFault xmlns="urn:vim25" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="vim:NotAuthenticated"><object>group-d1</object></NotAuthenticatedFault></detail></s:Fault>`)
	})
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL})
	err := c.Invoke(t.Context(), opEcho, &echoIn{}, &echoOut{})
	for _, want := range []string{"NotAuthenticated", "NotAuthenticatedFault", "group-d1"} {
		if !gone([]impl.GoneRule{{Detail: want}}, 500, err) {
			t.Errorf("Detail %q does not match %v", want, err)
		}
	}
	if gone([]impl.GoneRule{{Detail: "InvalidLogin"}}, 500, err) {
		t.Errorf("unrelated detail matched")
	}
}

// xmlText escapes as xml.EscapeText does.
func TestXMLTextLikeEscapeText(t *testing.T) {
	for _, s := range []string{"", "plain", `<a href="x">'&'</a>`, "tab\tnl\ncr\r", "\x00\x1f ok", "bad \xff utf8 \xed\xa0\x80", "\uFFFD kept", "\U0001F600 é \uFFFE"} {
		var want, got bytes.Buffer
		_ = xml.EscapeText(&want, []byte(s))
		xmlText(&got, s)
		if got.String() != want.String() {
			t.Errorf("xmlText(%q) = %q, want %q", s, got.String(), want.String())
		}
	}
}
