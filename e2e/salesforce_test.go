package e2e

import (
	"context"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	sfent "github.com/wsdlsess/wsdlsess/golden/salesforce-enterprise"
	sfdc "github.com/wsdlsess/wsdlsess/golden/salesforce-partner"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/internal/scenario"
	"github.com/wsdlsess/wsdlsess/runtime"
)

const (
	sfUser     = "ann@example.com"
	sfPassword = "pw-Salesforce-7f3a"
)

func newOrg(t *testing.T, cfg fakevendor.SalesforceConfig) *fakevendor.Salesforce {
	if cfg.Users == nil {
		cfg.Users = map[string]string{sfUser: sfPassword}
	}
	org := fakevendor.NewSalesforce(cfg)
	t.Cleanup(org.Close)
	return org
}

func sfClient(h *scenario.Harness, org *fakevendor.Salesforce, password string, opts ...runtime.Option) *sfdc.Client {
	h.Helper()
	opts = append(append(h.Options(), runtime.WithEndpoint(org.URL()), runtime.WithCredentials(runtime.Password(sfUser, password))), opts...)
	c, err := sfdc.NewClient(opts...)
	if err != nil {
		h.Fatal(err)
	}
	h.CloseAtCleanup(c)
	return c
}

func query(ctx context.Context, h *scenario.Harness, c *sfdc.Client, q string) error {
	out, err := c.Query(ctx, &sfdc.Query{QueryString: q})
	if err != nil {
		return h.Err(err)
	}
	if out.Result == nil || out.Result.Size != 1 || len(out.Result.Records) != 1 {
		return fmt.Errorf("query %q: unexpected result %+v", q, out.Result)
	}
	return nil
}

// One login serves 1000 goroutines that start with no session; after the
// org's idle timeout (known to the client from sessionSecondsValid, so it
// logs in before sending and the org rejects nothing) one login serves
// 1000 more, and after the org kills the session (INVALID_SESSION_ID, each
// rejected call resent once) one relogin serves 1000 more. No call is lost
// or processed twice, and every call goes to the serverUrl.
func TestSalesforceOneLoginPerExpiry(t *testing.T) {
	h := scenario.New(t)
	org := newOrg(t, fakevendor.SalesforceConfig{Idle: 30 * time.Minute})
	c := sfClient(h, org, sfPassword, runtime.WithClock(org.Clock()))
	ctx := context.Background()
	expire := []func(){
		func() { org.Clock().Advance(31 * time.Minute) },
		func() { org.KillAll() },
		func() {},
	}
	for round, ex := range expire {
		errs := make([]error, 1000)
		scenario.Parallel(1000, func(i int) { errs[i] = query(ctx, h, c, fmt.Sprintf("r%d-%d", round, i)) })
		if got := scenario.FirstErrors(errs); len(got) > 0 {
			t.Fatalf("round %d: %v", round, got)
		}
		if got, want := org.Logins.Load(), int64(round+1); got != want {
			t.Fatalf("round %d: logins = %d, want %d", round, got, want)
		}
		if round == 1 && org.Rejected.Load() != 0 {
			t.Errorf("the client knew the idle limit, yet calls were rejected: %v", org.Reasons())
		}
		ex()
	}
	if org.Calls.Load() != 3000 || org.Duplicates.Load() != 0 || org.RejectedFor(fakevendor.ReasonWrongEndpoint) != 0 {
		t.Errorf("calls %d, duplicates %d, rejections %v", org.Calls.Load(), org.Duplicates.Load(), org.Reasons())
	}
	if h.LoginsSeen() != org.Logins.Load() || h.CountEvents(runtime.EventRelogin) != 2 {
		t.Errorf("events report %d logins and %d relogins, the server saw %d logins (want 2 relogins)", h.LoginsSeen(), h.CountEvents(runtime.EventRelogin), org.Logins.Load())
	}
	h.NoSecrets(org.Secrets(), []string{sfPassword})
}

