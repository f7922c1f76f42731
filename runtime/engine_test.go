package runtime

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// sfServer is a small Salesforce-like server: login returns a fresh token,
// Echo needs a live one in SessionHeader, and a dead one gets
// sf:INVALID_SESSION_ID.
type sfServer struct {
	*httptest.Server
	mu       sync.Mutex
	live     map[string]bool
	n        int
	logins   atomic.Int64
	calls    atomic.Int64
	rejected atomic.Int64
	// gate, when set, holds every login until closed.
	gate     chan struct{}
	password string
	// serverPath is appended to the URL returned as serverUrl.
	serverPath string
}

func newSFServer(t *testing.T) *sfServer {
	s := &sfServer{live: map[string]bool{}, password: "pw-secret-1"}
	s.Server = server(t, s.handle)
	return s
}

func (s *sfServer) handle(w http.ResponseWriter, q *soapReq) {
	switch q.body.XMLName.Local {
	case "login":
		if s.gate != nil {
			<-s.gate
		}
		s.logins.Add(1)
		if q.body.find([]string{"password"}).Text != s.password {
			writeFault11(w, "sf:INVALID_LOGIN", "Invalid username or password")
			return
		}
		s.mu.Lock()
		s.n++
		tok := fmt.Sprintf("TOKEN-%04d-abcdef", s.n)
		s.live[tok] = true
		s.mu.Unlock()
		writeSOAP(w, 200, "", loginBody(tok, s.URL+s.serverPath))
	case "Echo":
		if s.serverPath != "" && q.r.URL.Path != s.serverPath {
			writeFault11(w, "sf:INVALID_OPERATION", "wrong URL")
			return
		}
		h := q.header("SessionHeader")
		tok := ""
		if h != nil {
			if n := h.find([]string{"sessionId"}); n != nil {
				tok = n.Text
			}
		}
		s.mu.Lock()
		ok := s.live[tok]
		s.mu.Unlock()
		if !ok {
			s.rejected.Add(1)
			writeFault11(w, "sf:INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader")
			return
		}
		s.calls.Add(1)
		writeSOAP(w, 200, "", echoBody(q.body.find([]string{"Text"}).Text, tok))
	case "logout":
		tok := q.header("SessionHeader").find([]string{"sessionId"}).Text
		s.kill(tok)
		writeSOAP(w, 200, "", `<t:logoutResponse xmlns:t="urn:test"/>`)
	default:
		writeFault11(w, "s:Client", "unknown operation")
	}
}

func (s *sfServer) kill(tok string) {
	s.mu.Lock()
	delete(s.live, tok)
	s.mu.Unlock()
}

func (s *sfServer) killAll() {
	s.mu.Lock()
	clear(s.live)
	s.mu.Unlock()
}

type logoutIn struct {
	XMLName xml.Name `xml:"urn:test logout"`
}

func sfTestProfile() *impl.Profile {
	return &impl.Profile{
		Name: "sf",
		Login: impl.Login{Kind: impl.LoginOperation, Operation: opLogin,
			Request:     func(u, p string) any { return &loginIn{User: u, Password: p} },
			NewResponse: func() any { return new(loginOut) },
			Result: func(r any) (impl.LoginResult, error) {
				o := r.(*loginOut)
				return impl.LoginResult{Token: o.SessionID, Endpoint: o.ServerURL}, nil
			}},
		Tokens:  []impl.TokenSource{{Kind: impl.FromLogin}},
		Send:    []impl.TokenTarget{{Kind: impl.ToSOAPHeader, Header: xml.Name{Space: nsT, Local: "SessionHeader"}, Path: []string{"sessionId"}}},
		Gone:    []impl.GoneRule{{FaultCode: "INVALID_SESSION_ID"}},
		Relogin: impl.ReloginAuto,
		Logout:  &impl.Logout{Operation: &impl.Operation{Name: "logout", SOAP: impl.SOAP11}, Request: func() any { return &logoutIn{} }},
		Scope:   impl.ScopeShared,
	}
}

func echo(c *Client, ctx context.Context, text string) (echoOut, error) {
	var out echoOut
	err := c.Invoke(ctx, opEcho, &echoIn{Text: text}, &out)
	return out, err
}

