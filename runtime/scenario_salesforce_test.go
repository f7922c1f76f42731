package runtime_test

import (
	"context"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
)

const sfPassword = "alice-Pa55word-sf"

func newSalesforce(t *testing.T, cfg fakevendor.SalesforceConfig) *fakevendor.Salesforce {
	if cfg.Users == nil {
		cfg.Users = map[string]string{"alice@example.com": sfPassword}
	}
	if cfg.Idle == 0 {
		cfg.Idle = 30 * minute
	}
	sf := fakevendor.NewSalesforce(cfg)
	t.Cleanup(sf.Close)
	return sf
}

func sfClient(h *harness, sf *fakevendor.Salesforce, user, pass string, opts ...runtime.Option) *runtime.Client {
	return h.newClient(service("SforceService", sf.URL(), sfProfile()), append([]runtime.Option{
		runtime.WithEndpoint(sf.URL()),
		runtime.WithCredentials(runtime.Password(user, pass)),
		runtime.WithClock(sf.Clock()),
	}, opts...)...)
}

// query runs one query and checks the echo.
func query(ctx context.Context, h *harness, c *runtime.Client, q string) error {
	var out sfQueryResponse
	if err := h.err(c.Invoke(ctx, sfOpQuery, &sfQuery{QueryString: q}, &out)); err != nil {
		return err
	}
	if len(out.Result.Records) != 1 || out.Result.Records[0].Name != q {
		return fmt.Errorf("query %q answered with %+v", q, out.Result)
	}
	return nil
}

// 1000 goroutines find the session expired at once: exactly one of them
// logs in, the others wait for it; every call succeeds exactly once. When
// the client knows the idle limit it logs in before sending (no call is
// rejected); when it does not, the server's INVALID_SESSION_ID triggers the
// one login and every rejected call is resent once.
func TestScenarioSalesforceExpiredSessionOneLogin(t *testing.T) {
	for _, known := range []bool{false, true} {
		name := "limit unknown"
		if known {
			name = "limit known"
		}
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			sf := newSalesforce(t, fakevendor.SalesforceConfig{})
			// Known: the login response's sessionSecondsValid, as the
			// generated client reads it.
			p := sfProfileLifetime(known)
			c := h.newClient(service("SforceService", sf.URL(), p),
				runtime.WithEndpoint(sf.URL()),
				runtime.WithCredentials(runtime.Password("alice@example.com", sfPassword)),
				runtime.WithClock(sf.Clock()),
				// The user's own client, with bounded connections: the 1000
				// goroutines still meet in the session engine, but the test
				// does not open 1000 sockets on 2 shared cores.
				runtime.WithHTTPClient(&http.Client{Transport: &http.Transport{MaxConnsPerHost: 64, MaxIdleConnsPerHost: 64}}))
			ctx := context.Background()
			if err := query(ctx, h, c, "warm-up"); err != nil {
				t.Fatal(err)
			}
			sf.Clock().Advance(31 * minute) // the server expires the idle session
			logins := sf.Logins.Load()

			const n = 1000
			errs := make([]error, n)
			parallel(n, func(i int) { errs[i] = query(ctx, h, c, fmt.Sprintf("q-%d", i)) })

			for i, err := range errs {
				if err != nil {
					t.Fatalf("call %d failed: %v (and maybe others: %v)", i, err, firstErrors(errs))
				}
			}
			if got := sf.Logins.Load() - logins; got != 1 {
				t.Errorf("logins after expiry = %d, want exactly 1", got)
			}
			if sf.Calls.Load() != n+1 || sf.Duplicates.Load() != 0 {
				t.Errorf("accepted %d calls (%d duplicates), want %d and 0", sf.Calls.Load(), sf.Duplicates.Load(), n+1)
			}
			if known && sf.Rejected.Load() != 0 {
				t.Errorf("the client knew the idle limit, yet calls were rejected: %v", sf.Reasons())
			}
			if h.loginsSeen() != sf.Logins.Load() || h.countEvents(runtime.EventRelogin) != 1 {
				t.Errorf("events: %d logins and %d relogins, the server saw %d logins",
					h.countEvents(runtime.EventLogin), h.countEvents(runtime.EventRelogin), sf.Logins.Load())
			}
			h.noSecrets(sf.Secrets())
		})
	}
}