// Sessions killed at random points under load: every call succeeds, none
// is processed twice, and logins ≤ kills + 1.
func TestSalesforceRandomKills(t *testing.T) {
	h := scenario.New(t)
	rng := mrand.New(mrand.NewPCG(3, 5))
	var org *fakevendor.Salesforce
	var accepted, target, kills atomic.Int64
	org = newOrg(t, fakevendor.SalesforceConfig{OnCall: func(string) {
		if accepted.Add(1) == target.Load() && org.KillRandom(rng) {
			kills.Add(1)
		}
	}})
	c := sfClient(h, org, sfPassword)
	ctx := context.Background()
	for r := range 8 {
		accepted.Store(0)
		target.Store(int64(1 + rng.IntN(50)))
		errs := make([]error, 100)
		scenario.Parallel(100, func(i int) { errs[i] = query(ctx, h, c, fmt.Sprintf("k%d-%d", r, i)) })
		if got := scenario.FirstErrors(errs); len(got) > 0 {
			t.Fatalf("round %d: %v", r, got)
		}
	}
	if kills.Load() == 0 {
		t.Fatal("no session was killed: the test tested nothing")
	}
	if org.Duplicates.Load() != 0 || org.Calls.Load() != 800 {
		t.Errorf("calls %d (want 800), duplicates %d", org.Calls.Load(), org.Duplicates.Load())
	}
	if l, k := org.Logins.Load(), kills.Load(); l > k+1 {
		t.Errorf("logins = %d for %d kills, want at most %d", l, k, k+1)
	}
	if h.LoginsSeen() != org.Logins.Load() || int64(h.CountEvents(runtime.EventExpire)) < kills.Load() {
		t.Errorf("events: %d logins (the org saw %d), %d expires for %d kills", h.LoginsSeen(), org.Logins.Load(), h.CountEvents(runtime.EventExpire), kills.Load())
	}
	h.NoSecrets(org.Secrets(), []string{sfPassword})
}

// Closing an exchange or a client never logs out (a Salesforce logout
// ends the session for every user of it); a second client on the same
// store reuses the session and never notices.
func TestSalesforceSharedStoreNoLogout(t *testing.T) {
	h := scenario.New(t)
	org := newOrg(t, fakevendor.SalesforceConfig{})
	store := runtime.NewMemoryStore()
	ctx := context.Background()
	a := sfClient(h, org, sfPassword, runtime.WithStore(store))
	b := sfClient(h, org, sfPassword, runtime.WithStore(store))
	for i, c := range []*sfdc.Client{a, b, a} {
		if err := query(ctx, h, c, fmt.Sprint("s", i)); err != nil {
			t.Fatal(err)
		}
	}
	ex := a.Exchange()
	if err := query(ctx, h, ex, "in exchange"); err != nil {
		t.Fatal(err)
	}
	if err := ex.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := query(ctx, h, b, "after a closed"); err != nil {
		t.Fatal(err)
	}
	if org.Logins.Load() != 1 || org.Logouts.Load() != 0 || org.Rejected.Load() != 0 {
		t.Errorf("logins %d (want 1: one shared session), logouts %d (want 0), rejections %v", org.Logins.Load(), org.Logouts.Load(), org.Reasons())
	}
	h.NoSecrets(org.Secrets(), []string{sfPassword})
}

