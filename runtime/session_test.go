package runtime

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// A client that adopts a shared session from the Store must see it as busy
// when another client keeps using it, not as idle since its login.
func TestStoreKeepsLastUsedOfBusySession(t *testing.T) {
	s := newSFServer(t)
	clk := newFakeClock()
	store := NewMemoryStore()
	p := sfTestProfile()
	p.Limits = impl.Limits{Idle: 30 * time.Minute}
	svc := &impl.Service{Name: "S", Endpoint: s.URL, Profile: p}
	a := mustClient(t, svc, WithCredentials(Password("alice", s.password)), WithStore(store), WithClock(clk))
	for range 7 {
		if _, err := echo(a, t.Context(), "a"); err != nil {
			t.Fatal(err)
		}
		clk.Advance(10 * time.Minute)
	}
	b := mustClient(t, svc, WithCredentials(Password("alice", s.password)), WithStore(store), WithClock(clk))
	if _, err := echo(b, t.Context(), "b"); err != nil {
		t.Fatal(err)
	}
	if s.logins.Load() != 1 {
		t.Errorf("%d logins: b took a busy session for an idle one", s.logins.Load())
	}
}

func TestPasswordFuncCalledPerLogin(t *testing.T) {
	s := newSFServer(t)
	var asked atomic.Int64
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: s.URL, Profile: sfTestProfile()},
		WithCredentials(PasswordFunc("alice", func(ctx context.Context) (string, error) {
			asked.Add(1)
			return s.password, nil
		})))
	for range 3 {
		if _, err := echo(c, t.Context(), "x"); err != nil {
			t.Fatal(err)
		}
	}
	s.killAll()
	if _, err := echo(c, t.Context(), "y"); err != nil {
		t.Fatal(err)
	}
	if asked.Load() != 2 {
		t.Errorf("password asked %d times for 2 logins", asked.Load())
	}
	bad := mustClient(t, &impl.Service{Name: "S", Endpoint: s.URL, Profile: sfTestProfile()},
		WithCredentials(PasswordFunc("alice", func(ctx context.Context) (string, error) { return "", fmt.Errorf("vault sealed") })))
	if _, err := echo(bad, t.Context(), "x"); err == nil {
		t.Errorf("a failing password callback did not fail the call")
	}
}

// Tokens can come from and go to HTTP headers (with a prefix).
func TestHTTPHeaderTokenRotation(t *testing.T) {
	var n, stale atomic.Int64
	var latest atomic.Value
	latest.Store("")
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		got := q.r.Header.Get("Authorization")
		if q.body.XMLName.Local == "login" {
			w.Header().Set("X-Session", "H0")
			latest.Store("H0")
			writeSOAP(w, 200, "", loginBody("", ""))
			return
		}
		if got != "Session "+latest.Load().(string) {
			stale.Add(1)
		}
		next := fmt.Sprint("H", n.Add(1))
		latest.Store(next)
		w.Header().Set("X-Session", next)
		writeSOAP(w, 200, "", echoBody("ok", ""))
	})
	p := sfTestProfile()
	p.Tokens = []impl.TokenSource{{Kind: impl.FromLogin}, {Kind: impl.FromHTTPHeader, Name: "X-Session"}}
	p.Send = []impl.TokenTarget{{Kind: impl.ToHTTPHeader, Name: "Authorization", Prefix: "Session "}}
	p.Rotate = true
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL, Profile: p}, WithCredentials(Password("u", "p")))
	for range 5 {
		if _, err := echo(c, t.Context(), "x"); err != nil {
			t.Fatal(err)
		}
	}
	if stale.Load() != 0 {
		t.Errorf("%d calls carried a stale header token", stale.Load())
	}
}

// A user's http.Client with a Jar must not mix cookies between sessions:
// each session has its own jar.
func TestUserJarIgnored(t *testing.T) {
	s, srv := newCKServer(t)
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	p := ckTestProfile(impl.ScopeShared)
	alice := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL + "/svc/e", Profile: p}, WithCredentials(Password("alice", "ck-secret-5")), WithHTTPClient(hc))
	bob := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL + "/svc/e", Profile: p}, WithCredentials(Password("bob", "ck-secret-5")), WithHTTPClient(hc))
	for _, c := range []*Client{alice, bob, alice, bob} {
		if _, err := echo(c, t.Context(), "x"); err != nil {
			t.Fatal(err)
		}
	}
	out, _ := echo(bob, t.Context(), "x")
	if out.Session != "bob" || s.both.Load() != 0 || s.opens.Load() != 2 {
		t.Errorf("session user %q, cookie+credentials %d, opens %d", out.Session, s.both.Load(), s.opens.Load())
	}
}

// A login's Lifetime is an idle limit (Salesforce sessionSecondsValid):
// every use pushes the relogin back; WithRefreshMargin moves it earlier
// than the profile's margin.
func TestLoginLifetimeAndRefreshMargin(t *testing.T) {
	s := newSFServer(t)
	clk := newFakeClock()
	p := sfTestProfile()
	p.Login.Result = func(r any) (impl.LoginResult, error) {
		return impl.LoginResult{Token: r.(*loginOut).SessionID, Lifetime: 10 * time.Minute}, nil
	}
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: s.URL, Profile: p}, WithCredentials(Password("alice", s.password)),
		WithClock(clk), WithRefreshMargin(2*time.Minute))
	if _, err := echo(c, t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"b", "c"} { // 16 min after the login, in use
		clk.Advance(7*time.Minute + 59*time.Second)
		if _, err := echo(c, t.Context(), text); err != nil || s.logins.Load() != 1 {
			t.Fatalf("relogin of a session in use, or error: %v, %d logins", err, s.logins.Load())
		}
	}
	clk.Advance(8 * time.Minute) // idle for lifetime - margin
	if _, err := echo(c, t.Context(), "d"); err != nil || s.logins.Load() != 2 {
		t.Fatalf("no relogin after lifetime - margin idle: %v, %d logins", err, s.logins.Load())
	}
}

// Per-call headers are per call: concurrent calls with different header
// values never see each other's (gowsdl keeps them as shared client state).
func TestRequestHeadersArePerCall(t *testing.T) {
	var mixed atomic.Int64
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		h := q.header("Trace")
		if h == nil || h.find([]string{"ID"}).Text != q.body.find([]string{"Text"}).Text {
			mixed.Add(1)
		}
		writeSOAP(w, 200, "", echoBody("ok", ""))
	})
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL})
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprint("id-", i)
			if err := c.Invoke(t.Context(), opEcho, &echoIn{Text: id}, &echoOut{}, WithRequestHeaders(&traceHeader{ID: id})); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if mixed.Load() != 0 {
		t.Errorf("%d calls carried another call's header", mixed.Load())
	}
}