// Two clients of one identity on one Store share one session: one login
// between them, also when it expires under both at once.
func TestScenarioSalesforceTwoClientsOneStore(t *testing.T) {
	h := newHarness(t)
	sf := newSalesforce(t, fakevendor.SalesforceConfig{})
	store := runtime.NewMemoryStore()
	a := sfClient(h, sf, "alice@example.com", sfPassword, runtime.WithStore(store))
	b := sfClient(h, sf, "alice@example.com", sfPassword, runtime.WithStore(store))
	ctx := context.Background()
	for round := range 3 {
		errs := make([]error, 200)
		parallel(200, func(i int) {
			c := a
			if i%2 == 1 {
				c = b
			}
			errs[i] = query(ctx, h, c, fmt.Sprintf("r%d-%d", round, i))
		})
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d call %d: %v", round, i, err)
			}
		}
		if got := sf.Logins.Load(); got != int64(round+1) {
			t.Errorf("after round %d: logins = %d, want %d (one per expiry for both clients)", round, got, round+1)
		}
		sf.Clock().Advance(31 * minute)
	}
	if sf.Duplicates.Load() != 0 {
		t.Errorf("%d calls processed twice", sf.Duplicates.Load())
	}
	h.noSecrets(sf.Secrets())
}

// Server-side kills during thousands of calls: no call is lost, only the
// rejected ones are resent (no payload is processed twice), and the client
// logs in at most once per kill.
func TestScenarioSalesforceRandomKills(t *testing.T) {
	h := newHarness(t)
	const rounds, perRound = 10, 200
	rng := mrand.New(mrand.NewPCG(7, 11))
	var (
		sf       *fakevendor.Salesforce
		accepted atomic.Int64
		target   atomic.Int64 // kill when this many calls of the round were accepted
		kills    atomic.Int64
	)
	sf = newSalesforce(t, fakevendor.SalesforceConfig{OnCall: func(string) {
		if accepted.Add(1) == target.Load() && sf.KillRandom(rng) {
			kills.Add(1)
		}
	}})
	c := sfClient(h, sf, "alice@example.com", sfPassword)
	ctx := context.Background()
	for r := range rounds {
		// One kill per round at a seeded point: a call is rejected at most
		// once, so "resend once" must be enough for every call.
		accepted.Store(0)
		target.Store(int64(1 + rng.IntN(perRound/2)))
		errs := make([]error, perRound)
		parallel(perRound, func(i int) { errs[i] = query(ctx, h, c, fmt.Sprintf("r%d-c%d", r, i)) })
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d call %d lost: %v", r, i, err)
			}
		}
	}
	if kills.Load() == 0 {
		t.Fatal("no session was killed: the scenario tested nothing")
	}
	if got, want := sf.Calls.Load(), int64(rounds*perRound); got != want {
		t.Errorf("accepted calls = %d, want %d", got, want)
	}
	if sf.Duplicates.Load() != 0 {
		t.Errorf("%d calls were processed twice: only rejected calls may be resent", sf.Duplicates.Load())
	}
	if l, k := sf.Logins.Load(), kills.Load(); l > k+1 {
		t.Errorf("logins = %d for %d kills, want at most %d", l, k, k+1)
	}
	if h.loginsSeen() != sf.Logins.Load() {
		t.Errorf("events report %d logins, the server saw %d", h.loginsSeen(), sf.Logins.Load())
	}
	if int64(h.countEvents(runtime.EventExpire)) < kills.Load() {
		t.Errorf("%d expire events for %d kills", h.countEvents(runtime.EventExpire), kills.Load())
	}
	t.Logf("%d calls, %d kills, %d logins, rejections %v", sf.Calls.Load(), kills.Load(), sf.Logins.Load(), sf.Reasons())
	h.noSecrets(sf.Secrets())
}

