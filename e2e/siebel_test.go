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
	if srv.Logins.Load() != 20 || srv.Logouts.Load() != 20 || srv.LiveSessions() != 0 || srv.Violations.Load() != 0 || srv.Rejected.Load() != 0 {
		t.Errorf("logins %d, logouts %d, live %d, violations %d, rejections %v; want 20, 20, 0, 0, none", srv.Logins.Load(), srv.Logouts.Load(), srv.LiveSessions(), srv.Violations.Load(), srv.Reasons())
	}
	// A wrong password: one clear error that does not carry it, and no
	// retry.
	bad, err := lov.NewClient(append(h.Options(), runtime.WithEndpoint(srv.URL()), runtime.WithCredentials(runtime.Password(sbUser, "pw-wrong-Siebel")))...)
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(bad)
	if _, err := bad.LOVQuery(context.Background(), &lov.LOVQueryInput{Type: "X"}); h.Err(err) == nil {
		t.Error("a wrong password was accepted")
	}
	if srv.Logins.Load() != 21 {
		t.Errorf("logins = %d after one failed call, want 21 (no retry)", srv.Logins.Load())
	}
	h.NoSecrets(srv.Secrets(), []string{sbPassword, "pw-wrong-Siebel"})
}

// 200 concurrent callers over the stateless profile's pool of 4 rotating
// sessions, on a server that allows 4: the server never sees a stale
// token, never one token used by two requests at once, and never has to
// refuse a session; every call after a session's first rotates its token.
func TestSiebelStatelessRotationPool(t *testing.T) {
	h := scenario.New(t)
	const pool = 4 // templates/siebel-stateless.yaml
	srv := newSiebel(t, fakevendor.SiebelConfig{MaxSessions: pool})
	c, err := siebel.NewSiebelSpcAccountClient(sbOptions(h, srv)...)
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(c)
	const callers, each = 200, 5
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
	if srv.Stale.Load() != 0 || srv.Violations.Load() != 0 || srv.Rejected.Load() != 0 {
		t.Errorf("stale %d, violations %d, rejections %v", srv.Stale.Load(), srv.Violations.Load(), srv.Reasons())
	}
	if got := srv.Calls.Load(); got != callers*each || srv.Duplicates.Load() != 0 {
		t.Errorf("calls %d (want %d), duplicates %d", got, callers*each, srv.Duplicates.Load())
	}
	if l := srv.Logins.Load(); l < 1 || l > pool {
		t.Errorf("logins = %d, want 1..%d", l, pool)
	}
	if h.LoginsSeen() != srv.Logins.Load() {
		t.Errorf("events report %d logins, the server saw %d", h.LoginsSeen(), srv.Logins.Load())
	}
	if got := int64(h.CountEvents(runtime.EventRotate)); got != srv.Calls.Load()-srv.Logins.Load() {
		t.Errorf("%d rotate events for %d calls on %d sessions, want one per call after each session's first", got, srv.Calls.Load(), srv.Logins.Load())
	}
	h.NoSecrets(srv.Secrets(), []string{sbPassword})
}

// Stateless without task affinity: a session the server closed is
// re-opened by the server itself, a token it rejects by the client with
// one login; the caller sees neither.
func TestSiebelStatelessReloginInvisible(t *testing.T) {
	h := scenario.New(t)
	srv := newSiebel(t, fakevendor.SiebelConfig{})
	call := sbStateless(t, h, srv.URL(), srv.Clock(), sbPassword)
	ctx := context.Background()
	if err := call(ctx, "first"); err != nil {
		t.Fatal(err)
	}
	srv.KillAll() // server side closed, token still valid
	if err := call(ctx, "after server-side close"); err != nil {
		t.Fatalf("after a server-side close: %v", err)
	}
	if srv.ServerRelogins.Load() != 1 || srv.Logins.Load() != 1 {
		t.Errorf("server relogins %d, client logins %d; want 1 and 1", srv.ServerRelogins.Load(), srv.Logins.Load())
	}
	for _, tok := range srv.Tokens() {
		srv.RevokeToken(tok) // the token itself is rejected now
	}
	if err := call(ctx, "after token revoked"); err != nil {
		t.Fatalf("after the token was rejected: %v", err)
	}
	if srv.Logins.Load() != 2 || srv.RejectedFor(fakevendor.ReasonKilled) != 1 {
		t.Errorf("logins %d, rejections %v; want 2 logins after one rejected token", srv.Logins.Load(), srv.Reasons())
	}
	if srv.Duplicates.Load() != 0 || srv.Stale.Load() != 0 {
		t.Errorf("duplicates %d, stale %d", srv.Duplicates.Load(), srv.Stale.Load())
	}
	h.NoSecrets(srv.Secrets(), []string{sbPassword})
}

