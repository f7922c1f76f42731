package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
	"golang.org/x/oauth2/clientcredentials"
)

// ckServer opens a cookie session on an authenticated call; later calls
// send the cookie. It counts authenticated opens and requests that carry
// both a live cookie and credentials (the Oracle rule).
type ckServer struct {
	mu       sync.Mutex
	sessions map[string]string // cookie -> user
	n        int
	opens    atomic.Int64
	both     atomic.Int64
	bearer   string
}

func newCKServer(t *testing.T) (*ckServer, *httptest.Server) {
	s := &ckServer{sessions: map[string]string{}}
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		s.mu.Lock()
		defer s.mu.Unlock()
		var cookieUser string
		if c, err := q.r.Cookie("JSESSIONID"); err == nil {
			cookieUser = s.sessions[c.Value]
		}
		auth := q.r.Header.Get("Authorization")
		wsse := q.header("Security")
		if cookieUser != "" && (auth != "" || wsse != nil) {
			s.both.Add(1)
		}
		user := cookieUser
		if user == "" {
			if u, p, ok := q.r.BasicAuth(); ok && p == "ck-secret-5" {
				user = u
			} else if wsse != nil && wsse.find([]string{"UsernameToken", "Password"}).Text == "ck-secret-5" {
				user = wsse.find([]string{"UsernameToken", "Username"}).Text
			} else if s.bearer != "" && auth == "Bearer "+s.bearer {
				user = "client-app"
			}
			if user == "" {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(401)
				fmt.Fprint(w, "<html>unauthorized</html>")
				return
			}
			s.opens.Add(1)
			s.n++
			v := fmt.Sprintf("COOKIE%06d%s", s.n, user)
			s.sessions[v] = user
			http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: v, Path: "/svc", HttpOnly: true})
		}
		writeSOAP(w, 200, "", echoBody(q.body.find([]string{"Text"}).Text, user))
	})
	return s, srv
}

func ckTestProfile(scope impl.Scope) *impl.Profile {
	return &impl.Profile{Name: "cookie", Login: impl.Login{Kind: impl.LoginHTTP},
		Tokens: []impl.TokenSource{{Kind: impl.FromCookie, Name: "JSESSIONID"}},
		Send:   []impl.TokenTarget{{Kind: impl.ToCookie, Name: "JSESSIONID"}},
		Gone:   []impl.GoneRule{{HTTPStatus: 401}}, Scope: scope}
}

// The SAP splitter case: 50 parallel calls inside a fresh exchange open
// exactly one session.
func TestExchangeFanOutOpensOneSession(t *testing.T) {
	s, srv := newCKServer(t)
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL + "/svc/echo", Profile: ckTestProfile(impl.ScopeExchange)},
		WithCredentials(Password("carol", "ck-secret-5")))
	ex := c.Exchange()
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := echo(ex, t.Context(), fmt.Sprint(i)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if err := ex.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if s.opens.Load() != 1 || s.both.Load() != 0 {
		t.Errorf("opens %d, cookie+credentials %d", s.opens.Load(), s.both.Load())
	}
	// A second exchange gets its own session; plain calls each get one.
	ex2 := c.Exchange()
	defer ex2.Close(t.Context())
	if _, err := echo(ex2, t.Context(), "x"); err != nil {
		t.Fatal(err)
	}
	if _, err := echo(c, t.Context(), "y"); err != nil {
		t.Fatal(err)
	}
	if s.opens.Load() != 3 {
		t.Errorf("opens %d, want 3", s.opens.Load())
	}
}

func TestCookieOrCredentialsNeverBoth(t *testing.T) {
	s, srv := newCKServer(t)
	p := ckTestProfile(impl.ScopeShared)
	p.Login = impl.Login{Kind: impl.LoginHeaders, WSSecurity: true}
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL + "/svc/echo", Profile: p}, WithCredentials(Password("olga", "ck-secret-5")))
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := echo(c, t.Context(), fmt.Sprint(i))
			if err != nil || out.Session != "olga" {
				t.Error(err, out)
			}
		}()
	}
	wg.Wait()
	s.mu.Lock()
	clear(s.sessions) // expire every cookie: next call gets 401, authenticates again
	s.mu.Unlock()
	if _, err := echo(c, t.Context(), "again"); err != nil {
		t.Fatal(err)
	}
	if s.opens.Load() != 2 || s.both.Load() != 0 {
		t.Errorf("opens %d, cookie+credentials %d", s.opens.Load(), s.both.Load())
	}
}