// The Salesforce lesson: closing a client or an exchange never logs out,
// because logout would end the session for every neighbour using it.
func TestScenarioSalesforceNeverLogsOut(t *testing.T) {
	h := newHarness(t)
	sf := newSalesforce(t, fakevendor.SalesforceConfig{})
	ctx := context.Background()
	c1 := sfClient(h, sf, "alice@example.com", sfPassword)
	c2 := sfClient(h, sf, "alice@example.com", sfPassword)
	if err := query(ctx, h, c1, "one"); err != nil {
		t.Fatal(err)
	}
	ex := c1.Exchange()
	if err := query(ctx, h, ex, "in exchange"); err != nil {
		t.Fatal(err)
	}
	if err := h.err(ex.Close(ctx)); err != nil {
		t.Fatal(err)
	}
	if err := h.err(c1.Close(ctx)); err != nil {
		t.Fatal(err)
	}
	// The neighbour shares the same server session (same user) and must
	// not notice.
	if err := query(ctx, h, c2, "neighbour"); err != nil {
		t.Fatal(err)
	}
	if sf.Logouts.Load() != 0 {
		t.Errorf("logouts = %d, want 0", sf.Logouts.Load())
	}
	if sf.Rejected.Load() != 0 {
		t.Errorf("rejected calls: %v", sf.Reasons())
	}
	h.noSecrets(sf.Secrets())
}

// invalidateSessions takes at most 200 ids a call: 450 ids go out in 3
// calls and come back as one result per id, in order.
func TestScenarioSalesforceInvalidateSessionsBatches(t *testing.T) {
	h := newHarness(t)
	users := map[string]string{"admin@example.com": "admin-Pa55"}
	for i := range 10 {
		users[fmt.Sprintf("u%d@example.com", i)] = fmt.Sprintf("u%d-Pa55word", i)
	}
	sf := newSalesforce(t, fakevendor.SalesforceConfig{Users: users})
	ctx := context.Background()
	for i := range 10 {
		u := fmt.Sprintf("u%d@example.com", i)
		if err := query(ctx, h, sfClient(h, sf, u, users[u]), "hello from "+u); err != nil {
			t.Fatal(err)
		}
	}
	victims := sf.SessionIDs()
	if len(victims) != 10 {
		t.Fatalf("%d sessions, want 10", len(victims))
	}
	admin := sfClient(h, sf, "admin@example.com", users["admin@example.com"])
	if err := query(ctx, h, admin, "admin"); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, 450)
	real := map[int]bool{}
	for i := range ids {
		ids[i] = fmt.Sprintf("00Dxx0000001gEH!AQnotasession%03d", i)
	}
	for k, v := range victims {
		i := k*45 + 3
		ids[i] = v
		real[i] = true
	}
	results, err := admin.InvalidateSessions(ctx, ids)
	if h.err(err) != nil {
		t.Fatal(err)
	}
	if len(results) != len(ids) {
		t.Fatalf("%d results for %d ids", len(results), len(ids))
	}
	for i, res := range results {
		if real[i] != (res == nil) {
			t.Errorf("result %d = %v, want success=%v", i, res, real[i])
		}
		if res != nil {
			h.err(res)
		}
	}
	if sf.InvalidateCalls.Load() != 3 {
		t.Errorf("invalidateSessions calls = %d, want 3", sf.InvalidateCalls.Load())
	}
	if sf.Invalidated.Load() != 10 || sf.RejectedFor(fakevendor.ReasonTooManyIDs) != 0 {
		t.Errorf("invalidated %d, too-many rejections %d", sf.Invalidated.Load(), sf.RejectedFor(fakevendor.ReasonTooManyIDs))
	}
	h.noSecrets(sf.Secrets())
}

// holdLogins makes the fake's logins wait until release is called; entered
// receives once per login that reached the server.
type loginGate struct {
	entered chan string
	release chan struct{}
	once    sync.Once
}

func newLoginGate(t *testing.T) *loginGate {
	g := &loginGate{entered: make(chan string, 100), release: make(chan struct{})}
	return g
}

func (g *loginGate) hook(user string) {
	g.entered <- user
	<-g.release
}

func (g *loginGate) open() { g.once.Do(func() { close(g.release) }) }