// Two clients of one identity on one store share one session: one login
// between them, also when it expires under both at once, by the idle
// timeout the client knows or by a kill it learns of from the org.
func TestSalesforceTwoClientsOneStore(t *testing.T) {
	h := scenario.New(t)
	org := newOrg(t, fakevendor.SalesforceConfig{Idle: 30 * time.Minute})
	store := runtime.NewMemoryStore()
	a := sfClient(h, org, sfPassword, runtime.WithStore(store), runtime.WithClock(org.Clock()))
	b := sfClient(h, org, sfPassword, runtime.WithStore(store), runtime.WithClock(org.Clock()))
	ctx := context.Background()
	expire := []func(){
		func() { org.Clock().Advance(31 * time.Minute) },
		func() { org.KillAll() },
		func() {},
	}
	for round, ex := range expire {
		errs := make([]error, 200)
		scenario.Parallel(200, func(i int) {
			c := a
			if i%2 == 1 {
				c = b
			}
			errs[i] = query(ctx, h, c, fmt.Sprintf("r%d-%d", round, i))
		})
		if got := scenario.FirstErrors(errs); len(got) > 0 {
			t.Fatalf("round %d: %v", round, got)
		}
		if got := org.Logins.Load(); got != int64(round+1) {
			t.Fatalf("after round %d: logins = %d, want %d (one per expiry for both clients)", round, got, round+1)
		}
		ex()
	}
	if org.Duplicates.Load() != 0 || org.Calls.Load() != 600 {
		t.Errorf("calls %d (want 600), duplicates %d", org.Calls.Load(), org.Duplicates.Load())
	}
	h.NoSecrets(org.Secrets(), []string{sfPassword})
}

// A burst of callers with a wrong password causes one login attempt and
// one clear error for each: the INVALID_LOGIN fault with its typed
// LoginFault detail, saying the login failed, never the password. Callers
// after the failure get the same refusal from memory for a second on the
// client's clock (which only the test moves, so the count does not depend
// on scheduling); then the next call tries once more. Each failure is one
// login-failed event and one warning line.
func TestSalesforceBadPasswordOneAttempt(t *testing.T) {
	const wrong = "not-the-password"
	h := scenario.New(t)
	org := newOrg(t, fakevendor.SalesforceConfig{})
	c := sfClient(h, org, wrong, runtime.WithClock(org.Clock()))
	errs := make([]error, 50)
	scenario.Parallel(50, func(i int) { errs[i] = query(context.Background(), h, c, fmt.Sprint("b", i)) })
	for i, err := range errs {
		var f *runtime.Fault
		if !errors.As(err, &f) || !strings.HasSuffix(f.Code, "INVALID_LOGIN") {
			t.Fatalf("caller %d: %v, want the INVALID_LOGIN fault", i, err)
		}
		if d, ok := f.Detail.(*sfdc.LoginFaultElement); !ok || d.ExceptionCode != "INVALID_LOGIN" {
			t.Errorf("caller %d: typed detail = %#v, want a LoginFault with INVALID_LOGIN", i, f.Detail)
		}
		if !strings.Contains(err.Error(), "login failed") {
			t.Errorf("caller %d: %q does not say the login failed", i, err)
		}
	}
	if got := org.RejectedFor(fakevendor.ReasonBadCredentials); got != 1 || org.Calls.Load() != 0 {
		t.Errorf("login attempts with the bad password = %d (want 1, no storm), calls accepted %d (want 0)", got, org.Calls.Load())
	}
	if got, lines := h.CountEvents(runtime.EventLoginFailed), h.LogLines("level=WARN", "login-failed", "INVALID_LOGIN"); got != 1 || lines != 1 {
		t.Errorf("login-failed events %d, warning lines %d; want 1 and 1", got, lines)
	}
	org.Clock().Advance(time.Second)
	if err := query(context.Background(), h, c, "later"); err == nil {
		t.Fatal("a call after the backoff succeeded with a wrong password")
	}
	if got, ev := org.RejectedFor(fakevendor.ReasonBadCredentials), h.CountEvents(runtime.EventLoginFailed); got != 2 || ev != 2 {
		t.Errorf("after the backoff: login attempts %d, login-failed events %d; want 2 and 2", got, ev)
	}
	h.NoSecrets(org.Secrets(), []string{wrong})
}

