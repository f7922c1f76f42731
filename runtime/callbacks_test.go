package runtime

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	goruntime "runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// The runtime calls user code: credential funcs, the WithEvents hook, the
// logger's handler, a Store. These tests hold it to what that code may do
// to it: block, panic, wait on its ctx.

// checkLeaks records the goroutine count now; at cleanup, after the
// clients and servers registered later are closed (cleanups run last in,
// first out), it waits a bounded time for the count to come back.
func checkLeaks(t *testing.T) {
	t.Helper()
	before := goruntime.NumGoroutine()
	t.Cleanup(func() { waitGoroutines(t, before) })
}

// noPanic runs f and reports a panic that escaped the runtime as a test
// failure instead of a crash.
func noPanic(t *testing.T, f func() error) (err error) {
	t.Helper()
	defer func() {
		if v := recover(); v != nil {
			t.Fatalf("a panic in user code escaped the runtime: %v", v)
		}
	}()
	return f()
}

// result waits for a call's error, failing (not hanging) if it never
// comes: the bound is generous, for a call that hangs forever.
func result(t *testing.T, ch <-chan error, what string) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(20 * time.Second):
		t.Fatalf("%s never returned", what)
		return nil
	}
}

// expiringSF is the Salesforce-like profile with a known maximum age, so a
// clock advance makes the next call drop the session (EventExpire) itself.
func expiringSF() *impl.Profile {
	p := sfTestProfile()
	p.Limits.MaxAge = time.Hour
	return p
}

// A WithEvents callback that blocks on the expire event holds no lock:
// another caller meanwhile logs in and is answered.
func TestBlockingEventCallbackHoldsNoLock(t *testing.T) {
	checkLeaks(t)
	s := newSFServer(t)
	clk := newFakeClock()
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: s.URL, Profile: expiringSF()},
		WithCredentials(Password("alice", s.password)), WithClock(clk),
		WithEvents(func(ev Event) {
			if ev.Kind == EventExpire {
				once.Do(func() {
					close(entered)
					<-release
				})
			}
		}))
	defer once.Do(func() {}) // nothing blocks after the test
	if _, err := echo(c, t.Context(), "first"); err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Hour)
	a := make(chan error, 1)
	go func() { _, err := echo(c, t.Context(), "a"); a <- err }()
	<-entered
	b := make(chan error, 1)
	go func() { _, err := echo(c, t.Context(), "b"); b <- err }()
	select {
	case err := <-b:
		if err != nil {
			t.Errorf("call b: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Errorf("call b waited for call a's blocked event callback")
		close(release)
		<-b
		<-a
		return
	}
	close(release)
	if err := <-a; err != nil {
		t.Errorf("call a: %v", err)
	}
}

// panicHandler is a slog handler that panics on the record of one session
// event.
type panicHandler struct{ event string }

func (h panicHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h panicHandler) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "event" && a.Value.String() == h.event {
			panic("handler broke on " + h.event)
		}
		return true
	})
	return nil
}
func (h panicHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h panicHandler) WithGroup(string) slog.Handler      { return h }