// A caller whose ctx is cancelled while the login it started is in flight
// returns at once with its ctx error; the login goes on for the others,
// who get the session from that one login.
func TestScenarioSalesforceCancelWhileLoginInFlight(t *testing.T) {
	h := newHarness(t)
	gate := newLoginGate(t)
	sf := newSalesforce(t, fakevendor.SalesforceConfig{OnLogin: gate.hook})
	t.Cleanup(gate.open) // runs before sf.Close: never leave a handler blocked
	c := sfClient(h, sf, "alice@example.com", sfPassword)

	ctxA, cancelA := context.WithCancel(context.Background())
	doneA := make(chan error, 1)
	go func() { doneA <- query(ctxA, h, c, "A") }()
	<-gate.entered // A's call started the login, which is now in flight

	const waiters = 20
	errs := make([]error, waiters)
	var wg sync.WaitGroup
	for i := range waiters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = query(context.Background(), h, c, fmt.Sprintf("W%d", i))
		}()
	}
	cancelA()
	select {
	case err := <-doneA:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled caller got %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second): // a bound for a hang, not a timing assertion
		t.Fatal("a cancelled caller kept waiting for the login")
	}
	gate.open()
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("waiter %d: %v", i, err)
		}
	}
	if sf.Logins.Load() != 1 {
		t.Errorf("logins = %d, want 1: the cancel must not abort the shared login", sf.Logins.Load())
	}
	h.noSecrets(sf.Secrets())
}

// A login that fails (bad password) reaches every waiting caller as one
// clear error naming the cause, without a storm of retried logins: exactly
// one login for a burst of callers. Those that joined the login wait for
// it; those scheduled after its failure get the same refusal from memory
// for a second on the client's clock, which this test does not move, so
// the count does not depend on scheduling. The failure is one
// login-failed event and one warning line, neither carrying the password.
func TestScenarioSalesforceBadPasswordNoStorm(t *testing.T) {
	h := newHarness(t)
	gate := newLoginGate(t)
	sf := newSalesforce(t, fakevendor.SalesforceConfig{OnLogin: gate.hook})
	t.Cleanup(gate.open)
	const wrong = "not-the-Pa55word"
	c := sfClient(h, sf, "alice@example.com", wrong)

	const n = 100
	errs := make([]error, n)
	var started sync.WaitGroup
	started.Add(n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			started.Done()
			errs[i] = query(context.Background(), h, c, fmt.Sprintf("q%d", i))
		}()
	}
	<-gate.entered
	started.Wait()
	gate.open()
	wg.Wait()
	for i, err := range errs {
		if err == nil {
			t.Fatalf("call %d succeeded with a wrong password", i)
		}
		var f *runtime.Fault
		if !errors.As(err, &f) || !strings.HasSuffix(f.Code, "INVALID_LOGIN") {
			t.Fatalf("call %d: %v, want a *runtime.Fault with code INVALID_LOGIN", i, err)
		}
		if d, ok := f.Detail.(*sfFault); !ok || d.ExceptionCode != "INVALID_LOGIN" {
			t.Errorf("call %d: typed detail = %#v", i, f.Detail)
		}
		if !strings.Contains(strings.ToLower(err.Error()), "login") {
			t.Errorf("call %d: error %q does not say the login failed", i, err)
		}
	}
	if l := sf.Logins.Load(); l != 1 {
		t.Errorf("logins = %d for %d callers, want exactly 1", l, n)
	}
	if sf.Calls.Load() != 0 {
		t.Errorf("calls accepted without a session: %d", sf.Calls.Load())
	}
	if got, lines := h.countEvents(runtime.EventLoginFailed), h.logLines("level=WARN", "login-failed", "INVALID_LOGIN"); got != 1 || lines != 1 {
		t.Errorf("login-failed events %d, warning lines %d; want 1 and 1", got, lines)
	}

	// The refusal is remembered on the client's clock: once it has moved
	// past the backoff, the next call tries (and fails) once more.
	sf.Clock().Advance(time.Second)
	if err := query(context.Background(), h, c, "later"); err == nil {
		t.Fatal("call after the backoff succeeded with a wrong password")
	}
	if l, got := sf.Logins.Load(), h.countEvents(runtime.EventLoginFailed); l != 2 || got != 2 {
		t.Errorf("after the backoff: logins %d, login-failed events %d; want 2 and 2", l, got)
	}
	h.noSecrets(sf.Secrets(), []string{wrong})
}