// The Siebel timeouts on the fake clock, with the stateless built-in's
// limits (token idle 15m, max age 48h, refresh margin 30s): the client
// logs in again before either limit is reached, so no call is ever
// rejected for a predictable expiry; the session idle timeout, which the
// profile leaves out, the server handles by re-opening the session.
func TestSiebelStatelessTimeoutsNoRejection(t *testing.T) {
	h := scenario.New(t)
	srv := newSiebel(t, fakevendor.SiebelConfig{SessionTimeout: 10 * time.Minute, TokenTimeout: 15 * time.Minute, TokenMaxAge: 48 * time.Hour})
	call := sbStateless(t, h, srv.URL(), srv.Clock(), sbPassword)
	// Each limit is reached on its own, so that one check cannot mask the
	// absence of another (ages are since the last login).
	steps := []time.Duration{
		0,
		14*time.Minute + 29*time.Second, // token idle just short of the margin
		16 * time.Minute,                // token idle past SessionTokenTimeout
		14*time.Minute + 45*time.Second, // token idle inside the margin
	}
	for range 210 { // 49h of calls 14 minutes apart: past SessionTokenMaxAge
		steps = append(steps, 14*time.Minute)
	}
	steps = append(steps,
		11*time.Minute, // session idle past SessionTimeout: the server re-logs in itself
		1*time.Minute, 39*time.Minute, 30*time.Second)
	ctx := context.Background()
	for i, d := range steps {
		srv.Clock().Advance(d)
		if err := call(ctx, fmt.Sprintf("step %d", i)); err != nil {
			t.Fatalf("step %d (+%v): %v", i, d, err)
		}
	}
	if srv.Rejected.Load() != 0 {
		t.Errorf("calls rejected for a known limit: %v", srv.Reasons())
	}
	// The first call, the two token idles, the max age, the last token idle.
	if l := srv.Logins.Load(); l != 5 {
		t.Errorf("logins = %d over %d calls, want 5: one before each limit, not one per call", l, len(steps))
	}
	h.NoSecrets(srv.Secrets(), []string{sbPassword})
}

// Parallel stateful exchanges each keep a session of their own: one login
// each, all their calls accepted in it, no token shared or used twice at
// once.
func TestSiebelParallelStatefulExchanges(t *testing.T) {
	h := scenario.New(t)
	srv := newSiebel(t, fakevendor.SiebelConfig{})
	exchange := sbStateful(t, h, srv.URL(), srv.Clock(), sbPassword)
	const exchanges, steps = 10, 5
	calls := make([]sbCaller, exchanges)
	for i := range calls {
		calls[i] = exchange()
	}
	errs := make([]error, exchanges)
	scenario.Parallel(exchanges, func(i int) {
		for j := range steps {
			if err := calls[i](context.Background(), fmt.Sprintf("x%d-step%d", i, j)); err != nil {
				errs[i] = err
				return
			}
		}
	})
	if got := scenario.FirstErrors(errs); len(got) > 0 {
		t.Fatal(got)
	}
	if srv.Logins.Load() != exchanges || srv.Calls.Load() != exchanges*steps || srv.Rejected.Load() != 0 || srv.Violations.Load() != 0 || srv.Stale.Load() != 0 {
		t.Errorf("logins %d (want %d), calls %d (want %d), rejections %v, violations %d, stale %d",
			srv.Logins.Load(), exchanges, srv.Calls.Load(), exchanges*steps, srv.Reasons(), srv.Violations.Load(), srv.Stale.Load())
	}
	h.NoSecrets(srv.Secrets(), []string{sbPassword})
}
