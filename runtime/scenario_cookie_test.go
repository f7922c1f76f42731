package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// These scenarios run variants of templates/cookie.yaml that no golden
// client is generated with: scope exchange with relogin never (the
// stateful endpoint), scope call (SAP mode None), and SOAP 1.2. The
// built-in itself (scope shared) is driven through the generated
// cookie-sap client in e2e/cookie_test.go.

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