// A rejection that arrives late, for a token already replaced, must not
// throw away the newer session (compare-and-swap invalidation): the late
// call is resent on the new session and nobody logs in again.
func TestScenarioSalesforceLateRejectionKeepsNewerSession(t *testing.T) {
	h := newHarness(t)
	entered := make(chan struct{})
	hold := make(chan struct{})
	var once sync.Once
	var first atomic.Bool
	release := func() { once.Do(func() { close(hold) }) }
	sf := newSalesforce(t, fakevendor.SalesforceConfig{OnRequest: func(op, payload string) {
		if payload == "late" && first.CompareAndSwap(false, true) { // not its resend
			close(entered)
			<-hold
		}
	}})
	t.Cleanup(release)
	c := sfClient(h, sf, "alice@example.com", sfPassword)
	ctx := context.Background()
	if err := query(ctx, h, c, "warm-up"); err != nil {
		t.Fatal(err)
	}
	late := make(chan error, 1)
	go func() { late <- query(ctx, h, c, "late") }()
	<-entered // "late" is at the server, carrying the first session
	sf.KillAll()
	if err := query(ctx, h, c, "prompt"); err != nil { // rejected, relogin, resent
		t.Fatal(err)
	}
	if sf.Logins.Load() != 2 {
		t.Fatalf("logins = %d after one kill, want 2", sf.Logins.Load())
	}
	release() // "late" now meets the dead first session
	if err := <-late; err != nil {
		t.Fatalf("late call: %v", err)
	}
	if err := query(ctx, h, c, "after"); err != nil {
		t.Fatal(err)
	}
	if sf.Logins.Load() != 2 {
		t.Errorf("logins = %d, want 2: the late rejection of the old token dropped the new session", sf.Logins.Load())
	}
	if sf.RejectedFor(fakevendor.ReasonKilled) != 2 || sf.Duplicates.Load() != 0 {
		t.Errorf("rejections %v, duplicates %d", sf.Reasons(), sf.Duplicates.Load())
	}
	h.noSecrets(sf.Secrets())
}

// sessionSecondsValid (the login result's Lifetime) is an inactivity
// timeout: a client busy for three hours logs in once, and a second client
// on the same Store adopts the busy session instead of taking it for an
// old one. A client idle for the lifetime less the refresh margin logs in
// again before its call, so the server rejects nothing.
func TestScenarioSalesforceLifetimeIsIdleLimit(t *testing.T) {
	h := newHarness(t)
	sf := newSalesforce(t, fakevendor.SalesforceConfig{Idle: 2 * time.Hour})
	store := runtime.NewMemoryStore()
	newC := func() *runtime.Client {
		return h.newClient(service("SforceService", sf.URL(), sfProfileLifetime(true)), // margin 1 min
			runtime.WithEndpoint(sf.URL()),
			runtime.WithCredentials(runtime.Password("alice@example.com", sfPassword)),
			runtime.WithClock(sf.Clock()),
			runtime.WithStore(store))
	}
	a := newC()
	ctx := context.Background()
	for i := range 19 { // a call every 10 minutes for 3 hours
		if i > 0 {
			sf.Clock().Advance(10 * minute)
		}
		if err := query(ctx, h, a, fmt.Sprintf("busy-%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := query(ctx, h, newC(), "neighbour"); err != nil {
		t.Fatal(err)
	}
	if sf.Logins.Load() != 1 || sf.Rejected.Load() != 0 {
		t.Fatalf("busy for 3h: logins %d, rejected %v; want 1 and none", sf.Logins.Load(), sf.Reasons())
	}
	// Idle just past lifetime - margin: the server would still accept the
	// session for 30 s, but the client does not gamble on it.
	sf.Clock().Advance(2*time.Hour - 30*time.Second)
	if err := query(ctx, h, a, "after idle"); err != nil {
		t.Fatal(err)
	}
	// Idle past the server's limit: the call would be rejected.
	sf.Clock().Advance(2*time.Hour + minute)
	if err := query(ctx, h, a, "after long idle"); err != nil {
		t.Fatal(err)
	}
	if sf.Logins.Load() != 3 || sf.Rejected.Load() != 0 {
		t.Errorf("after idling: logins %d, rejected %v; want 3 and none", sf.Logins.Load(), sf.Reasons())
	}
	if h.countEvents(runtime.EventExpire) != 2 || h.countEvents(runtime.EventRelogin) != 2 {
		t.Errorf("expire events %d, relogin events %d; want 2 and 2",
			h.countEvents(runtime.EventExpire), h.countEvents(runtime.EventRelogin))
	}
	h.noSecrets(sf.Secrets())
}
