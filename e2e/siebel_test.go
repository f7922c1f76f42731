package e2e

import (
	"context"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	siebel "github.com/wsdlsess/wsdlsess/golden/siebel"
	lov "github.com/wsdlsess/wsdlsess/golden/siebel-none"
	order "github.com/wsdlsess/wsdlsess/golden/siebel-stateful"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/internal/scenario"
	"github.com/wsdlsess/wsdlsess/runtime"
)

const (
	sbUser     = "SADMIN"
	sbPassword = "pw-Siebel-51d0"
)

func newSiebel(t *testing.T, cfg fakevendor.SiebelConfig) *fakevendor.Siebel {
	cfg.Users = map[string]string{sbUser: sbPassword}
	srv := fakevendor.NewSiebel(cfg)
	t.Cleanup(srv.Close)
	return srv
}

func sbOptions(h *scenario.Harness, srv *fakevendor.Siebel, opts ...runtime.Option) []runtime.Option {
	return append(append(h.Options(), runtime.WithEndpoint(srv.URL()), runtime.WithCredentials(runtime.Password(sbUser, sbPassword)), runtime.WithClock(srv.Clock())), opts...)
}

func ptr[T any](v T) *T { return &v }

// The stateless profile under load, with tokens revoked at random: every
// call succeeds once, no superseded token is ever sent, no token is used
// by two requests at once, and at most pool-size sessions are open.
func TestSiebelStatelessRotationUnderLoad(t *testing.T) {
	h := scenario.New(t)
	rng := mrand.New(mrand.NewPCG(9, 4))
	var srv *fakevendor.Siebel
	var accepted, revoked atomic.Int64
	srv = newSiebel(t, fakevendor.SiebelConfig{OnCall: func(string) {
		if accepted.Add(1)%40 == 0 && srv.RevokeRandom(rng) {
			revoked.Add(1)
		}
	}})
	c, err := siebel.NewSiebelSpcAccountClient(sbOptions(h, srv)...) // the profile's pool of 4
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(c)
	const callers, each = 200, 3
	errs := make([]error, callers)
	scenario.Parallel(callers, func(i int) {
		for j := range each {
			in := &siebel.AccountSpcQuerySpcPageInput{NamedSearchSpec: ptr(fmt.Sprintf("c%d-%d", i, j))}
			if _, err := c.AccountQueryPage(context.Background(), in); err != nil {
				errs[i] = h.Err(err)
				return
			}
		}
	})
	if got := scenario.FirstErrors(errs); len(got) > 0 {
		t.Fatal(got)
	}
	if revoked.Load() == 0 {
		t.Fatal("no token was revoked: the test tested nothing")
	}
	if srv.Stale.Load() != 0 || srv.Violations.Load() != 0 || srv.Duplicates.Load() != 0 {
		t.Errorf("stale %d, violations %d, duplicates %d, rejections %v", srv.Stale.Load(), srv.Violations.Load(), srv.Duplicates.Load(), srv.Reasons())
	}
	if srv.Calls.Load() != callers*each {
		t.Errorf("calls = %d, want %d", srv.Calls.Load(), callers*each)
	}
	if l, r := srv.Logins.Load(), revoked.Load(); l > r+4 {
		t.Errorf("logins = %d for %d revocations and a pool of 4", l, r)
	}
	h.NoSecrets(srv.Secrets(), []string{sbPassword})
}

// The profile's limits (token idle 15m, refresh margin 30s) renew an idle
// token before the server would reject it: no rejection at all.
func TestSiebelStatelessTokenIdleRenewedEarly(t *testing.T) {
	h := scenario.New(t)
	srv := newSiebel(t, fakevendor.SiebelConfig{})
	c, err := siebel.NewSiebelSpcContactClient(sbOptions(h, srv)...)
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(c)
	ctx := context.Background()
	for i := range 3 {
		if _, err := c.ContactQueryPage(ctx, &siebel.ContactSpcQuerySpcPageInput{}); err != nil {
			t.Fatal(h.Err(err))
		}
		srv.Clock().Advance(14*time.Minute + 45*time.Second)
		_ = i
	}
	if srv.Rejected.Load() != 0 || srv.Logins.Load() != 3 {
		t.Errorf("rejections %v, logins %d; want none and 3 (each idle token replaced before its call)", srv.Reasons(), srv.Logins.Load())
	}
	h.NoSecrets(srv.Secrets(), []string{sbPassword})
}

// Stateful: one order across three calls in one exchange; when the server
// loses the session the call fails with ErrSessionLost and nothing logs in
// behind the caller's back.
func TestSiebelStatefulExchange(t *testing.T) {
	h := scenario.New(t)
	srv := newSiebel(t, fakevendor.SiebelConfig{})
	c, err := order.NewClient(sbOptions(h, srv)...)
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(c)
	ctx := context.Background()
	ex := c.Exchange()
	if _, err := ex.OrderCreate(ctx, &order.OrderCreateInput{Account: "ACME"}); err != nil {
		t.Fatal(h.Err(err))
	}
	if _, err := ex.OrderAddLine(ctx, &order.OrderAddLineInput{Product: "Widget", Quantity: "2"}); err != nil {
		t.Fatal(h.Err(err))
	}
	srv.KillAll()
	_, err = ex.OrderSubmit(ctx, &order.OrderSubmitInput{})
	if h.Err(err); !errors.Is(err, runtime.ErrSessionLost) {
		t.Fatalf("err = %v, want runtime.ErrSessionLost", err)
	}
	if _, err := ex.OrderSubmit(ctx, &order.OrderSubmitInput{}); !errors.Is(h.Err(err), runtime.ErrSessionLost) {
		t.Errorf("the exchange went on after its session was lost: %v", err)
	}
	if err := ex.Close(ctx); err != nil {
		t.Error(err)
	}
	if srv.Logins.Load() != 1 {
		t.Errorf("logins = %d, want 1 (no silent relogin)", srv.Logins.Load())
	}
	h.NoSecrets(srv.Secrets(), []string{sbPassword})
}

// SessionType None: credentials on every request, no token kept.
func TestSiebelNoneCredentialsEveryCall(t *testing.T) {
	h := scenario.New(t)
	srv := newSiebel(t, fakevendor.SiebelConfig{})
	c, err := lov.NewClient(sbOptions(h, srv)...)
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(c)
	errs := make([]error, 20)
	scenario.Parallel(20, func(i int) {
		_, errs[i] = c.LOVQuery(context.Background(), &lov.LOVQueryInput{Type: fmt.Sprint("T", i)})
		h.Err(errs[i])
	})
	if got := scenario.FirstErrors(errs); len(got) > 0 {
		t.Fatal(got)
	}
	if srv.Logins.Load() != 20 || srv.Logouts.Load() != 20 || srv.LiveSessions() != 0 || srv.Violations.Load() != 0 {
		t.Errorf("logins %d, logouts %d, live %d, violations %d; want 20, 20, 0, 0", srv.Logins.Load(), srv.Logouts.Load(), srv.LiveSessions(), srv.Violations.Load())
	}
	// A wrong password: one clear error that does not carry it.
	bad, err := lov.NewClient(append(h.Options(), runtime.WithEndpoint(srv.URL()), runtime.WithCredentials(runtime.Password(sbUser, "pw-wrong-Siebel")))...)
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(bad)
	if _, err := bad.LOVQuery(context.Background(), &lov.LOVQueryInput{Type: "X"}); h.Err(err) == nil {
		t.Error("a wrong password was accepted")
	}
	h.NoSecrets(srv.Secrets(), []string{sbPassword, "pw-wrong-Siebel"})
}
