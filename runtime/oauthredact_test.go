package runtime

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// A token endpoint behind a WAF whose refusal page echoes the token
// request (its form with client_secret=…, its Basic header, a token in a
// JSON description) carries none of it into the call's error, the
// login-failed event, the warn log, or the RetrieveError a caller can
// unwrap; and the error holds the start of the page, not all of it.
func TestOAuthTokenErrorScrubbed(t *testing.T) {
	noLeaks(t)
	const secret = "cl1ent-S3cret&x=y"
	const leakedToken = "eyJhbGciOi.leaked-access-token"
	for _, tc := range []struct {
		name  string
		style oauth2.AuthStyle
		page  func(r *http.Request, form string) (ct, body string)
	}{
		{"html echo of the form", oauth2.AuthStyleInParams, func(r *http.Request, form string) (string, string) {
			return "text/html", "<html><h1>Request blocked</h1><pre>" + html.EscapeString(form) + "</pre>" + strings.Repeat("<p>padding</p>", 500) + "</html>"
		}},
		{"raw echo of the header", oauth2.AuthStyleInHeader, func(r *http.Request, form string) (string, string) {
			return "text/plain", "blocked: Authorization: " + r.Header.Get("Authorization") + " body " + form
		}},
		{"json description", oauth2.AuthStyleInParams, func(r *http.Request, form string) (string, string) {
			b, _ := json.Marshal(map[string]string{"error": "invalid_request",
				"error_description": "bad request " + form + " access_token=" + leakedToken})
			return "application/json", string(b)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tsrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				ct, body := tc.page(r, string(b))
				w.Header().Set("Content-Type", ct)
				w.WriteHeader(http.StatusForbidden)
				io.WriteString(w, body)
			}))
			t.Cleanup(tsrv.Close)
			s, srv := newCKServer(t)
			_ = s
			var logMu sync.Mutex
			var logs bytes.Buffer
			rec := &recorder{}
			c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL + "/svc/e", Profile: ckTestProfile(impl.ScopeShared)},
				WithCredentials(OAuth2ClientCredentials(&clientcredentials.Config{ClientID: "app id", ClientSecret: secret, TokenURL: tsrv.URL, AuthStyle: tc.style})),
				WithEvents(rec.add), WithLogger(slog.New(slog.NewTextHandler(lockedWriter{&logMu, &logs}, nil))))
			_, err := echo(c, t.Context(), "x")
			if err == nil {
				t.Fatal("no error")
			}
			basic := []string{secret, leakedToken}
			check := func(where, out string) {
				t.Helper()
				if leaks := leakForms(out, basic...); len(leaks) > 0 {
					t.Errorf("%s carries %v:\n%s", where, leaks, out)
				}
				if strings.Contains(out, "padding</p>"+strings.Repeat("<p>padding</p>", 100)) {
					t.Errorf("%s carries the whole page (%d bytes)", where, len(out))
				}
			}
			check("error", err.Error())
			if !strings.Contains(err.Error(), redacted) {
				t.Errorf("the echo was not seen: %v", err)
			}
			rec.mu.Lock()
			for _, e := range rec.events {
				if e.Err != nil {
					check("event "+e.Kind.String(), e.Err.Error())
				}
			}
			rec.mu.Unlock()
			logMu.Lock()
			check("log", logs.String())
			logMu.Unlock()
			var re *oauth2.RetrieveError
			if !errors.As(err, &re) {
				t.Fatalf("the oauth2 error is not reachable: %v", err)
			}
			if re.Response == nil || re.Response.StatusCode != http.StatusForbidden || re.Response.Request != nil {
				t.Errorf("unwrapped response: %+v", re.Response)
			}
			check("RetrieveError", fmt.Sprintf("%s %s %s %s %s", re.Body, re.ErrorCode, re.ErrorDescription, re.ErrorURI, re.Error()))
		})
	}
}