// A WithEvents callback or a logger handler that panics fails the call
// that ran it, with an error naming it; the client goes on working and
// closes.
func TestPanickingCallbackFailsTheCallNotTheClient(t *testing.T) {
	cases := []struct {
		name, says string
		opt        Option
	}{
		{"events", "WithEvents callback panicked: event hook broke", WithEvents(func(ev Event) {
			if ev.Kind == EventExpire {
				panic("event hook broke")
			}
		})},
		{"logger", "logger panicked: handler broke on expire", WithLogger(slog.New(panicHandler{event: "expire"}))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkLeaks(t)
			s := newSFServer(t)
			clk := newFakeClock()
			c := mustClient(t, &impl.Service{Name: "S", Endpoint: s.URL, Profile: expiringSF()},
				WithCredentials(Password("alice", s.password)), WithClock(clk), tc.opt)
			if _, err := echo(c, t.Context(), "first"); err != nil {
				t.Fatal(err)
			}
			clk.Advance(2 * time.Hour)
			err := noPanic(t, func() error { _, err := echo(c, t.Context(), "expires"); return err })
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("want an error saying %q, got %v", tc.says, err)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			if _, err := echo(c, ctx, "after"); err != nil {
				t.Fatalf("the call after the panic: %v", err)
			}
			if err := c.Close(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A PasswordFunc that panics ends the login: the caller gets an error that
// says so, the next caller logs in, and on a login operation (which runs
// in a goroutine of the runtime) the process does not crash.
func TestPanickingPasswordFuncEndsTheLogin(t *testing.T) {
	cases := map[string]func(t *testing.T) (*impl.Service, string, func() int64){
		"login operation": func(t *testing.T) (*impl.Service, string, func() int64) {
			s := newSFServer(t)
			return &impl.Service{Name: "S", Endpoint: s.URL, Profile: sfTestProfile()}, s.password, s.logins.Load
		},
		"HTTP basic": func(t *testing.T) (*impl.Service, string, func() int64) {
			s, srv := newCKServer(t)
			return &impl.Service{Name: "S", Endpoint: srv.URL + "/svc/echo", Profile: ckTestProfile(impl.ScopeShared)}, "ck-secret-5", s.opens.Load
		},
		"WS-Security header": func(t *testing.T) (*impl.Service, string, func() int64) {
			s, srv := newCKServer(t)
			p := ckTestProfile(impl.ScopeShared)
			p.Login = impl.Login{Kind: impl.LoginHeaders, WSSecurity: true}
			return &impl.Service{Name: "S", Endpoint: srv.URL + "/svc/echo", Profile: p}, "ck-secret-5", s.opens.Load
		},
	}
	for name, mk := range cases {
		t.Run(name, func(t *testing.T) {
			checkLeaks(t)
			svc, pass, logins := mk(t)
			var mu sync.Mutex
			broken := true
			rec := &recorder{}
			c := mustClient(t, svc, WithEvents(rec.add), WithCredentials(PasswordFunc("alice", func(context.Context) (string, error) {
				mu.Lock()
				defer mu.Unlock()
				if broken {
					panic("vault client not configured")
				}
				return pass, nil
			})))
			err := noPanic(t, func() error { _, err := echo(c, t.Context(), "one"); return err })
			if err == nil || !strings.Contains(err.Error(), "PasswordFunc panicked: vault client not configured") {
				t.Fatalf("want the PasswordFunc panic as the error, got %v", err)
			}
			if n := rec.count(EventLoginFailed); n != 1 {
				t.Errorf("login-failed events %d, want 1", n)
			}
			mu.Lock()
			broken = false
			mu.Unlock()
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			if _, err := echo(c, ctx, "two"); err != nil {
				t.Fatalf("the call after the panic: %v", err)
			}
			if n := logins(); n != 1 {
				t.Errorf("server saw %d logins, want 1", n)
			}
		})
	}
}

// panicStore is a memory Store whose CompareAndSwap panics, printing the
// session it was given (a buggy Store whose panic holds the token).
type panicStore struct{ Store }

func (p panicStore) CompareAndSwap(_ context.Context, _, _ string, next *SessionState, _ time.Duration) (bool, error) {
	panic(fmt.Sprintf("cannot encode session %s", next.Token))
}

// A Store that panics while a login operation publishes its session fails
// the call with an error that names the Store method, not the token the
// panic printed; the session stays usable and the process runs on.
func TestPanickingStoreIsTheCallsErrorWithoutSecrets(t *testing.T) {
	checkLeaks(t)
	s := newSFServer(t)
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: s.URL, Profile: sfTestProfile()},
		WithCredentials(Password("alice", s.password)), WithStore(panicStore{NewMemoryStore()}))
	err := noPanic(t, func() error { _, err := echo(c, t.Context(), "one"); return err })
	if err == nil || !strings.Contains(err.Error(), "Store.CompareAndSwap panicked: cannot encode session "+redacted) {
		t.Fatalf("want the Store panic, redacted, as the error, got %v", err)
	}
	if strings.Contains(err.Error(), "TOKEN-") {
		t.Errorf("the error shows the session token: %v", err)
	}
	out, err := echo(c, t.Context(), "two")
	if err != nil || out.Text != "two" {
		t.Fatalf("the call after the panic: %v", err)
	}
	if n := s.logins.Load(); n != 1 {
		t.Errorf("server saw %d logins, want 1", n)
	}
}

// deadlineStore is a memory Store that holds every call to the caller's
// deadline: it records a call whose ctx ends later than limit (or never),
// and waits for the ctx to end on the methods in hold, as a Store on a
// stalled network does.
type deadlineStore struct {
	Store
	mu    sync.Mutex
	limit time.Time
	hold  map[string]bool
	late  []string
	held  int
}

func (d *deadlineStore) check(ctx context.Context, method string) error {
	d.mu.Lock()
	dl, ok := ctx.Deadline()
	if !ok || dl.After(d.limit) {
		d.late = append(d.late, method)
		d.mu.Unlock()
		return nil
	}
	hold := d.hold[method]
	if hold {
		d.held++
	}
	d.mu.Unlock()
	if hold {
		<-ctx.Done()
		return ctx.Err()
	}
	return nil
}

func (d *deadlineStore) Get(ctx context.Context, key string) (*SessionState, error) {
	if err := d.check(ctx, "Get"); err != nil {
		return nil, err
	}
	return d.Store.Get(ctx, key)
}

func (d *deadlineStore) CompareAndSwap(ctx context.Context, key, old string, next *SessionState, ttl time.Duration) (bool, error) {
	if err := d.check(ctx, "CompareAndSwap"); err != nil {
		return false, err
	}
	return d.Store.CompareAndSwap(ctx, key, old, next, ttl)
}

func (d *deadlineStore) CompareAndDelete(ctx context.Context, key, token string) (bool, error) {
	if err := d.check(ctx, "CompareAndDelete"); err != nil {
		return false, err
	}
	return d.Store.CompareAndDelete(ctx, key, token)
}

func (d *deadlineStore) Lock(ctx context.Context, key string, ttl time.Duration) (Lease, error) {
	if err := d.check(ctx, "Lock"); err != nil {
		return nil, err
	}
	l, err := d.Store.Lock(ctx, key, ttl)
	if err != nil {
		return nil, err
	}
	return deadlineLease{l, d}, nil
}

type deadlineLease struct {
	Lease
	d *deadlineStore
}

func (l deadlineLease) Unlock(ctx context.Context) error {
	if err := l.d.check(ctx, "Unlock"); err != nil {
		return err
	}
	return l.Lease.Unlock(ctx)
}

// Every Store call made for a call ends by that call's deadline: opening
// the session (lookup, lock, publish, unlock), refreshing it, and deleting
// it when the server rejects it. A Store that waits on its ctx holds an
// answered call no longer than its deadline.
func TestStoreCallsKeepTheCallsDeadline(t *testing.T) {
	checkLeaks(t)
	ck, srv := newCKServer(t)
	clk := newFakeClock()
	st := &deadlineStore{Store: NewMemoryStore(), hold: map[string]bool{}}
	p := ckTestProfile(impl.ScopeShared)
	p.Limits.Idle = time.Hour
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL + "/svc/echo", Profile: p},
		WithCredentials(Password("carol", "ck-secret-5")), WithStore(st), WithClock(clk))
	call := func(text string, d time.Duration) error {
		ctx, cancel := context.WithTimeout(t.Context(), d)
		defer cancel()
		dl, _ := ctx.Deadline()
		st.mu.Lock()
		st.limit = dl
		st.mu.Unlock()
		_, err := echo(c, ctx, text)
		return err
	}
	// Open the session: Get, Lock, Get, then publish and unlock.
	if err := call("open", time.Minute); err != nil {
		t.Fatal(err)
	}
	// A quarter of the idle limit later, the answered call refreshes the
	// stored session, and the Store stalls until the call's deadline.
	clk.Advance(20 * time.Minute)
	st.mu.Lock()
	st.hold["CompareAndSwap"] = true
	st.mu.Unlock()
	if err := call("refresh", 2*time.Second); err != nil {
		t.Errorf("the answered call failed: %v", err)
	}
	st.mu.Lock()
	held := st.held
	st.hold = map[string]bool{}
	st.mu.Unlock()
	if held != 1 {
		t.Errorf("the Store held %d calls, want the refresh", held)
	}
	// The server ends the session: its rejection deletes it from the
	// Store, and the resend opens a new one.
	ck.mu.Lock()
	clear(ck.sessions)
	ck.mu.Unlock()
	if err := call("rejected", time.Minute); err != nil {
		t.Fatal(err)
	}
	if ck.opens.Load() != 2 {
		t.Errorf("opens %d, want 2", ck.opens.Load())
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.late) > 0 {
		t.Errorf("Store calls not bounded by the call's deadline: %v", st.late)
	}
}