func TestSharedSessionOneLoginForManyCallers(t *testing.T) {
	s := newSFServer(t)
	s.serverPath = "/services/Soap/u/60.0"
	rec := &recorder{}
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: s.URL + "/login", Profile: sfTestProfile()},
		WithCredentials(Password("alice", s.password)), WithEvents(rec.add))
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := echo(c, t.Context(), fmt.Sprint(i))
			if err == nil && out.Text != fmt.Sprint(i) {
				err = fmt.Errorf("echo %d answered %q", i, out.Text)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := s.logins.Load(); n != 1 {
		t.Errorf("%d logins for 200 concurrent callers, want 1", n)
	}
	if n := rec.count(EventLogin); n != 1 {
		t.Errorf("%d login events", n)
	}
	if s.calls.Load() != 200 {
		t.Errorf("calls at serverUrl: %d", s.calls.Load())
	}
}

func TestGoneReloginResendOnce(t *testing.T) {
	s := newSFServer(t)
	rec := &recorder{}
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: s.URL, Profile: sfTestProfile()},
		WithCredentials(Password("alice", s.password)), WithEvents(rec.add))
	if _, err := echo(c, t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	s.killAll()
	out, err := echo(c, t.Context(), "b")
	if err != nil || out.Text != "b" {
		t.Fatalf("relogin not transparent: %v", err)
	}
	if s.logins.Load() != 2 || s.rejected.Load() != 1 || rec.count(EventRelogin) != 1 || rec.count(EventExpire) != 1 {
		t.Errorf("logins %d rejected %d relogin events %d expire %d", s.logins.Load(), s.rejected.Load(), rec.count(EventRelogin), rec.count(EventExpire))
	}
}

// A session that the server keeps killing is resent once, not forever.
func TestGoneResentOnlyOnce(t *testing.T) {
	s := newSFServer(t)
	p := sfTestProfile()
	p.Login.Result = func(r any) (impl.LoginResult, error) {
		o := r.(*loginOut)
		s.kill(o.SessionID) // every session dies at once
		return impl.LoginResult{Token: o.SessionID}, nil
	}
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: s.URL, Profile: p}, WithCredentials(Password("alice", s.password)))
	_, err := echo(c, t.Context(), "a")
	var f *Fault
	if !errors.As(err, &f) || !strings.HasSuffix(f.Code, "INVALID_SESSION_ID") {
		t.Fatalf("want the fault, got %v", err)
	}
	if s.rejected.Load() != 2 || s.logins.Load() != 2 {
		t.Errorf("rejected %d logins %d, want 2 and 2", s.rejected.Load(), s.logins.Load())
	}
}

func TestNoResendOnOtherFaults(t *testing.T) {
	var calls atomic.Int64
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		if q.body.XMLName.Local == "login" {
			writeSOAP(w, 200, "", loginBody("tok-1", ""))
			return
		}
		calls.Add(1)
		writeFault11(w, "sf:INVALID_FIELD", "bad field")
	})
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL, Profile: sfTestProfile()}, WithCredentials(Password("a", "b")))
	if _, err := echo(c, t.Context(), "x"); err == nil {
		t.Fatal("no error")
	}
	if calls.Load() != 1 {
		t.Errorf("a business fault was resent: %d calls", calls.Load())
	}
}

// Invalidation is compare-and-swap: a caller whose old token was rejected
// must not drop the newer session another caller already opened.
func TestInvalidateKeepsNewerToken(t *testing.T) {
	s := newSFServer(t)
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: s.URL, Profile: sfTestProfile()}, WithCredentials(Password("alice", s.password)))
	if _, err := echo(c, t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	sl := c.pool.slots[0]
	old := sl.cur
	s.killAll()
	if _, err := echo(c, t.Context(), "b"); err != nil { // relogin: TOKEN-0002
		t.Fatal(err)
	}
	newer := sl.cur
	sl.invalidate(t.Context(), old, nil) // a late rejection of the old token
	if sl.cur != newer {
		t.Fatal("invalidating the old token dropped the newer session")
	}
	if st, _ := c.e.store.Get(t.Context(), sl.key); st == nil || st.Token != newer.token {
		t.Fatalf("store lost the newer token")
	}
	if s.logins.Load() != 2 {
		t.Errorf("logins %d", s.logins.Load())
	}
}

