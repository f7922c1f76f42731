package runtime

import (
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"net/http"
	"net/url"
	goruntime "runtime"
	"strings"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// encodings are the forms a secret takes in an answer that echoes the
// request, by name; leakForms applies them all to scan an output.
var encodings = []struct {
	name string
	enc  func(string) string
}{
	{"raw", func(s string) string { return s }},
	{"go html escape", html.EscapeString},
	{"xml escape", func(s string) string { var b strings.Builder; _ = xml.EscapeText(&b, []byte(s)); return b.String() }},
	{"xml named entities", xmlEscapers[1].Replace},
	{"html &#x27;", xmlEscapers[2].Replace},
	{"xml text, quotes bare", xmlEscapers[3].Replace},
	{"escaped twice", func(s string) string { return html.EscapeString(html.EscapeString(s)) }},
	{"named entities twice", func(s string) string { return xmlEscapers[1].Replace(xmlEscapers[1].Replace(s)) }},
	{"query escape", url.QueryEscape},
	{"path escape", url.PathEscape},
	{"query escape, lower hex", func(s string) string { return lowerHex(url.QueryEscape(s)) }},
	{"path escape, lower hex", func(s string) string { return lowerHex(url.PathEscape(s)) }},
	{"query escape in html", func(s string) string { return html.EscapeString(url.QueryEscape(s)) }},
	{"json", func(s string) string { b, _ := json.Marshal(s); return string(b) }},
	{"base64", func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }},
	{"base64 url", func(s string) string { return base64.URLEncoding.EncodeToString([]byte(s)) }},
	{"base64 unpadded", func(s string) string { return base64.RawStdEncoding.EncodeToString([]byte(s)) }},
}

// leakForms returns the encodings of secret found in out.
func leakForms(out string, secrets ...string) []string {
	var found []string
	for _, s := range secrets {
		for _, e := range encodings {
			if f := e.enc(s); len(f) >= minSecretLen && strings.Contains(out, f) {
				found = append(found, fmt.Sprintf("%s of %q (%q)", e.name, s, f))
			}
		}
	}
	return found
}

// Every form a secret takes in an echo is scrubbed, and the text around it
// survives.
func TestRedactScrubsEveryForm(t *testing.T) {
	secrets := []string{
		`s3cr&t<"x'>/ +=?%`, // every character an escaper touches
		"00D5g000004Xk2a!AQcAQH0dMHZfz972Szmpk",
		"plainpassword",
	}
	const user = "alice"
	for _, s := range secrets {
		basic := base64.StdEncoding.EncodeToString([]byte(user + ":" + s))
		for _, e := range encodings {
			t.Run(e.name+"/"+s, func(t *testing.T) {
				x := &exchange{}
				x.secret(s)
				x.secret(basic)
				form := e.enc(s)
				answer := "<p>before " + form + " after</p>"
				got := string(x.scrub([]byte(answer)))
				if leaks := leakForms(got, s, basic); len(leaks) > 0 {
					t.Errorf("scrub(%q) = %q still holds %v", answer, got, leaks)
				}
				if !strings.HasPrefix(got, "<p>before ") || !strings.HasSuffix(got, " after</p>") || !strings.Contains(got, redacted) {
					t.Errorf("scrub(%q) = %q: the surrounding text or the mark is wrong", answer, got)
				}
			})
		}
		t.Run("basic header/"+s, func(t *testing.T) {
			x := &exchange{}
			x.secret(s)
			x.secret(basic)
			got := string(x.scrub([]byte("Authorization: Basic " + basic)))
			if got != "Authorization: Basic "+redacted {
				t.Errorf("got %q", got)
			}
		})
	}
}

// An HTML gateway page that quotes the XML request, escaping it again
// (s3cr&amp;amp;t), carries no form of the password into the error.
func TestEchoedDoubleEscapedPasswordIsScrubbed(t *testing.T) {
	noLeaks(t)
	const pass = `pw&Secr3t<x>"'`
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		// q.raw is the XML request (the password escaped once); the page
		// escapes it again.
		fmt.Fprintf(w, "<html><body>upstream refused:<pre>%s</pre></body></html>", html.EscapeString(q.raw))
	})
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL, Profile: sfTestProfile()}, WithCredentials(Password("alice", pass)))
	_, err := echo(c, t.Context(), "hi")
	if err == nil {
		t.Fatal("no error")
	}
	if leaks := leakForms(err.Error(), pass); len(leaks) > 0 {
		t.Errorf("error carries %v: %v", leaks, err)
	}
	if !strings.Contains(err.Error(), redacted) {
		t.Errorf("the echo was not seen (no %s): %v", redacted, err)
	}
}

// noLeaks checks, after every other cleanup of the test (servers, clients)
// has run, that the goroutines it started have ended.
func noLeaks(t *testing.T) {
	before := goruntime.NumGoroutine()
	t.Cleanup(func() { waitGoroutines(t, before) })
}