// gatedSF is the Salesforce-like server with hooks that hold a login or a
// call after it arrived, until the test releases it.
type gatedSF struct {
	*sfServer
	mu                sync.Mutex
	holdLogin         bool
	holdEcho          bool
	arrived, released chan struct{}
}

func newGatedSF(t *testing.T) *gatedSF {
	g := &gatedSF{sfServer: &sfServer{live: map[string]bool{}, password: "pw-secret-1"}}
	g.Server = server(t, func(w http.ResponseWriter, q *soapReq) {
		g.mu.Lock()
		hold := (q.body.XMLName.Local == "login" && g.holdLogin) || (q.body.XMLName.Local == "Echo" && g.holdEcho)
		if hold {
			g.holdLogin, g.holdEcho = false, false
		}
		arrived, released := g.arrived, g.released
		g.mu.Unlock()
		if hold {
			close(arrived)
			<-released
		}
		g.handle(w, q)
	})
	return g
}

// hold makes the next login or Echo wait; it returns the channel closed
// when it arrived and the func that lets it go on.
func (g *gatedSF) hold(login bool) (arrived <-chan struct{}, release func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.arrived, g.released = make(chan struct{}), make(chan struct{})
	if login {
		g.holdLogin = true
	} else {
		g.holdEcho = true
	}
	return g.arrived, sync.OnceFunc(func() { close(g.released) })
}