// InvalidateSessions ends sessions in batches of 200 (450 ids: 3 calls)
// and reports one result per id, in order across the batches: nil for
// each of the 11 live sessions spread among them, an InvalidateError with
// a code (and without the id) for every unknown one. The client's own
// session among them is forgotten, so its next call logs in again instead
// of failing.
func TestSalesforceInvalidateSessions(t *testing.T) {
	h := scenario.New(t)
	users := map[string]string{sfUser: sfPassword}
	for i := range 10 {
		users[fmt.Sprintf("u%d@example.com", i)] = fmt.Sprintf("pw-u%d-Salesforce", i)
	}
	org := newOrg(t, fakevendor.SalesforceConfig{Users: users})
	ctx := context.Background()
	for i := range 10 {
		u := fmt.Sprintf("u%d@example.com", i)
		other, err := sfdc.NewClient(append(h.Options(), runtime.WithEndpoint(org.URL()), runtime.WithCredentials(runtime.Password(u, users[u])))...)
		if err != nil {
			t.Fatal(err)
		}
		h.CloseAtCleanup(other)
		if err := query(ctx, h, other, "hello from "+u); err != nil {
			t.Fatal(err)
		}
	}
	c := sfClient(h, org, sfPassword)
	if err := query(ctx, h, c, "first"); err != nil {
		t.Fatal(err)
	}
	live := org.SessionIDs()
	if len(live) != 11 {
		t.Fatalf("%d live sessions, want 11", len(live))
	}
	ids := make([]string, 450)
	for i := range ids {
		ids[i] = fmt.Sprintf("00Dxx-unknown-%04d", i)
	}
	real := map[int]bool{}
	for k, id := range live {
		ids[k*40+3] = id
		real[k*40+3] = true
	}
	res, err := c.InvalidateSessions(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(ids) {
		t.Fatalf("%d results for %d ids", len(res), len(ids))
	}
	for i, r := range res {
		if real[i] {
			if r != nil {
				t.Errorf("result %d (a live session) = %v, want nil", i, r)
			}
			continue
		}
		var ie *runtime.InvalidateError
		if !errors.As(r, &ie) || ie.Code == "" || strings.Contains(r.Error(), ids[i]) {
			t.Errorf("result %d (an unknown id) = %v; want an InvalidateError with a code and without the id", i, r)
		}
		h.Err(r)
	}
	if got := org.InvalidateCalls.Load(); got != 3 || org.Invalidated.Load() != 11 || org.RejectedFor(fakevendor.ReasonTooManyIDs) != 0 {
		t.Errorf("invalidateSessions calls %d (want 3: 450 ids, 200 a call), invalidated %d (want 11), rejections %v", got, org.Invalidated.Load(), org.Reasons())
	}
	if err := query(ctx, h, c, "after"); err != nil || org.Logins.Load() != 12 {
		t.Errorf("after invalidating its own session: %v, logins %d (want 12)", err, org.Logins.Load())
	}
	var secrets []string
	for _, p := range users {
		secrets = append(secrets, p)
	}
	h.NoSecrets(org.Secrets(), secrets)
}

// The same built-in profile binds to the Enterprise WSDL, whose
// SessionHeader is in urn:enterprise.soap.sforce.com: the binder took the
// namespace the WSDL declares.
func TestSalesforceEnterpriseWSDL(t *testing.T) {
	h := scenario.New(t)
	org := newOrg(t, fakevendor.SalesforceConfig{Namespace: "urn:enterprise.soap.sforce.com"})
	c, err := sfent.NewClient(append(h.Options(), runtime.WithEndpoint(org.URL()), runtime.WithCredentials(runtime.Password(sfUser, sfPassword)))...)
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(c)
	ctx := context.Background()
	for i := range 3 {
		if _, err := c.Query(ctx, &sfent.Query{QueryString: fmt.Sprint("e", i)}); err != nil {
			t.Fatal(h.Err(err))
		}
	}
	org.KillAll()
	if _, err := c.Query(ctx, &sfent.Query{QueryString: "after kill"}); err != nil {
		t.Fatal(h.Err(err))
	}
	if org.Logins.Load() != 2 || org.Calls.Load() != 4 {
		t.Errorf("logins %d (want 2), calls %d (want 4)", org.Logins.Load(), org.Calls.Load())
	}
	h.NoSecrets(org.Secrets(), []string{sfPassword})
}

// Two identities on one client store never share a session: each user's
// calls run on a session of that user.
func TestSalesforceTwoIdentitiesOneStore(t *testing.T) {
	h := scenario.New(t)
	org := newOrg(t, fakevendor.SalesforceConfig{Users: map[string]string{sfUser: sfPassword, "bob@example.com": "pw-Bob-33c1"}})
	store := runtime.NewMemoryStore()
	ann := sfClient(h, org, sfPassword, runtime.WithStore(store))
	bob, err := sfdc.NewClient(append(h.Options(), runtime.WithEndpoint(org.URL()), runtime.WithStore(store), runtime.WithCredentials(runtime.Password("bob@example.com", "pw-Bob-33c1")))...)
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(bob)
	ctx := context.Background()
	errs := make([]error, 40)
	scenario.Parallel(40, func(i int) {
		c := ann
		if i%2 == 1 {
			c = bob
		}
		errs[i] = query(ctx, h, c, fmt.Sprint("id", i))
	})
	if got := scenario.FirstErrors(errs); len(got) > 0 {
		t.Fatal(got)
	}
	info, err := bob.GetUserInfo(ctx, &sfdc.GetUserInfo{})
	if err != nil || info.Result == nil || info.Result.UserName != "bob@example.com" {
		t.Fatalf("bob's session belongs to %+v (%v)", info, err)
	}
	if org.Logins.Load() != 2 || org.RejectedFor(fakevendor.ReasonBadHeader) != 0 {
		t.Errorf("logins %d (want 2: one per identity), rejections %v", org.Logins.Load(), org.Reasons())
	}
	h.NoSecrets(org.Secrets(), []string{sfPassword, "pw-Bob-33c1"})
}

// A caller that cancels while the login it started is in flight gets
// context.Canceled at once; the login goes on for the 20 callers waiting
// on it: one login in all.
func TestSalesforceCancelWhileLoginInFlight(t *testing.T) {
	h := scenario.New(t)
	entered, release := make(chan struct{}, 1), make(chan struct{})
	var once sync.Once
	org := newOrg(t, fakevendor.SalesforceConfig{OnLogin: func(string) {
		select {
		case entered <- struct{}{}:
		default:
		}
		<-release
	}})
	open := func() { once.Do(func() { close(release) }) }
	t.Cleanup(open) // before org.Close: never leave a handler blocked
	c := sfClient(h, org, sfPassword)
	ctxA, cancelA := context.WithCancel(context.Background())
	doneA := make(chan error, 1)
	go func() { doneA <- query(ctxA, h, c, "A") }()
	<-entered
	errs := make([]error, 20)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = query(context.Background(), h, c, fmt.Sprint("W", i))
		}()
	}
	cancelA()
	if err := <-doneA; !errors.Is(err, context.Canceled) {
		t.Errorf("the cancelled caller got %v, want context.Canceled", err)
	}
	open()
	wg.Wait()
	if got := scenario.FirstErrors(errs); len(got) > 0 {
		t.Fatal(got)
	}
	if org.Logins.Load() != 1 {
		t.Errorf("logins = %d, want 1: a cancel must not abort the shared login", org.Logins.Load())
	}
	h.NoSecrets(org.Secrets(), []string{sfPassword})
}

