package runtime

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
	"golang.org/x/net/http/httpguts"
)

// tokenSources are the places a profile reads a session token from, one of
// each kind the vendors use.
var tokenSources = []impl.TokenSource{
	{Kind: impl.FromResponseHeader, Header: xml.Name{Space: nsSB, Local: "SessionToken"}},                  // Siebel
	{Kind: impl.FromResponseHeader, Header: xml.Name{Local: "SessionHeader"}, Path: []string{"sessionId"}}, // Salesforce style
	{Kind: impl.FromCookie, Name: "JSESSIONID"},                                                            // Oracle, SAP
	{Kind: impl.FromCookie, Name: "vmware_soap_session"},                                                   // vSphere
	{Kind: impl.FromHTTPHeader, Name: "X-Session-Token"},
}

// FuzzTokenCapture feeds arbitrary response HTTP headers (Set-Cookie lines
// and others, through net/http's own parser) and response envelopes to the
// token capture, and checks what a captured token must satisfy:
//   - capture is deterministic;
//   - a cookie token is the value of a cookie the response set and did
//     not expire (a deletion "Max-Age=0" or a past Expires is no session);
//   - a token goes back out the way the vendor expects it unchanged: a
//     header token as a SOAP header element the server decodes to the
//     same text, a cookie token as a Cookie header the server parses to
//     the same value, an HTTP header token as a valid header value;
//   - a session stored with its cookies and adopted back (another process
//     reading the Store) carries the same token and hash.
func FuzzTokenCapture(f *testing.F) {
	env := func(header string) string {
		return `<s:Envelope xmlns:s="` + nsSOAP11 + `"><s:Header>` + header + `</s:Header><s:Body>` + echoBody("x", "") + `</s:Body></s:Envelope>`
	}
	f.Add("Content-Type: text/xml", env(`<SessionToken xmlns="`+nsSB+`">  tok-1  </SessionToken>`))
	f.Add("Content-Type: text/xml", env(`<sf:SessionHeader xmlns:sf="urn:sf"><sf:sessionId>00D!AQ.x</sf:sessionId></sf:SessionHeader>`))
	f.Add("Set-Cookie: JSESSIONID=abc123; Path=/Services; HttpOnly\r\nSet-Cookie: other=1", env(""))
	f.Add(`Set-Cookie: vmware_soap_session="52a1b3c4-d5e6"; Path=/; HttpOnly; Secure`, env(""))
	f.Add("Set-Cookie: JSESSIONID=deleted; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/", env(""))
	f.Add("Set-Cookie: JSESSIONID=gone; Max-Age=0\r\nSet-Cookie: JSESSIONID=live; Path=/", env(""))
	f.Add("Set-Cookie: JSESSIONID=; Path=/\r\nX-Session-Token: Bearer abc", env(""))
	f.Add("Set-Cookie: JSESSIONID=a b,c; Domain=.example.com; Max-Age=3600", env(`<SessionToken xmlns="`+nsSB+`"><![CDATA[<&>]]></SessionToken>`))
	f.Add("X-Session-Token:   spaced\t", env(`<SessionToken xmlns="`+nsSB+`">&#xD;&#x9;x</SessionToken>`))
	f.Fuzz(func(t *testing.T, head, body string) {
		resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader("HTTP/1.1 200 OK\r\n"+head+"\r\nContent-Length: 0\r\n\r\n")), nil)
		if err != nil {
			return
		}
		rep := &reply{status: resp.StatusCode, http: resp.Header, cookies: resp.Cookies()}
		if dec, err := decodeEnvelope([]byte(body), opEcho, nil, true); err == nil {
			rep.headers = dec.headers
		}
		for _, src := range tokenSources {
			e := &engine{p: &impl.Profile{Tokens: []impl.TokenSource{src}}, clock: systemClock{}}
			tok := e.tokenFrom(rep, "")
			if again := e.tokenFrom(rep, ""); again != tok {
				t.Fatalf("capture not deterministic: %q then %q", tok, again)
			}
			if tok == "" {
				continue
			}
			switch src.Kind {
			case impl.FromCookie:
				checkCookieToken(t, rep.cookies, src.Name, tok)
			case impl.FromResponseHeader:
				checkSOAPHeaderToken(t, src, tok)
			case impl.FromHTTPHeader:
				if !httpguts.ValidHeaderFieldValue(tok) {
					t.Fatalf("captured HTTP header token %q cannot be sent back", tok)
				}
			}
			s := &session{token: tok, issued: e.clock.Now(), tokenIssued: e.clock.Now(), hash: shortHash(tok),
				cookies: storedCookies("http://vendor.example/soap", rep.cookies)}
			adopted := sessionFrom(s.state())
			if adopted.token != tok || adopted.hash != s.hash || s.hash == tok {
				t.Fatalf("adopted session: token %q hash %q, want %q %q", adopted.token, adopted.hash, tok, s.hash)
			}
		}
	})
}

// checkCookieToken: tok is a live cookie of the response, and a server
// reading the Cookie header the runtime sends gets tok back.
func checkCookieToken(t *testing.T, cookies []*http.Cookie, name, tok string) {
	t.Helper()
	live := false
	for _, c := range cookies {
		// RFC 6265 5.2.2 and 5.3: Max-Age 0 or less, or an Expires in the
		// past, deletes the cookie; an empty value is no session.
		deleted := c.MaxAge < 0 || (!c.Expires.IsZero() && !c.Expires.After(time.Now())) || c.Value == ""
		if c.Name == name && c.Value == tok && !deleted {
			live = true
		}
	}
	if !live {
		t.Fatalf("cookie token %q is not a live %s cookie of the response", tok, name)
	}
	req := &http.Request{Header: http.Header{}}
	req.AddCookie(&http.Cookie{Name: name, Value: tok})
	got, err := req.Cookie(name)
	if err != nil || got.Value != tok {
		t.Fatalf("cookie token %q sent as %q reads back as %v, %v", tok, req.Header.Get("Cookie"), got, err)
	}
}

// checkSOAPHeaderToken: tok sent in the header element the profile reads it
// from (as Siebel sends SessionToken back) decodes to tok on the server.
func checkSOAPHeaderToken(t *testing.T, src impl.TokenSource, tok string) {
	t.Helper()
	var buf bytes.Buffer
	ev := envelope{version: impl.SOAP11, profile: []headerElem{{name: src.Header, path: src.Path, text: tok}}, body: &echoIn{}}
	if err := ev.write(&buf); err != nil {
		t.Fatalf("write envelope with token %q: %v", tok, err)
	}
	dec, err := decodeEnvelope(buf.Bytes(), opEcho, nil, true)
	if err != nil {
		t.Fatalf("own envelope with token %q does not decode: %v\n%s", tok, err, buf.Bytes())
	}
	e := &engine{p: &impl.Profile{Tokens: []impl.TokenSource{src}}}
	if got := e.tokenFrom(&reply{headers: dec.headers}, ""); got != tok {
		t.Fatalf("token %q sent in a SOAP header reads back as %q\n%s", tok, got, buf.Bytes())
	}
}
