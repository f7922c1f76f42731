package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
	"github.com/wsdlsess/wsdlsess/runtime/impl"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

var ckUsers = map[string]string{"alice": "alice-Pa55-ck", "bob": "bob-Pa55-ck"}

func newCookieServer(t *testing.T, cfg fakevendor.CookieConfig) *fakevendor.Cookie {
	if cfg.Users == nil {
		cfg.Users = ckUsers
	}
	c := fakevendor.NewCookie(cfg)
	t.Cleanup(c.Close)
	return c
}

func ckCall(ctx context.Context, h *harness, c *runtime.Client, text, user string) (echoOut, error) {
	var out echoOut
	err := h.err(c.Invoke(ctx, ckOpEcho, &ckEcho{Text: text}, &out))
	if err == nil && (out.Text != text || out.User != user) {
		err = fmt.Errorf("call %q as %s answered with %+v", text, user, out)
	}
	return out, err
}

// The SAP splitter case: 50 parallel calls inside one fresh exchange open
// exactly one session, and all 50 run in it.
func TestScenarioCookieExchangeFanOut(t *testing.T) {
	h := newHarness(t)
	ck := newCookieServer(t, fakevendor.CookieConfig{})
	c := h.newClient(service("Stateful", ck.StatefulURL(), ckProfile(impl.ScopeExchange, impl.ReloginNever)),
		runtime.WithEndpoint(ck.StatefulURL()),
		runtime.WithCredentials(runtime.Password("alice", ckUsers["alice"])),
		runtime.WithClock(ck.Clock()))
	ctx := context.Background()
	ex := c.Exchange()
	const n = 50
	outs := make([]echoOut, n)
	errs := make([]error, n)
	parallel(n, func(i int) { outs[i], errs[i] = ckCall(ctx, h, ex, fmt.Sprintf("part %d", i), "alice") })
	seqs := map[int64]bool{}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		if outs[i].Session != outs[0].Session {
			t.Errorf("part %d ran in session %s, part 0 in %s", i, outs[i].Session, outs[0].Session)
		}
		seqs[outs[i].Seq] = true
	}
	if len(seqs) != n {
		t.Errorf("%d distinct call numbers in the session, want %d", len(seqs), n)
	}
	if ck.Logins.Load() != 1 {
		t.Errorf("sessions opened = %d, want 1", ck.Logins.Load())
	}
	if err := h.err(ex.Close(ctx)); err != nil {
		t.Fatal(err)
	}
	// A second exchange gets a session of its own.
	ex2 := c.Exchange()
	out, err := ckCall(ctx, h, ex2, "next exchange", "alice")
	if err != nil {
		t.Fatal(err)
	}
	if out.Session == outs[0].Session || out.Seq != 1 || ck.Logins.Load() != 2 {
		t.Errorf("second exchange reused the first's session (seq %d, logins %d)", out.Seq, ck.Logins.Load())
	}
	if err := h.err(ex2.Close(ctx)); err != nil {
		t.Fatal(err)
	}
	if ck.Violations.Load() != 0 || ck.Rejected.Load() != 0 {
		t.Errorf("violations %d, rejected %v", ck.Violations.Load(), ck.Reasons())
	}
	h.noSecrets(ck.Secrets())
}

// A lost exchange session surfaces as ErrSessionLost, never as a silent
// new session.
func TestScenarioCookieExchangeLoss(t *testing.T) {
	h := newHarness(t)
	ck := newCookieServer(t, fakevendor.CookieConfig{})
	c := h.newClient(service("Stateful", ck.StatefulURL(), ckProfile(impl.ScopeExchange, impl.ReloginNever)),
		runtime.WithEndpoint(ck.StatefulURL()),
		runtime.WithCredentials(runtime.Password("alice", ckUsers["alice"])),
		runtime.WithClock(ck.Clock()))
	ctx := context.Background()
	ex := c.Exchange()
	if _, err := ckCall(ctx, h, ex, "one", "alice"); err != nil {
		t.Fatal(err)
	}
	ck.KillAll()
	if _, err := ckCall(ctx, h, ex, "two", "alice"); !errors.Is(err, runtime.ErrSessionLost) {
		t.Fatalf("got %v, want ErrSessionLost", err)
	}
	if ck.Logins.Load() != 1 {
		t.Errorf("sessions opened = %d, want 1", ck.Logins.Load())
	}
	_ = h.err(ex.Close(ctx))
	h.noSecrets(ck.Secrets())
}