func (g *gatedSF) liveSessions() int {
	g.sfServer.mu.Lock()
	defer g.sfServer.mu.Unlock()
	return len(g.live)
}

func logoutOnCloseSF() *impl.Profile {
	p := sfTestProfile()
	p.LogoutOn = impl.LogoutOnClose
	return p
}

// Close with LogoutOnClose while calls are in flight: no call opens a
// session on the closed client, and a session a login in flight opens is
// logged out.
func TestCloseDuringCallsLeavesNoSession(t *testing.T) {
	t.Run("call meets the logged-out session", func(t *testing.T) {
		checkLeaks(t)
		g := newGatedSF(t)
		rec := &recorder{}
		c := mustClient(t, &impl.Service{Name: "S", Endpoint: g.URL, Profile: logoutOnCloseSF()},
			WithCredentials(Password("alice", g.password)), WithEvents(rec.add))
		if _, err := echo(c, t.Context(), "one"); err != nil {
			t.Fatal(err)
		}
		arrived, release := g.hold(false)
		defer release()
		done := make(chan error, 1)
		go func() { _, err := echo(c, t.Context(), "two"); done <- err }()
		<-arrived
		if err := c.Close(t.Context()); err != nil {
			t.Fatal(err)
		}
		release()
		err := result(t, done, "the call in flight")
		if err == nil || !strings.Contains(err.Error(), "client is closed") {
			t.Errorf("want the call to fail on the closed client, got %v", err)
		}
		if n, live := g.logins.Load(), g.liveSessions(); n != 1 || live != 0 {
			t.Errorf("logins %d, sessions left open %d; want 1 and 0", n, live)
		}
	})
	t.Run("login in flight", func(t *testing.T) {
		checkLeaks(t)
		g := newGatedSF(t)
		rec := &recorder{}
		c := mustClient(t, &impl.Service{Name: "S", Endpoint: g.URL, Profile: logoutOnCloseSF()},
			WithCredentials(Password("alice", g.password)), WithEvents(rec.add))
		arrived, release := g.hold(true)
		defer release()
		done := make(chan error, 1)
		go func() { _, err := echo(c, t.Context(), "one"); done <- err }()
		<-arrived
		if err := c.Close(t.Context()); err != nil {
			t.Fatal(err)
		}
		release()
		err := result(t, done, "the call in flight")
		if err == nil || !strings.Contains(err.Error(), "client is closed") {
			t.Errorf("want the call to fail on the closed client, got %v", err)
		}
		if n, live := g.logins.Load(), g.liveSessions(); n != 1 || live != 0 {
			t.Errorf("logins %d, sessions left open %d; want 1 and 0", n, live)
		}
		if rec.count(EventLogin) != 1 || rec.count(EventLogout) != 1 || rec.count(EventLoginFailed) != 0 {
			t.Errorf("events: login %d, logout %d, login-failed %d; want 1, 1, 0",
				rec.count(EventLogin), rec.count(EventLogout), rec.count(EventLoginFailed))
		}
	})
	t.Run("exchange of a closed client", func(t *testing.T) {
		checkLeaks(t)
		ck, srv := newCKServer(t)
		c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL + "/svc/echo", Profile: ckTestProfile(impl.ScopeExchange)},
			WithCredentials(Password("carol", "ck-secret-5")))
		if err := c.Close(t.Context()); err != nil {
			t.Fatal(err)
		}
		ex := c.Exchange()
		defer ex.Close(t.Context())
		if _, err := echo(ex, t.Context(), "x"); err == nil || !strings.Contains(err.Error(), "closed") {
			t.Errorf("want the exchange of a closed client closed, got %v", err)
		}
		if n := ck.opens.Load(); n != 0 {
			t.Errorf("opens %d, want 0", n)
		}
	})
}