func TestFailedLoginReachesEveryWaiterOnce(t *testing.T) {
	s := newSFServer(t)
	s.gate = make(chan struct{})
	// The clock stands still, so the refusal stays remembered for every
	// caller however late it is scheduled.
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: s.URL, Profile: sfTestProfile()},
		WithCredentials(Password("alice", "wrong-pass-77")), WithClock(newFakeClock()))
	const n = 50
	errs := make(chan error, n)
	var started sync.WaitGroup
	for range n {
		started.Add(1)
		go func() {
			started.Done()
			_, err := echo(c, t.Context(), "x")
			errs <- err
		}()
	}
	started.Wait()
	waitFor(t, func() bool {
		sl := c.pool.slots[0]
		sl.mu.Lock()
		defer sl.mu.Unlock()
		return sl.fl != nil
	})
	close(s.gate)
	for range n {
		err := <-errs
		var f *Fault
		if err == nil || !errors.As(err, &f) || !strings.Contains(err.Error(), "login") {
			t.Fatalf("want a login fault, got %v", err)
		}
		if strings.Contains(err.Error(), "wrong-pass-77") {
			t.Fatalf("password in error: %v", err)
		}
	}
	// Callers that arrived after the failed flight get the remembered
	// refusal; no caller retries by itself.
	if l := s.logins.Load(); l != 1 {
		t.Errorf("logins %d, want 1", l)
	}
}

// waitFor polls cond (no timing assertion: it only bounds a hang).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestWaiterCancelDoesNotKillLogin(t *testing.T) {
	s := newSFServer(t)
	s.gate = make(chan struct{})
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: s.URL, Profile: sfTestProfile()}, WithCredentials(Password("alice", s.password)))
	ctx1, cancel1 := context.WithCancel(t.Context())
	first := make(chan error, 1)
	go func() { _, err := echo(c, ctx1, "first"); first <- err }()
	waitFor(t, func() bool {
		sl := c.pool.slots[0]
		sl.mu.Lock()
		defer sl.mu.Unlock()
		return sl.fl != nil
	})
	second := make(chan error, 1)
	go func() { _, err := echo(c, t.Context(), "second"); second <- err }()
	cancel1()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller: %v", err)
	}
	close(s.gate)
	if err := <-second; err != nil {
		t.Fatalf("the other waiter failed: %v", err)
	}
	if s.logins.Load() != 1 {
		t.Errorf("logins %d", s.logins.Load())
	}
}

func TestReloginNeverSurfacesSessionLost(t *testing.T) {
	s := newSFServer(t)
	p := sfTestProfile()
	p.Relogin = impl.ReloginNever
	p.Scope = impl.ScopeExchange
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: s.URL, Profile: p}, WithCredentials(Password("alice", s.password)))
	ex := c.Exchange()
	defer ex.Close(t.Context())
	if _, err := echo(ex, t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	s.killAll()
	_, err := echo(ex, t.Context(), "b")
	if !errors.Is(err, ErrSessionLost) {
		t.Fatalf("want ErrSessionLost, got %v", err)
	}
	var f *Fault
	if !errors.As(err, &f) {
		t.Errorf("the fault is not reachable from %v", err)
	}
	if _, err := echo(ex, t.Context(), "c"); !errors.Is(err, ErrSessionLost) {
		t.Errorf("a lost exchange logged in again: %v", err)
	}
	if s.logins.Load() != 1 {
		t.Errorf("silent relogin: %d logins", s.logins.Load())
	}
}

func TestTwoClientsOneStoreOneLogin(t *testing.T) {
	s := newSFServer(t)
	store := NewMemoryStore()
	svc := &impl.Service{Name: "S", Endpoint: s.URL, Profile: sfTestProfile()}
	var clients []*Client
	for range 4 {
		clients = append(clients, mustClient(t, svc, WithCredentials(Password("alice", s.password)), WithStore(store)))
	}
	var wg sync.WaitGroup
	for i, c := range clients {
		for j := range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := echo(c, t.Context(), fmt.Sprint(i, j)); err != nil {
					t.Error(err)
				}
			}()
		}
	}
	wg.Wait()
	if s.logins.Load() != 1 {
		t.Errorf("%d logins for 4 clients on one store", s.logins.Load())
	}
	// After a kill, one client relogs in; another adopts it from the store
	// after its own rejection rather than logging in again.
	s.killAll()
	for _, c := range clients {
		if _, err := echo(c, t.Context(), "again"); err != nil {
			t.Fatal(err)
		}
	}
	if s.logins.Load() != 2 {
		t.Errorf("%d logins after one kill, want 2", s.logins.Load())
	}
	// Another identity never shares.
	bob := mustClient(t, svc, WithCredentials(Password("bob", s.password)), WithStore(store))
	if _, err := echo(bob, t.Context(), "bob"); err != nil {
		t.Fatal(err)
	}
	if s.logins.Load() != 3 {
		t.Errorf("bob reused alice's session")
	}
}