// Cookies are scoped as the server set them: a cookie with Path=/svc is not
// sent to /other.
func TestCookiePathRespected(t *testing.T) {
	var sawCookieOnOther atomic.Bool
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		if q.r.URL.Path == "/other" {
			if _, err := q.r.Cookie("JSESSIONID"); err == nil {
				sawCookieOnOther.Store(true)
			}
			writeSOAP(w, 200, "", echoBody("o", ""))
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: "v1", Path: "/svc"})
		writeSOAP(w, 200, "", echoBody("s", ""))
	})
	jar := newJar()
	e := &engine{hc: http.DefaultClient, maxResponse: 1 << 20}
	for _, path := range []string{"/svc/x", "/other"} {
		x := &exchange{url: srv.URL + path, op: opEcho, jar: jar, out: &echoOut{}}
		x.env.version, x.env.body = impl.SOAP11, &echoIn{}
		if _, err := e.roundTrip(t.Context(), x); err != nil {
			t.Fatal(err)
		}
	}
	if sawCookieOnOther.Load() {
		t.Errorf("cookie with Path=/svc sent to /other")
	}
}

func TestOAuth2TokenCachedForItsLifetime(t *testing.T) {
	s, srv := newCKServer(t)
	s.bearer = "access-token-xyz-123"
	var tokenCalls atomic.Int64
	tokenSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tokenCalls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": s.bearer, "token_type": "Bearer", "expires_in": 3600})
	}))
	defer tokenSrv.Close()
	cfg := &clientcredentials.Config{ClientID: "client-app", ClientSecret: "oauth-secret-42", TokenURL: tokenSrv.URL}
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL + "/svc/echo", Profile: ckTestProfile(impl.ScopeExchange)},
		WithCredentials(OAuth2ClientCredentials(cfg)))
	for range 5 { // five sessions (plain calls on an exchange-scope client)
		if _, err := echo(c, t.Context(), "x"); err != nil {
			t.Fatal(err)
		}
	}
	if s.opens.Load() != 5 || tokenCalls.Load() != 1 {
		t.Errorf("opens %d token requests %d, want 5 and 1", s.opens.Load(), tokenCalls.Load())
	}
}

func TestBadCredentialsHTTPLoginOneError(t *testing.T) {
	s, srv := newCKServer(t)
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL + "/svc/echo", Profile: ckTestProfile(impl.ScopeShared)},
		WithCredentials(Password("carol", "not-the-password")))
	_, err := echo(c, t.Context(), "x")
	var he *HTTPError
	if !errors.As(err, &he) || he.StatusCode != 401 {
		t.Fatalf("want 401 HTTPError, got %v", err)
	}
	if !strings.Contains(err.Error(), "login failed") {
		t.Errorf("%q does not say the login failed", err)
	}
	if strings.Contains(err.Error(), "not-the-password") {
		t.Errorf("secret in error")
	}
	if s.opens.Load() != 0 {
		t.Errorf("opens %d", s.opens.Load())
	}
}

func TestRedirectToOtherHostRefused(t *testing.T) {
	var leaked atomic.Bool
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Store(true)
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/same" {
			http.Redirect(w, r, "/final", http.StatusTemporaryRedirect)
			return
		}
		if r.URL.Path == "/final" {
			writeSOAP(w, 200, "", echoBody("ok", ""))
			return
		}
		http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+"/steal", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL + "/away"}, WithHTTPClient(&http.Client{}))
	err := c.Invoke(context.Background(), opEcho, &echoIn{}, &echoOut{})
	if err == nil || !strings.Contains(err.Error(), "refused redirect") {
		t.Fatalf("want refused redirect, got %v", err)
	}
	if leaked.Load() {
		t.Errorf("request reached the other host")
	}
	c2 := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL + "/same"})
	if err := c2.Invoke(context.Background(), opEcho, &echoIn{}, &echoOut{}); err != nil {
		t.Errorf("same-host redirect: %v", err)
	}
}

// A business fault on the call that carried the credentials is that
// call's answer, not a refused login, when it opens a session (it sets the
// session cookie): the next call goes on that session.
func TestLeaderBusinessFaultWithSessionDoesNotBlockLaterCalls(t *testing.T) {
	var calls, withCreds atomic.Int64
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		if q.r.Header.Get("Authorization") != "" {
			withCreds.Add(1)
		}
		http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: "SESSION-OK-1"})
		if calls.Add(1) == 1 {
			writeFault11(w, "s:Client", "invalid query")
			return
		}
		writeSOAP(w, 200, "", echoBody("ok", ""))
	})
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL, Profile: ckTestProfile(impl.ScopeShared)}, WithCredentials(Password("u", "ck-secret-5")))
	var f *Fault
	_, err := echo(c, t.Context(), "bad")
	if !errors.As(err, &f) || strings.Contains(err.Error(), "login") {
		t.Fatalf("first call: %v, want its business fault", err)
	}
	if _, err := echo(c, t.Context(), "good"); err != nil {
		t.Fatalf("second call held back by the first call's fault: %v", err)
	}
	if withCreds.Load() != 1 {
		t.Errorf("%d requests carried the credentials, want 1", withCreds.Load())
	}
}