// Two identities on one store never share a session: every call is served
// as the identity that made it, and each identity logs in once.
func TestScenarioCookieTwoIdentitiesOneStore(t *testing.T) {
	h := newHarness(t)
	// The cookie is scoped to /http, as the server sets it, and must
	// still reach /http/service.
	ck := newCookieServer(t, fakevendor.CookieConfig{CookiePath: "/http"})
	store := runtime.NewMemoryStore()
	newC := func(user string) *runtime.Client {
		return h.newClient(service("Shared", ck.URL(), ckProfile(impl.ScopeShared, impl.ReloginAuto)),
			runtime.WithEndpoint(ck.URL()),
			runtime.WithCredentials(runtime.Password(user, ckUsers[user])),
			runtime.WithStore(store),
			runtime.WithClock(ck.Clock()))
	}
	clients := map[string]*runtime.Client{"alice": newC("alice"), "bob": newC("bob")}
	const n = 200
	errs := make([]error, n)
	parallel(n, func(i int) {
		user := []string{"alice", "bob"}[i%2]
		_, errs[i] = ckCall(context.Background(), h, clients[user], fmt.Sprintf("m%d", i), user)
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if ck.Violations.Load() != 0 || ck.RejectedFor(fakevendor.ReasonOtherUser) != 0 {
		t.Errorf("a session was used by another identity: %v", ck.Reasons())
	}
	if ck.Logins.Load() != 2 {
		t.Errorf("sessions opened = %d, want 2 (one per identity)", ck.Logins.Load())
	}
	h.noSecrets(ck.Secrets())
}

// OAuth2 client credentials: the token is fetched once and reused for its
// lifetime, also across new cookie sessions, within the endpoint's rate
// limit.
func TestScenarioCookieOAuth2TokenReuse(t *testing.T) {
	h := newHarness(t)
	oa := fakevendor.NewOAuth2(fakevendor.OAuth2Config{
		Clients:    map[string]string{"integration": "client-Secr3t"},
		RateLimit:  1,
		RateWindow: 60 * minute,
	})
	t.Cleanup(oa.Close)
	ck := newCookieServer(t, fakevendor.CookieConfig{OAuth: oa, Clock: oa.Clock()})
	cc := &clientcredentials.Config{ClientID: "integration", ClientSecret: "client-Secr3t", TokenURL: oa.TokenURL(), AuthStyle: oauth2.AuthStyleInHeader}
	c := h.newClient(service("Shared", ck.URL(), ckProfile(impl.ScopeShared, impl.ReloginAuto)),
		runtime.WithEndpoint(ck.URL()),
		runtime.WithCredentials(runtime.OAuth2ClientCredentials(cc)),
		runtime.WithClock(ck.Clock()))
	ctx := context.Background()
	for round := range 4 {
		errs := make([]error, 50)
		parallel(50, func(i int) { _, errs[i] = ckCall(ctx, h, c, fmt.Sprintf("r%d-%d", round, i), "integration") })
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d call %d: %v", round, i, err)
			}
		}
		ck.KillAll() // the next round needs a new cookie session
	}
	if oa.Requests.Load() != 1 || oa.Limited.Load() != 0 {
		t.Errorf("token requests %d (rate-limited %d), want 1 and 0", oa.Requests.Load(), oa.Limited.Load())
	}
	if ck.Logins.Load() != 4 {
		t.Errorf("cookie sessions opened = %d, want 4 (one per round)", ck.Logins.Load())
	}
	h.noSecrets(ck.Secrets(), oa.Secrets())
}