// A rejection that arrives late, for a token already replaced, must not
// throw away the newer session (compare-and-swap invalidation): the late
// call is resent on the new session and nobody logs in again.
func TestSalesforceLateRejectionKeepsNewerSession(t *testing.T) {
	h := scenario.New(t)
	entered, hold := make(chan struct{}), make(chan struct{})
	var once sync.Once
	var first atomic.Bool
	release := func() { once.Do(func() { close(hold) }) }
	org := newOrg(t, fakevendor.SalesforceConfig{OnRequest: func(op, payload string) {
		if payload == "late" && first.CompareAndSwap(false, true) { // not its resend
			close(entered)
			<-hold
		}
	}})
	t.Cleanup(release) // before org.Close: never leave a handler blocked
	c := sfClient(h, org, sfPassword)
	ctx := context.Background()
	if err := query(ctx, h, c, "warm-up"); err != nil {
		t.Fatal(err)
	}
	late := make(chan error, 1)
	go func() { late <- query(ctx, h, c, "late") }()
	<-entered // "late" is at the org, carrying the first session
	org.KillAll()
	if err := query(ctx, h, c, "prompt"); err != nil { // rejected, relogin, resent
		t.Fatal(err)
	}
	if org.Logins.Load() != 2 {
		t.Fatalf("logins = %d after one kill, want 2", org.Logins.Load())
	}
	release() // "late" now meets the dead first session
	if err := <-late; err != nil {
		t.Fatalf("late call: %v", err)
	}
	if err := query(ctx, h, c, "after"); err != nil {
		t.Fatal(err)
	}
	if org.Logins.Load() != 2 {
		t.Errorf("logins = %d, want 2: the late rejection of the old token dropped the new session", org.Logins.Load())
	}
	if org.RejectedFor(fakevendor.ReasonKilled) != 2 || org.Duplicates.Load() != 0 {
		t.Errorf("rejections %v, duplicates %d", org.Reasons(), org.Duplicates.Load())
	}
	h.NoSecrets(org.Secrets(), []string{sfPassword})
}