func TestUnauthorizedLeaderBacksOff(t *testing.T) {
	s, srv := newCKServer(t)
	// The clock stands still: the backoff never ends during the test.
	rec := &recorder{}
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL + "/svc/e", Profile: ckTestProfile(impl.ScopeShared)},
		WithCredentials(Password("u", "wrong")), WithClock(newFakeClock()), WithEvents(rec.add))
	var unauthorized atomic.Int64
	inner := srv.Config.Handler
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		unauthorized.Add(1)
		inner.ServeHTTP(w, r)
	})
	for range 3 {
		if _, err := echo(c, t.Context(), "x"); err == nil {
			t.Fatal("no error")
		}
	}
	if unauthorized.Load() != 1 || s.opens.Load() != 0 {
		t.Errorf("%d requests with refused credentials, want 1", unauthorized.Load())
	}
	if n := rec.count(EventLoginFailed); n != 1 {
		t.Errorf("login-failed events = %d, want 1 (the backoff's answers are not attempts)", n)
	}
}

// A session cookie set with Path=/svc is not sent to another path of the
// same host, even though the session's token is that cookie.
func TestSessionCookieScopedByPath(t *testing.T) {
	var leaked atomic.Bool
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		if q.r.URL.Path == "/other" {
			if _, err := q.r.Cookie("JSESSIONID"); err == nil {
				leaked.Store(true)
			}
			writeSOAP(w, 200, "", echoBody("o", ""))
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: "SCOPED-COOKIE-1", Path: "/svc"})
		writeSOAP(w, 200, "", echoBody("s", ""))
	})
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL + "/svc/e", Profile: ckTestProfile(impl.ScopeShared)}, WithCredentials(Password("u", "p")))
	if _, err := echo(c, t.Context(), "x"); err != nil {
		t.Fatal(err)
	}
	sl := c.pool.slots[0]
	s := sl.cur
	x := c.e.newExchange(opEcho, &echoIn{}, &echoOut{}, &callConfig{})
	c.e.withSession(x, s)
	x.url = srv.URL + "/other"
	if _, err := c.e.roundTrip(t.Context(), x); err != nil {
		t.Fatal(err)
	}
	if leaked.Load() {
		t.Errorf("the session cookie went to a path outside its Path")
	}
}

// A Set-Cookie that deletes the session cookie ("JSESSIONID=deleted" with
// an Expires in 1970, what Java servers send when they end a session) is no
// new token: found by FuzzTokenCapture, the runtime used to "rotate" the
// session to the token "deleted" and publish it to the Store. Now the
// session keeps its token until the server's 401 invalidates it, and the
// relogin opens a real one.
func TestDeletionCookieIsNoToken(t *testing.T) {
	var calls atomic.Int32
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		c, err := q.r.Cookie("JSESSIONID")
		switch {
		case err != nil && q.r.Header.Get("Authorization") == "":
			w.WriteHeader(401)
			return
		case err != nil:
			http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: fmt.Sprintf("s%d", calls.Add(1)), Path: "/"})
		case c.Value == "s1":
			// The server ends session s1 and says so.
			w.Header().Add("Set-Cookie", "JSESSIONID=deleted; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/")
		}
		writeSOAP(w, 200, "", echoBody("ok", ""))
	})
	var rec recorder
	store := NewMemoryStore()
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL, Profile: ckTestProfile(impl.ScopeShared)},
		WithCredentials(Password("u", "pw")), WithStore(store), WithEvents(rec.add))
	for i := range 2 {
		if _, err := echo(c, t.Context(), "x"); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if st, _ := store.Get(t.Context(), c.e.key); st == nil || st.Token != "s1" {
		t.Errorf("stored session after the deletion cookie: %+v, want token s1", st)
	}
	// The jar dropped the cookie: the next call carries no session, the
	// server answers 401 (a Gone rule), and the relogin opens s2.
	if _, err := echo(c, t.Context(), "x"); err != nil {
		t.Fatal(err)
	}
	if rec.count(EventRotate) != 0 || rec.count(EventRelogin) != 1 {
		t.Errorf("rotations %d (want 0), relogins %d (want 1)", rec.count(EventRotate), rec.count(EventRelogin))
	}
	if st, _ := store.Get(t.Context(), c.e.key); st == nil || st.Token != "s2" {
		t.Errorf("stored session after the relogin: %+v, want token s2", st)
	}
}
