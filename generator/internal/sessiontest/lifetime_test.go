package sessiontest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	token "github.com/wsdlsess/wsdlsess/golden/gen-lifetime"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// TestLifetimeFromHeader drives the golden gen-lifetime client, whose
// profile reads the session's lifetime from the login response's
// SessionToken/expiresIn header (600 s): with the profile's 90 s refresh
// margin, a session idle for 8 minutes is kept and one idle for 9 more is
// replaced before the call, instead of failing on it.
func TestLifetimeFromHeader(t *testing.T) {
	var mu sync.Mutex
	logins, expired := 0, 0
	live := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		const env = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">%s<s:Body>%s</s:Body></s:Envelope>`
		if strings.Contains(string(body), "<login") {
			logins++
			id := fmt.Sprintf("S-%d", logins)
			live[id] = true
			fmt.Fprintf(w, env, `<s:Header><t:SessionToken xmlns:t="urn:ex:token"><t:issuer>idp</t:issuer><t:expiresIn>600</t:expiresIn></t:SessionToken></s:Header>`,
				`<loginResponse xmlns="urn:ex:token"><sessionId>`+id+`</sessionId></loginResponse>`)
			return
		}
		if !live[r.Header.Get("X-Session")] {
			expired++
			w.WriteHeader(440)
			return
		}
		fmt.Fprintf(w, env, "", `<pingResponse xmlns="urn:ex:token"><text>pong</text></pingResponse>`)
	}))
	t.Cleanup(srv.Close)
	clk := fakevendor.NewClock(time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC))
	c, err := token.NewClient(runtime.WithEndpoint(srv.URL), runtime.WithCredentials(runtime.Password("ann", "s3cret")), runtime.WithClock(clk))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	ctx := context.Background()
	ping := func() error {
		_, err := c.Ping(ctx, &token.Ping{Text: "x"})
		return err
	}
	counts := func() (int, int) {
		mu.Lock()
		defer mu.Unlock()
		return logins, expired
	}
	if err := ping(); err != nil {
		t.Fatal(err)
	}
	clk.Advance(8 * time.Minute)
	if err := ping(); err != nil {
		t.Fatal(err)
	}
	if n, _ := counts(); n != 1 {
		t.Fatalf("after 8 idle minutes: logins %d; want the same session", n)
	}
	// The server ends the session at its lifetime; the client must have
	// replaced it before.
	mu.Lock()
	live = map[string]bool{}
	mu.Unlock()
	clk.Advance(9 * time.Minute)
	err = ping()
	if n, x := counts(); err != nil || n != 2 || x != 0 {
		t.Errorf("after 9 idle minutes: %v, logins %d, expired %d; want a fresh login before the call", err, n, x)
	}
}