// After the token's lifetime (on the client's clock) the client fetches a
// new token instead of presenting the expired one, and a token the
// resource server refuses (revoked) is presented once and then dropped.
// Bursts of callers meet one token request each time: the token endpoint
// is never hammered.
func TestScenarioCookieOAuth2TokenExpiry(t *testing.T) {
	h := newHarness(t)
	oa := fakevendor.NewOAuth2(fakevendor.OAuth2Config{Clients: map[string]string{"integration": "client-Secr3t"}, Lifetime: 60 * minute})
	t.Cleanup(oa.Close)
	ck := newCookieServer(t, fakevendor.CookieConfig{OAuth: oa, Clock: oa.Clock(), Idle: 10 * minute})
	cc := &clientcredentials.Config{ClientID: "integration", ClientSecret: "client-Secr3t", TokenURL: oa.TokenURL(), AuthStyle: oauth2.AuthStyleInHeader}
	c := h.newClient(service("Shared", ck.URL(), ckProfile(impl.ScopeShared, impl.ReloginAuto)),
		runtime.WithEndpoint(ck.URL()),
		runtime.WithCredentials(runtime.OAuth2ClientCredentials(cc)),
		runtime.WithClock(ck.Clock()))
	ctx := context.Background()
	burst := func(name string) {
		t.Helper()
		errs := make([]error, 50)
		parallel(50, func(i int) { _, errs[i] = ckCall(ctx, h, c, fmt.Sprintf("%s-%d", name, i), "integration") })
		for i, err := range errs {
			if err != nil {
				t.Fatalf("%s: call %d: %v", name, i, err)
			}
		}
	}
	burst("first")
	ck.Clock().Advance(61 * minute) // cookie session and token both expired
	burst("after expiry")
	if oa.Requests.Load() != 2 || ck.RejectedFor(fakevendor.ReasonBadToken) != 0 {
		t.Errorf("token requests = %d, expired tokens presented %d; want 2 (one per lifetime) and 0",
			oa.Requests.Load(), ck.RejectedFor(fakevendor.ReasonBadToken))
	}
	oa.RevokeAll()
	ck.KillAll()
	burst("after revocation")
	if oa.Requests.Load() != 3 || ck.RejectedFor(fakevendor.ReasonBadToken) != 1 {
		t.Errorf("token requests = %d, revoked token presented %d times; want 3 and 1",
			oa.Requests.Load(), ck.RejectedFor(fakevendor.ReasonBadToken))
	}
	if ck.Logins.Load() != 3 {
		t.Errorf("cookie sessions opened = %d, want 3", ck.Logins.Load())
	}
	h.noSecrets(ck.Secrets(), oa.Secrets())
}