// panicTransport panics on the first request it is given, then sends.
type panicTransport struct {
	once sync.Once
	next http.RoundTripper
}

func (p *panicTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	p.once.Do(func() { panic("transport broke") })
	return p.next.RoundTrip(r)
}

// The transport of WithHTTPClient is user code too. A panic there on a
// login operation (a goroutine of the runtime) reaches the waiting caller
// as an error; on a call that carries the credentials it unwinds that
// call as Go panics do, and still ends the login for the next caller.
func TestPanickingTransportEndsTheLogin(t *testing.T) {
	t.Run("login operation", func(t *testing.T) {
		checkLeaks(t)
		s := newSFServer(t)
		tr := &http.Transport{}
		defer tr.CloseIdleConnections()
		c := mustClient(t, &impl.Service{Name: "S", Endpoint: s.URL, Profile: sfTestProfile()},
			WithCredentials(Password("alice", s.password)), WithHTTPClient(&http.Client{Transport: &panicTransport{next: tr}}))
		err := noPanic(t, func() error { _, err := echo(c, t.Context(), "one"); return err })
		if err == nil || !strings.Contains(err.Error(), "sf login panicked: transport broke") {
			t.Fatalf("want the login's panic as the error, got %v", err)
		}
		if _, err := echo(c, t.Context(), "two"); err != nil {
			t.Fatalf("the call after the panic: %v", err)
		}
	})
	t.Run("credentials on the call", func(t *testing.T) {
		checkLeaks(t)
		ck, srv := newCKServer(t)
		tr := &http.Transport{}
		defer tr.CloseIdleConnections()
		c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL + "/svc/echo", Profile: ckTestProfile(impl.ScopeShared)},
			WithCredentials(Password("carol", "ck-secret-5")), WithHTTPClient(&http.Client{Transport: &panicTransport{next: tr}}))
		func() {
			defer func() {
				if v := recover(); v == nil {
					t.Errorf("the transport's panic vanished")
				}
			}()
			_, _ = echo(c, t.Context(), "one")
		}()
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		if _, err := echo(c, ctx, "two"); err != nil {
			t.Fatalf("the call after the panic: %v", err)
		}
		if n := ck.opens.Load(); n != 1 {
			t.Errorf("opens %d, want 1", n)
		}
	})
}
