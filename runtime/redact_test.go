package runtime

import (
	"context"
	"encoding/base64"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// echoingProxy answers every request with a 502 HTML page that quotes the
// request as some gateways do: the body raw and HTML-escaped, the
// Authorization header, and a URL-encoded copy of the body.
func echoingProxy(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, "<html><pre>"+r.Header.Get("Authorization")+"|"+string(b)+"|"+html.EscapeString(string(b))+"|"+url.QueryEscape(string(b))+"</pre></html>")
	}))
	t.Cleanup(srv.Close)
	return srv
}

func assertScrubbed(t *testing.T, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, s := range secrets {
		for _, form := range []string{s, html.EscapeString(s), url.QueryEscape(s)} {
			if strings.Contains(msg, form) {
				t.Errorf("error carries a secret (%q): %s", form, msg)
			}
		}
	}
	if !strings.Contains(msg, redacted) {
		t.Errorf("error has no %s mark, so the test did not see the echo: %s", redacted, msg)
	}
}

// A login answered by an echoing proxy: the password is not in the error.
func TestEchoedPasswordIsScrubbedFromLoginError(t *testing.T) {
	const pass = `pw&Secr3t<x>"`
	srv := echoingProxy(t)
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL, Profile: sfTestProfile()}, WithCredentials(Password("alice", pass)))
	_, err := echo(c, context.Background(), "hi")
	assertScrubbed(t, err, pass)
}

// Basic credentials echoed back: neither the password nor the header
// value is in the error.
func TestEchoedBasicAuthIsScrubbed(t *testing.T) {
	const pass = "pw-basic-9f3c"
	srv := echoingProxy(t)
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL, Profile: ckTestProfile(impl.ScopeShared)}, WithCredentials(Password("alice", pass)))
	_, err := echo(c, context.Background(), "hi")
	assertScrubbed(t, err, pass, base64.StdEncoding.EncodeToString([]byte("alice:"+pass)))
}

// A fault string quoting the session token (not a session-gone fault, so
// it reaches the caller) does not carry the token.
func TestEchoedTokenIsScrubbedFromFault(t *testing.T) {
	const token = "00D5g000004Xk2a!AQcAQH0dMHZfz972Szmpk"
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		if q.body.XMLName.Local == "login" {
			writeSOAP(w, 200, "", loginBody(token, ""))
			return
		}
		writeFault11(w, "sf:INVALID_FIELD", "No such column on entity; request session "+token)
	})
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL, Profile: sfTestProfile()}, WithCredentials(Password("alice", "pw-sf-1234")))
	_, err := echo(c, context.Background(), "hi")
	assertScrubbed(t, err, token)
	if !strings.Contains(err.Error(), "No such column") {
		t.Errorf("the rest of the fault string is gone: %v", err)
	}
}

func TestScrubForms(t *testing.T) {
	x := &exchange{}
	x.secret("ab") // too short to scrub
	x.secret("s3cr&t")
	got := string(x.scrub([]byte("ab s3cr&t s3cr&amp;t s3cr%26t")))
	if want := "ab [redacted] [redacted] [redacted]"; got != want {
		t.Errorf("scrub = %q, want %q", got, want)
	}
}