// SAP mode None: no reuse; every call authenticates and opens its own
// session, and no cookie of an earlier call is sent along.
func TestScenarioCookieModeNone(t *testing.T) {
	h := newHarness(t)
	ck := newCookieServer(t, fakevendor.CookieConfig{})
	p := ckProfile(impl.ScopeCall, impl.ReloginAuto)
	p.Tokens, p.Send, p.Gone = nil, nil, nil // templates/cookie.yaml: "call" keeps nothing
	c := h.newClient(service("None", ck.URL(), p),
		runtime.WithEndpoint(ck.URL()),
		runtime.WithCredentials(runtime.Password("alice", ckUsers["alice"])),
		runtime.WithClock(ck.Clock()))
	ctx := context.Background()
	const n = 20
	errs := make([]error, n)
	parallel(n, func(i int) {
		out, err := ckCall(ctx, h, c, fmt.Sprintf("n%d", i), "alice")
		if err == nil && out.Seq != 1 {
			err = fmt.Errorf("call %d ran as call %d of a reused session", i, out.Seq)
		}
		errs[i] = err
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if ck.Logins.Load() != n || ck.AuthWithCookie.Load() != 0 {
		t.Errorf("sessions opened %d (want %d), auth sent with a cookie %d (want 0)", ck.Logins.Load(), n, ck.AuthWithCookie.Load())
	}
	// A wrong password is one failed call with a clear error, no retry.
	const wrong = "wrong-Pa55-ck"
	bad := h.newClient(service("None", ck.URL(), p),
		runtime.WithEndpoint(ck.URL()),
		runtime.WithCredentials(runtime.Password("alice", wrong)),
		runtime.WithClock(ck.Clock()))
	var he *runtime.HTTPError
	if _, err := ckCall(ctx, h, bad, "bad", "alice"); !errors.As(err, &he) || he.StatusCode != 401 {
		t.Errorf("wrong password: %v, want an *HTTPError with status 401", err)
	}
	if ck.RejectedFor(fakevendor.ReasonBadCredentials) != 1 {
		t.Errorf("wrong password tried %d times, want 1", ck.RejectedFor(fakevendor.ReasonBadCredentials))
	}
	h.noSecrets(ck.Secrets(), []string{wrong})
}

// The same cookie session over SOAP 1.2: calls share the session, and a
// lost exchange session (a SOAP 1.2 Receiver fault) is ErrSessionLost.
func TestScenarioCookieSOAP12(t *testing.T) {
	h := newHarness(t)
	ck := newCookieServer(t, fakevendor.CookieConfig{})
	op := &impl.Operation{Name: "Echo", Action: "urn:fakevendor:sap#Echo", SOAP: impl.SOAP12}
	c := h.newClient(service("Stateful12", ck.StatefulURL(), ckProfile(impl.ScopeExchange, impl.ReloginNever)),
		runtime.WithEndpoint(ck.StatefulURL()),
		runtime.WithCredentials(runtime.Password("alice", ckUsers["alice"])),
		runtime.WithClock(ck.Clock()))
	ctx := context.Background()
	ex := c.Exchange()
	for i := 1; i <= 3; i++ {
		var out echoOut
		if err := h.err(ex.Invoke(ctx, op, &ckEcho{Text: "v12"}, &out)); err != nil {
			t.Fatal(err)
		}
		if out.Seq != int64(i) || out.User != "alice" {
			t.Fatalf("call %d: %+v", i, out)
		}
	}
	ck.KillAll()
	var out echoOut
	if err := h.err(ex.Invoke(ctx, op, &ckEcho{Text: "lost"}, &out)); !errors.Is(err, runtime.ErrSessionLost) {
		t.Fatalf("after the session was lost: %v, want ErrSessionLost", err)
	}
	_ = h.err(ex.Close(ctx))
	if ck.Logins.Load() != 1 || ck.RejectedFor(fakevendor.ReasonBadContentType) != 0 {
		t.Errorf("logins %d, rejections %v", ck.Logins.Load(), ck.Reasons())
	}
	h.noSecrets(ck.Secrets())
}

// When the caller whose request carries the credentials (the login leader
// of an HTTP-auth session) gives up, a waiter leads the next login: every
// waiter still gets a session, and there is no login storm.
func TestScenarioCookieLeaderCancels(t *testing.T) {
	h := newHarness(t)
	entered := make(chan struct{})
	hold := make(chan struct{})
	var once sync.Once
	release := func() { once.Do(func() { close(hold) }) }
	var armed atomic.Bool
	armed.Store(true)
	ck := newCookieServer(t, fakevendor.CookieConfig{OnCall: func(string) {
		if armed.CompareAndSwap(true, false) {
			close(entered)
			<-hold
		}
	}})
	t.Cleanup(release)
	c := h.newClient(service("Shared", ck.URL(), ckProfile(impl.ScopeShared, impl.ReloginAuto)),
		runtime.WithEndpoint(ck.URL()),
		runtime.WithCredentials(runtime.Password("alice", ckUsers["alice"])),
		runtime.WithClock(ck.Clock()))

	ctxA, cancelA := context.WithCancel(context.Background())
	doneA := make(chan error, 1)
	go func() { _, err := ckCall(ctxA, h, c, "leader", "alice"); doneA <- err }()
	<-entered // the leader's authenticated request is at the server

	const waiters = 20
	errs := make([]error, waiters)
	var wg sync.WaitGroup
	for i := range waiters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = ckCall(context.Background(), h, c, fmt.Sprintf("w%d", i), "alice")
		}()
	}
	cancelA()
	select {
	case err := <-doneA:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled leader got %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second): // a bound for a hang, not a timing assertion
		t.Fatal("a cancelled leader kept waiting")
	}
	release()
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("waiter %d: %v", i, err)
		}
	}
	// The leader's session was opened on the server, but its answer never
	// reached the client: one more login, and no more.
	if l := ck.Logins.Load(); l > 2 {
		t.Errorf("logins = %d, want at most 2", l)
	}
	// A leader that gave up is not a failed login.
	if n := h.countEvents(runtime.EventLoginFailed); n != 0 {
		t.Errorf("login-failed events = %d, want 0", n)
	}
	h.noSecrets(ck.Secrets())
}
