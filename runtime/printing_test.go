package runtime

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
	"golang.org/x/oauth2/clientcredentials"
)

// Every exported runtime value that can hold a secret, printed in every
// fmt verb, through slog's text and JSON handlers and (where it is no
// storage format) json.Marshal, shows no form of any secret.
func TestFormatRedactsEveryValue(t *testing.T) {
	noLeaks(t)
	const (
		pass         = `pw&Secr3t<x>"'`
		token        = "00D5g000004Xk2a!AQcAQH0dMHZfz972Szmpk"
		cookie       = "JSESS-8f1c2d3e4b5a"
		clientSecret = "cl1ent-S3cret-77"
	)
	ctx := context.Background()

	// A client holding a session (and a Store holding it).
	sfSrv := server(t, func(w http.ResponseWriter, q *soapReq) {
		if q.body.XMLName.Local == "login" {
			writeSOAP(w, 200, "", loginBody(token, ""))
			return
		}
		writeFault11(w, "sf:INVALID_FIELD", "bad field for session "+token)
	})
	store := NewMemoryStore()
	rec := &recorder{}
	sfClient := mustClient(t, &impl.Service{Name: "S", Endpoint: sfSrv.URL, Profile: sfTestProfile()},
		WithCredentials(Password("alice", pass)), WithStore(store), WithEvents(rec.add))
	_, faultErr := echo(sfClient, ctx, "hi")
	if _, ok := faultErr.(*Fault); !ok {
		t.Fatalf("want a fault, got %v", faultErr)
	}
	_, httpErr := echo(mustClient(t, &impl.Service{Name: "S", Endpoint: echoingProxy(t).URL, Profile: sfTestProfile()},
		WithCredentials(Password("alice", pass)), WithEvents(rec.add)), ctx, "hi")
	var he *HTTPError
	if !errors.As(httpErr, &he) {
		t.Fatalf("want an HTTPError, got %v", httpErr)
	}

	// OAuth2 credentials holding a bearer token.
	ts, tsrv := newTokenServer(t, 3600)
	var refused atomic.Int64
	oauth := OAuth2ClientCredentials(&clientcredentials.Config{ClientID: "app", ClientSecret: clientSecret, TokenURL: tsrv.URL})
	if _, err := echo(mustClient(t, &impl.Service{Name: "S", Endpoint: bearerServer(t, ts, &refused).URL, Profile: oauthCallProfile()},
		WithCredentials(oauth)), ctx, "x"); err != nil {
		t.Fatal(err)
	}
	bearer := oauth.(*oauthCreds).tok
	if bearer == "" {
		t.Fatal("no token cached")
	}

	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	sc := StoredCookie{URL: "https://h.example/", Name: "JSESSIONID", Value: cookie, Path: "/"}
	st := SessionState{Token: token, Endpoint: "https://h.example/svc", Cookies: []StoredCookie{sc}, Issued: now, TokenIssued: now, LastUsed: now}
	lr := impl.LoginResult{Token: token, Endpoint: "https://h.example/svc", Lifetime: time.Hour}

	values := []struct {
		name string
		v    any
		// storage: its JSON is the Store's format and keeps the secret.
		storage bool
	}{
		{"Password", Password("alice", pass), false},
		{"PasswordFunc", PasswordFunc("alice", func(context.Context) (string, error) { return pass, nil }), false},
		{"OAuth2ClientCredentials", oauth, false},
		{"SessionState", st, true},
		{"*SessionState", &st, true},
		{"StoredCookie", sc, true},
		{"LoginResult", lr, false},
		{"*LoginResult", &lr, false},
		{"MemoryStore", store, false},
		{"*Client", sfClient, false},
		{"Fault", faultErr, false},
		{"HTTPError", he, false},
		{"login error", httpErr, false},
		{"Events", rec.events, false},
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.events) == 0 {
		t.Fatal("no events recorded")
	}
	secrets := []string{pass, token, cookie, clientSecret, bearer}
	for _, tc := range values {
		outs := map[string]string{}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			outs[verb] = fmt.Sprintf(verb, tc.v)
		}
		if s, ok := tc.v.(fmt.Stringer); ok {
			outs["String"] = s.String()
		}
		if s, ok := tc.v.(fmt.GoStringer); ok {
			outs["GoString"] = s.GoString()
		}
		var text, js bytes.Buffer
		slog.New(slog.NewTextHandler(&text, nil)).Info("value", "v", tc.v)
		slog.New(slog.NewJSONHandler(&js, nil)).Info("value", "v", tc.v)
		outs["slog text"], outs["slog json"] = text.String(), js.String()
		if !tc.storage {
			b, err := json.Marshal(tc.v)
			if err != nil {
				t.Errorf("%s: json.Marshal: %v", tc.name, err)
			}
			outs["json"] = string(b)
		}
		for how, out := range outs {
			if leaks := leakForms(out, secrets...); len(leaks) > 0 {
				t.Errorf("%s printed with %s carries %v:\n%s", tc.name, how, leaks, out)
			}
		}
	}
	// The redacted forms still say what they are.
	for _, c := range []struct{ got, want string }{
		{fmt.Sprintf("%v", Password("alice", pass)), `runtime.Password("alice", [redacted])`},
		{fmt.Sprintf("%+v", oauth), `runtime.OAuth2ClientCredentials("app")`},
		{fmt.Sprintf("%#v", lr), `impl.LoginResult{Token:"[redacted]", Endpoint:"https://h.example/svc", Lifetime:3600000000000, Lent:map[string]string(nil)}`},
		{fmt.Sprintf("%+v", sc), `{URL:https://h.example/ Name:JSESSIONID Value:[redacted] Domain: Path:/ Expires:0001-01-01 00:00:00 +0000 UTC Secure:false HTTPOnly:false}`},
	} {
		if c.got != c.want {
			t.Errorf("got  %s\nwant %s", c.got, c.want)
		}
	}
	var js bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, nil)).Info("value", "v", st)
	if !bytes.Contains(js.Bytes(), []byte(`"token":"[redacted]"`)) || !bytes.Contains(js.Bytes(), []byte(`"cookies":1`)) {
		t.Errorf("slog JSON of a SessionState: %s", js.Bytes())
	}
}