func TestKnownLimitsReloginBeforeExpiry(t *testing.T) {
	s := newSFServer(t)
	clk := newFakeClock()
	p := sfTestProfile()
	p.Limits = impl.Limits{Idle: 30 * time.Minute, MaxAge: 2 * time.Hour, RefreshMargin: time.Minute}
	rec := &recorder{}
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: s.URL, Profile: p}, WithCredentials(Password("alice", s.password)), WithClock(clk), WithEvents(rec.add))
	step := func(d time.Duration) {
		t.Helper()
		clk.Advance(d)
		if _, err := echo(c, t.Context(), "x"); err != nil {
			t.Fatal(err)
		}
	}
	step(0)
	step(28 * time.Minute) // within idle - margin
	if s.logins.Load() != 1 {
		t.Fatalf("relogged in early")
	}
	step(29*time.Minute + 30*time.Second) // past idle - margin: relogin before the server would refuse
	if s.logins.Load() != 2 || s.rejected.Load() != 0 {
		t.Fatalf("logins %d rejected %d", s.logins.Load(), s.rejected.Load())
	}
	for range 5 { // keep it busy; max age (2h) still applies
		step(25 * time.Minute)
	}
	if s.logins.Load() != 3 || s.rejected.Load() != 0 {
		t.Errorf("max age: logins %d rejected %d", s.logins.Load(), s.rejected.Load())
	}
	if rec.count(EventExpire) != 2 {
		t.Errorf("expire events %d", rec.count(EventExpire))
	}
}

func TestLogoutOnlyOnCloseAndLastUser(t *testing.T) {
	s := newSFServer(t)
	p := sfTestProfile()
	p.LogoutOn = impl.LogoutOnClose
	c, err := NewClient(&impl.Service{Name: "S", Endpoint: s.URL, Profile: p}, WithCredentials(Password("alice", s.password)))
	if err != nil {
		t.Fatal(err)
	}
	ex := c.Exchange() // shared scope: a second user of the client session
	if _, err := echo(ex, t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	live := len(s.live)
	s.mu.Unlock()
	if live != 1 {
		t.Fatalf("logged out while an exchange still uses the session")
	}
	if err := ex.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	live = len(s.live)
	s.mu.Unlock()
	if live != 0 {
		t.Fatalf("not logged out when the last user closed")
	}
	if err := c.Invoke(t.Context(), opEcho, &echoIn{}, &echoOut{}); err == nil {
		t.Errorf("closed client still calls")
	}

	// Default: never log out.
	c2, _ := NewClient(&impl.Service{Name: "S", Endpoint: s.URL, Profile: sfTestProfile()}, WithCredentials(Password("alice", s.password)))
	if _, err := echo(c2, t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	_ = c2.Close(t.Context())
	s.mu.Lock()
	live = len(s.live)
	s.mu.Unlock()
	if live != 1 {
		t.Errorf("LogoutNever logged out")
	}
}

// After the server refuses a login, callers get the same error for a short
// while instead of trying again (a wrong password must not become a login
// storm or lock the account).
func TestRefusedLoginBackoff(t *testing.T) {
	s := newSFServer(t)
	clk := newFakeClock()
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: s.URL, Profile: sfTestProfile()}, WithCredentials(Password("alice", "wrong-pass-77")), WithClock(clk))
	for range 5 {
		if _, err := echo(c, t.Context(), "x"); err == nil || !strings.Contains(err.Error(), "INVALID_LOGIN") {
			t.Fatalf("want the login fault, got %v", err)
		}
	}
	if s.logins.Load() != 1 {
		t.Fatalf("%d logins within the backoff", s.logins.Load())
	}
	clk.Advance(loginBackoff)
	_, _ = echo(c, t.Context(), "x")
	if s.logins.Load() != 2 {
		t.Fatalf("no new attempt after the backoff: %d logins", s.logins.Load())
	}
}

// With a Store shared between clients, one client's Close must not log out
// the session its neighbours use.
func TestCloseDoesNotLogOutStoreSharedSession(t *testing.T) {
	s := newSFServer(t)
	p := sfTestProfile()
	p.LogoutOn = impl.LogoutOnClose
	store := NewMemoryStore()
	svc := &impl.Service{Name: "S", Endpoint: s.URL, Profile: p}
	a, _ := NewClient(svc, WithCredentials(Password("alice", s.password)), WithStore(store))
	b := mustClient(t, svc, WithCredentials(Password("alice", s.password)), WithStore(store))
	if _, err := echo(a, t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := echo(b, t.Context(), "b"); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := echo(b, t.Context(), "b2"); err != nil {
		t.Fatal(err)
	}
	if s.rejected.Load() != 0 || s.logins.Load() != 1 {
		t.Errorf("a's Close broke b: rejected %d logins %d", s.rejected.Load(), s.logins.Load())
	}
}
