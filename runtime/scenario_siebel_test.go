package runtime_test

import (
	"context"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

const sbPassword = "EAI-Pa55word"

func newSiebel(t *testing.T, cfg fakevendor.SiebelConfig) *fakevendor.Siebel {
	if cfg.Users == nil {
		cfg.Users = map[string]string{"EAIUSER": sbPassword}
	}
	s := fakevendor.NewSiebel(cfg)
	t.Cleanup(s.Close)
	return s
}

func sbClient(h *harness, sb *fakevendor.Siebel, p *impl.Profile, opts ...runtime.Option) *runtime.Client {
	return h.newClient(service("SiebelAccount", sb.URL(), p), append([]runtime.Option{
		runtime.WithEndpoint(sb.URL()),
		runtime.WithCredentials(runtime.Password("EAIUSER", sbPassword)),
		runtime.WithClock(sb.Clock()),
	}, opts...)...)
}

func sbCall(ctx context.Context, h *harness, c *runtime.Client, text string) (echoOut, error) {
	var out echoOut
	err := h.err(c.Invoke(ctx, sbOpQuery, &sbQuery{Text: text}, &out))
	if err == nil && (out.Text != text || out.User != "EAIUSER") {
		err = fmt.Errorf("call %q answered with %+v", text, out)
	}
	return out, err
}

// 200 concurrent callers over a pool of 4 rotating sessions: the server
// never sees a stale token, never sees one token used by two requests at
// once, and never has to refuse a session.
func TestScenarioSiebelRotationPool(t *testing.T) {
	h := newHarness(t)
	const pool = 4
	sb := newSiebel(t, fakevendor.SiebelConfig{MaxSessions: pool})
	c := sbClient(h, sb, sbProfile(fakevendor.SiebelStateless, impl.Limits{}, pool), runtime.WithPoolSize(pool))
	const callers, each = 200, 5
	errs := make([]error, callers)
	parallel(callers, func(i int) {
		for j := range each {
			if _, err := sbCall(context.Background(), h, c, fmt.Sprintf("c%d-%d", i, j)); err != nil {
				errs[i] = err
				return
			}
		}
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("caller %d: %v (and maybe others: %v)", i, err, firstErrors(errs))
		}
	}
	if sb.Stale.Load() != 0 || sb.Violations.Load() != 0 || sb.Rejected.Load() != 0 {
		t.Errorf("stale %d, violations %d, rejected %v", sb.Stale.Load(), sb.Violations.Load(), sb.Reasons())
	}
	if got := sb.Calls.Load(); got != callers*each || sb.Duplicates.Load() != 0 {
		t.Errorf("accepted %d calls (%d duplicates), want %d", got, sb.Duplicates.Load(), callers*each)
	}
	if l := sb.Logins.Load(); l < 1 || l > pool {
		t.Errorf("logins = %d, want 1..%d", l, pool)
	}
	if h.loginsSeen() != sb.Logins.Load() {
		t.Errorf("events report %d logins, the server saw %d", h.loginsSeen(), sb.Logins.Load())
	}
	if got := int64(h.countEvents(runtime.EventRotate)); got != sb.Calls.Load()-sb.Logins.Load() {
		t.Errorf("%d rotate events for %d calls on %d sessions, want one per call after each session's first", got, sb.Calls.Load(), sb.Logins.Load())
	}
	h.noSecrets(sb.Secrets())
}

// Stateless: a closed server session is re-opened by the server, a
// rejected token by the client; the caller sees neither.
func TestScenarioSiebelStatelessReloginInvisible(t *testing.T) {
	h := newHarness(t)
	sb := newSiebel(t, fakevendor.SiebelConfig{})
	c := sbClient(h, sb, sbProfile(fakevendor.SiebelStateless, impl.Limits{}, 1))
	ctx := context.Background()
	if _, err := sbCall(ctx, h, c, "first"); err != nil {
		t.Fatal(err)
	}
	sb.KillAll() // server side closed, token still valid
	if _, err := sbCall(ctx, h, c, "after server-side close"); err != nil {
		t.Fatalf("stateless call after server-side close: %v", err)
	}
	if sb.ServerRelogins.Load() != 1 || sb.Logins.Load() != 1 {
		t.Errorf("server relogins %d, client logins %d; want 1 and 1", sb.ServerRelogins.Load(), sb.Logins.Load())
	}
	for _, tok := range sb.Tokens() {
		sb.RevokeToken(tok) // the token itself is rejected now
	}
	if _, err := sbCall(ctx, h, c, "after token revoked"); err != nil {
		t.Fatalf("stateless call after token rejection: %v", err)
	}
	if sb.Logins.Load() != 2 || sb.RejectedFor(fakevendor.ReasonKilled) != 1 {
		t.Errorf("logins %d, rejections %v; want 2 logins after one rejected token", sb.Logins.Load(), sb.Reasons())
	}
	if sb.Duplicates.Load() != 0 || sb.Stale.Load() != 0 {
		t.Errorf("duplicates %d stale %d", sb.Duplicates.Load(), sb.Stale.Load())
	}
	h.noSecrets(sb.Secrets())
}

// Stateful: when the session is gone the caller gets ErrSessionLost and the
// client does not log in again behind its back.
func TestScenarioSiebelStatefulLoss(t *testing.T) {
	h := newHarness(t)
	sb := newSiebel(t, fakevendor.SiebelConfig{})
	c := sbClient(h, sb, sbProfile(fakevendor.SiebelStateful, impl.Limits{}, 1))
	ctx := context.Background()
	ex := c.Exchange()
	for i := 1; i <= 2; i++ {
		out, err := sbCall(ctx, h, ex, fmt.Sprintf("step %d", i))
		if err != nil {
			t.Fatal(err)
		}
		if out.Seq != int64(i) {
			t.Fatalf("step %d ran as call %d of its session: the exchange did not keep one session", i, out.Seq)
		}
	}
	sb.KillAll()
	_, err := sbCall(ctx, h, ex, "step 3")
	if !errors.Is(err, runtime.ErrSessionLost) {
		t.Fatalf("after losing a stateful session: %v, want ErrSessionLost", err)
	}
	if sb.Logins.Load() != 1 {
		t.Errorf("logins = %d: a stateful session must not be replaced silently", sb.Logins.Load())
	}
	if err := h.err(ex.Close(ctx)); err != nil {
		t.Errorf("Close after loss: %v", err)
	}
	h.noSecrets(sb.Secrets())
}

// SessionType None: credentials on every request, no session kept.
func TestScenarioSiebelNone(t *testing.T) {
	h := newHarness(t)
	sb := newSiebel(t, fakevendor.SiebelConfig{})
	c := sbClient(h, sb, sbProfile(fakevendor.SiebelNone, impl.Limits{}, 0))
	for i := range 10 {
		if _, err := sbCall(context.Background(), h, c, fmt.Sprintf("n%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if sb.Logins.Load() != 10 || sb.Logouts.Load() != 10 || sb.Rejected.Load() != 0 {
		t.Errorf("logins %d logouts %d rejected %v", sb.Logins.Load(), sb.Logouts.Load(), sb.Reasons())
	}
	// A wrong password fails that one call, once, without echoing it.
	const wrong = "wrong-EAI-Pa55"
	bad := sbClient(h, sb, sbProfile(fakevendor.SiebelNone, impl.Limits{}, 0), runtime.WithCredentials(runtime.Password("EAIUSER", wrong)))
	if _, err := sbCall(context.Background(), h, bad, "bad"); err == nil {
		t.Fatal("a wrong password was accepted")
	}
	if sb.Logins.Load() != 11 {
		t.Errorf("logins = %d after one failed call, want 11 (no retry)", sb.Logins.Load())
	}
	h.noSecrets(sb.Secrets(), []string{wrong})
}

// The three Siebel timeouts on the fake clock: a client that knows
// SessionTokenTimeout and SessionTokenMaxAge logs in again before either
// is reached, so no call is ever rejected for a predictable expiry.
func TestScenarioSiebelTimeoutsNoRejection(t *testing.T) {
	h := newHarness(t)
	sb := newSiebel(t, fakevendor.SiebelConfig{
		SessionTimeout: 10 * minute,
		TokenTimeout:   15 * minute,
		TokenMaxAge:    40 * minute,
	})
	limits := impl.Limits{TokenIdle: 15 * minute, MaxAge: 40 * minute, RefreshMargin: 30 * time.Second}
	c := sbClient(h, sb, sbProfile(fakevendor.SiebelStateless, limits, 1))
	ctx := context.Background()
	// Each limit is reached on its own, so that one check cannot mask the
	// absence of another (ages are since the last login).
	steps := []time.Duration{
		0,
		14*minute + 29*time.Second,                     // token idle just short of the margin
		16 * minute,                                    // token idle past SessionTokenTimeout, age 30m29s
		14*minute + 45*time.Second,                     // token idle inside the margin
		9 * minute, 9 * minute, 9 * minute, 9 * minute, // age 36m, each use refreshing the token
		9 * minute,  // age 45m: past SessionTokenMaxAge
		11 * minute, // session idle past SessionTimeout: the server re-logs in itself
		1 * minute, 39 * minute, 30 * time.Second,
	}
	for i, d := range steps {
		sb.Clock().Advance(d)
		if _, err := sbCall(ctx, h, c, fmt.Sprintf("step %d", i)); err != nil {
			t.Fatalf("step %d (+%v): %v", i, d, err)
		}
	}
	if sb.Rejected.Load() != 0 {
		t.Errorf("calls rejected for a known limit: %v", sb.Reasons())
	}
	if l := sb.Logins.Load(); l < 3 || l >= int64(len(steps)) {
		t.Errorf("logins = %d over %d calls: want a re-login before each limit, not one per call", l, len(steps))
	}
	h.noSecrets(sb.Secrets())
}

// Parallel stateful exchanges each keep a dedicated session: their calls
// run in order in their own session, one login each, no token shared.
func TestScenarioSiebelParallelStatefulExchanges(t *testing.T) {
	h := newHarness(t)
	sb := newSiebel(t, fakevendor.SiebelConfig{})
	c := sbClient(h, sb, sbProfile(fakevendor.SiebelStateful, impl.Limits{}, 1))
	const exchanges, steps = 10, 5
	errs := make([]error, exchanges)
	sessions := make([]string, exchanges)
	parallel(exchanges, func(i int) {
		ctx := context.Background()
		ex := c.Exchange()
		defer func() {
			if err := h.err(ex.Close(ctx)); err != nil && errs[i] == nil {
				errs[i] = err
			}
		}()
		for j := 1; j <= steps; j++ {
			out, err := sbCall(ctx, h, ex, fmt.Sprintf("x%d-step%d", i, j))
			if err != nil {
				errs[i] = err
				return
			}
			if out.Seq != int64(j) {
				errs[i] = fmt.Errorf("exchange %d step %d ran as call %d of its session", i, j, out.Seq)
				return
			}
			sessions[i] = out.Session
		}
	})
	seen := map[string]bool{}
	for i, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
		if seen[sessions[i]] {
			t.Errorf("two exchanges shared session %s", sessions[i])
		}
		seen[sessions[i]] = true
	}
	if sb.Logins.Load() != exchanges || sb.Rejected.Load() != 0 || sb.Violations.Load() != 0 {
		t.Errorf("logins %d (want %d), rejected %v, violations %d", sb.Logins.Load(), exchanges, sb.Reasons(), sb.Violations.Load())
	}
	h.noSecrets(sb.Secrets())
}

// Tokens revoked at random during a load on a pool: every call succeeds,
// only the rejected ones are resent, and the server never sees a stale
// token or a token used twice at once.
func TestScenarioSiebelRevocationsUnderLoad(t *testing.T) {
	h := newHarness(t)
	const pool = 4
	rng := mrand.New(mrand.NewPCG(3, 5))
	var (
		sb       *fakevendor.Siebel
		accepted atomic.Int64
		revoked  atomic.Int64
	)
	sb = newSiebel(t, fakevendor.SiebelConfig{OnCall: func(string) {
		// Revoke some token every 50 accepted calls; with a pool of 4 a
		// call meets at most one revocation before its resend.
		if accepted.Add(1)%50 == 0 && sb.RevokeRandom(rng) {
			revoked.Add(1)
		}
	}})
	c := sbClient(h, sb, sbProfile(fakevendor.SiebelStateless, impl.Limits{}, pool), runtime.WithPoolSize(pool))
	const callers, each = 40, 25
	errs := make([]error, callers)
	parallel(callers, func(i int) {
		for j := range each {
			if _, err := sbCall(context.Background(), h, c, fmt.Sprintf("c%d-%d", i, j)); err != nil {
				errs[i] = err
				return
			}
		}
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("caller %d: %v", i, err)
		}
	}
	if revoked.Load() == 0 {
		t.Fatal("nothing was revoked: the scenario tested nothing")
	}
	if sb.Stale.Load() != 0 || sb.Violations.Load() != 0 || sb.Duplicates.Load() != 0 {
		t.Errorf("stale %d, violations %d, duplicates %d", sb.Stale.Load(), sb.Violations.Load(), sb.Duplicates.Load())
	}
	if sb.Calls.Load() != callers*each {
		t.Errorf("accepted %d calls, want %d", sb.Calls.Load(), callers*each)
	}
	if l, r := sb.Logins.Load(), revoked.Load(); l > r+pool {
		t.Errorf("logins = %d for %d revocations and a pool of %d", l, r, pool)
	}
	t.Logf("%d calls, %d revocations, %d logins, rejections %v", sb.Calls.Load(), revoked.Load(), sb.Logins.Load(), sb.Reasons())
	h.noSecrets(sb.Secrets())
}
