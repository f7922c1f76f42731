package e2e

import (
	"context"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"strings"
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

// One login serves 200 goroutines that start with no session, and after
// the org kills it, one relogin serves 200 more; no call is lost or
// processed twice, and every call goes to the serverUrl.
func TestSalesforceOneLoginPerExpiry(t *testing.T) {
	h := scenario.New(t)
	org := newOrg(t, fakevendor.SalesforceConfig{})
	c := sfClient(h, org, sfPassword)
	ctx := context.Background()
	for round := range 2 {
		errs := make([]error, 200)
		scenario.Parallel(200, func(i int) { errs[i] = query(ctx, h, c, fmt.Sprintf("r%d-%d", round, i)) })
		if got := scenario.FirstErrors(errs); len(got) > 0 {
			t.Fatalf("round %d: %v", round, got)
		}
		if got, want := org.Logins.Load(), int64(round+1); got != want {
			t.Fatalf("round %d: logins = %d, want %d", round, got, want)
		}
		org.KillAll()
	}
	if org.Calls.Load() != 400 || org.Duplicates.Load() != 0 || org.RejectedFor(fakevendor.ReasonWrongEndpoint) != 0 {
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
