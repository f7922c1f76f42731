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

// One login serves 1000 goroutines that start with no session, and after
// the org kills it, one relogin serves 1000 more; no call is lost or
// processed twice, and every call goes to the serverUrl.
func TestSalesforceOneLoginPerExpiry(t *testing.T) {
	h := scenario.New(t)
	org := newOrg(t, fakevendor.SalesforceConfig{})
	c := sfClient(h, org, sfPassword)
	ctx := context.Background()
	for round := range 2 {
		errs := make([]error, 1000)
		scenario.Parallel(1000, func(i int) { errs[i] = query(ctx, h, c, fmt.Sprintf("r%d-%d", round, i)) })
		if got := scenario.FirstErrors(errs); len(got) > 0 {
			t.Fatalf("round %d: %v", round, got)
		}
		if got, want := org.Logins.Load(), int64(round+1); got != want {
			t.Fatalf("round %d: logins = %d, want %d", round, got, want)
		}
		org.KillAll()
	}
	if org.Calls.Load() != 2000 || org.Duplicates.Load() != 0 || org.RejectedFor(fakevendor.ReasonWrongEndpoint) != 0 {
		t.Errorf("calls %d, duplicates %d, rejections %v", org.Calls.Load(), org.Duplicates.Load(), org.Reasons())
	}
	if h.LoginsSeen() != org.Logins.Load() {
		t.Errorf("events report %d logins, the server saw %d", h.LoginsSeen(), org.Logins.Load())
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
	h.NoSecrets(org.Secrets(), []string{sfPassword})
}

// Close never logs out (a Salesforce logout ends the session for every
// user of it); a second client on the same store reuses the session.
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
	if err := a.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := query(ctx, h, b, "after a closed"); err != nil {
		t.Fatal(err)
	}
	if org.Logins.Load() != 1 || org.Logouts.Load() != 0 {
		t.Errorf("logins %d (want 1: one shared session), logouts %d (want 0)", org.Logins.Load(), org.Logouts.Load())
	}
	h.NoSecrets(org.Secrets(), []string{sfPassword})
}

// A burst of callers with a wrong password causes one login attempt and
// one clear error for each, naming the user and never the password.
func TestSalesforceBadPasswordOneAttempt(t *testing.T) {
	h := scenario.New(t)
	org := newOrg(t, fakevendor.SalesforceConfig{})
	c := sfClient(h, org, "not-the-password")
	errs := make([]error, 50)
	scenario.Parallel(50, func(i int) { errs[i] = query(context.Background(), h, c, fmt.Sprint("b", i)) })
	for _, err := range errs {
		var f *runtime.Fault
		if !errors.As(err, &f) || !strings.Contains(err.Error(), "INVALID_LOGIN") {
			t.Fatalf("err = %v, want the INVALID_LOGIN fault", err)
		}
	}
	if got := org.RejectedFor(fakevendor.ReasonBadCredentials); got != 1 {
		t.Errorf("login attempts with the bad password = %d, want 1 (no storm)", got)
	}
	h.NoSecrets(org.Secrets(), []string{"not-the-password"})
}

// InvalidateSessions ends sessions in batches of 200 and reports one
// result per id; the client's own session among them is forgotten, so its
// next call logs in again instead of failing.
func TestSalesforceInvalidateSessions(t *testing.T) {
	h := scenario.New(t)
	org := newOrg(t, fakevendor.SalesforceConfig{})
	c := sfClient(h, org, sfPassword)
	ctx := context.Background()
	if err := query(ctx, h, c, "first"); err != nil {
		t.Fatal(err)
	}
	ids := append(org.SessionIDs(), make([]string, 250)...)
	for i := 1; i < len(ids); i++ {
		ids[i] = fmt.Sprintf("00Dxx-unknown-%04d", i)
	}
	res, err := c.InvalidateSessions(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(ids) || res[0] != nil {
		t.Fatalf("%d results, first %v; want %d and nil", len(res), res[0], len(ids))
	}
	var ie *runtime.InvalidateError
	if !errors.As(res[1], &ie) || ie.Code == "" || strings.Contains(res[1].Error(), ids[1]) {
		t.Errorf("result for an unknown id = %v; want an InvalidateError with a code and without the id", res[1])
	}
	if got := org.InvalidateCalls.Load(); got != 2 {
		t.Errorf("invalidateSessions calls = %d, want 2 (251 ids, 200 a call)", got)
	}
	if err := query(ctx, h, c, "after"); err != nil || org.Logins.Load() != 2 {
		t.Errorf("after invalidating its own session: %v, logins %d (want 2)", err, org.Logins.Load())
	}
	h.NoSecrets(org.Secrets(), []string{sfPassword})
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