// sessionSecondsValid, which the generated client reads as the session's
// lifetime, is an inactivity timeout: a client busy for three hours logs
// in once, and a second client on the same store adopts the busy session
// instead of taking it for an old one. A client idle for the lifetime less
// the built-in's refresh margin (1m) logs in again before its call, so the
// org rejects nothing.
func TestSalesforceLifetimeIsIdleLimit(t *testing.T) {
	h := scenario.New(t)
	org := newOrg(t, fakevendor.SalesforceConfig{Idle: 2 * time.Hour})
	store := runtime.NewMemoryStore()
	newC := func() *sfdc.Client {
		return sfClient(h, org, sfPassword, runtime.WithStore(store), runtime.WithClock(org.Clock()))
	}
	a := newC()
	ctx := context.Background()
	for i := range 19 { // a call every 10 minutes for 3 hours
		if i > 0 {
			org.Clock().Advance(10 * time.Minute)
		}
		if err := query(ctx, h, a, fmt.Sprintf("busy-%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := query(ctx, h, newC(), "neighbour"); err != nil {
		t.Fatal(err)
	}
	if org.Logins.Load() != 1 || org.Rejected.Load() != 0 {
		t.Fatalf("busy for 3h: logins %d, rejected %v; want 1 and none", org.Logins.Load(), org.Reasons())
	}
	// Idle just past lifetime - margin: the org would still accept the
	// session for 30 s, but the client does not gamble on it.
	org.Clock().Advance(2*time.Hour - 30*time.Second)
	if err := query(ctx, h, a, "after idle"); err != nil {
		t.Fatal(err)
	}
	// Idle past the org's limit: the call would be rejected.
	org.Clock().Advance(2*time.Hour + time.Minute)
	if err := query(ctx, h, a, "after long idle"); err != nil {
		t.Fatal(err)
	}
	if org.Logins.Load() != 3 || org.Rejected.Load() != 0 {
		t.Errorf("after idling: logins %d, rejected %v; want 3 and none", org.Logins.Load(), org.Reasons())
	}
	if h.CountEvents(runtime.EventExpire) != 2 || h.CountEvents(runtime.EventRelogin) != 2 {
		t.Errorf("expire events %d, relogin events %d; want 2 and 2", h.CountEvents(runtime.EventExpire), h.CountEvents(runtime.EventRelogin))
	}
	h.NoSecrets(org.Secrets(), []string{sfPassword})
}
