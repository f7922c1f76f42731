package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	siebel "github.com/wsdlsess/wsdlsess/golden/siebel"
	order "github.com/wsdlsess/wsdlsess/golden/siebel-stateful"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/internal/scenario"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// The Siebel built-ins against a fake that answers with real Siebel's
// texts: a killed session, an expired token, a lost answer and a wrong
// password, each with SessionType Stateless (recovered by one relogin) and
// Stateful (runtime.ErrSessionLost, never a silent relogin).

// sbCaller makes one call with text as its payload.
type sbCaller func(ctx context.Context, text string) error

// sbStateless is a siebel-stateless client (the built-in's pool of 4).
func sbStateless(t *testing.T, h *scenario.Harness, endpoint string, clock runtime.Clock, pass string) sbCaller {
	c, err := siebel.NewSiebelSpcAccountClient(append(h.Options(), runtime.WithEndpoint(endpoint),
		runtime.WithCredentials(runtime.Password(sbUser, pass)), runtime.WithClock(clock))...)
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(c)
	return func(ctx context.Context, text string) error {
		_, err := c.AccountQueryPage(ctx, &siebel.AccountSpcQuerySpcPageInput{NamedSearchSpec: ptr(text)})
		return h.Err(err)
	}
}

// sbStateful is a siebel-stateful client; exchange returns the calls of a
// new exchange.
func sbStateful(t *testing.T, h *scenario.Harness, endpoint string, clock runtime.Clock, pass string) (exchange func() sbCaller) {
	c, err := order.NewClient(append(h.Options(), runtime.WithEndpoint(endpoint),
		runtime.WithCredentials(runtime.Password(sbUser, pass)), runtime.WithClock(clock))...)
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(c)
	return func() sbCaller {
		ex := c.Exchange()
		h.CloseAtCleanup(ex)
		return func(ctx context.Context, text string) error {
			_, err := ex.OrderCreate(ctx, &order.OrderCreateInput{Account: text})
			return h.Err(err)
		}
	}
}

// A killed server session. Stateless, under load, with Siebel's default
// task affinity: the token of a killed session is answered with
// SBL-UIF-00880, and the pool replaces that session alone (before, the
// dead session stayed in the pool and every call routed to it failed).
// Stateful: the exchange's calls fail with ErrSessionLost.
func TestSiebelKilledSession(t *testing.T) {
	t.Run("stateless", func(t *testing.T) {
		h := scenario.New(t)
		rng := mrand.New(mrand.NewPCG(3, 7))
		var srv *fakevendor.Siebel
		var accepted, killed atomic.Int64
		srv = newSiebel(t, fakevendor.SiebelConfig{TaskAffinity: true, OnCall: func(string) {
			if accepted.Add(1)%25 == 0 && srv.KillRandom(rng) {
				killed.Add(1)
			}
		}})
		call := sbStateless(t, h, srv.URL(), srv.Clock(), sbPassword)
		const callers, each = 8, 25
		errs := make([]error, callers)
		scenario.Parallel(callers, func(i int) {
			for j := range each {
				if err := call(context.Background(), fmt.Sprintf("k%d-%d", i, j)); err != nil {
					errs[i] = err
					return
				}
			}
		})
		if got := scenario.FirstErrors(errs); len(got) > 0 {
			t.Fatal(got)
		}
		if killed.Load() == 0 || srv.RejectedFor(fakevendor.ReasonStateLost) == 0 {
			t.Fatalf("killed %d sessions, %d rejected: the test tested nothing", killed.Load(), srv.RejectedFor(fakevendor.ReasonStateLost))
		}
		if srv.Calls.Load() != callers*each || srv.Stale.Load() != 0 || srv.Violations.Load() != 0 || srv.Duplicates.Load() != 0 {
			t.Errorf("calls %d (want %d), stale %d, violations %d, duplicates %d", srv.Calls.Load(), callers*each, srv.Stale.Load(), srv.Violations.Load(), srv.Duplicates.Load())
		}
		if l, k := srv.Logins.Load(), killed.Load(); l > k+4 {
			t.Errorf("logins = %d for %d killed sessions and a pool of 4", l, k)
		}
		h.NoSecrets(srv.Secrets(), []string{sbPassword})
	})
	t.Run("stateful", func(t *testing.T) {
		h := scenario.New(t)
		srv := newSiebel(t, fakevendor.SiebelConfig{})
		call := sbStateful(t, h, srv.URL(), srv.Clock(), sbPassword)()
		ctx := context.Background()
		if err := call(ctx, "ACME"); err != nil {
			t.Fatal(err)
		}
		srv.KillAll()
		err := call(ctx, "ACME-2")
		var f *runtime.Fault
		if !errors.Is(err, runtime.ErrSessionLost) || !errors.As(err, &f) || f.String != fakevendor.SiebelTokenEnded {
			t.Fatalf("err = %v, want ErrSessionLost wrapping the SBL-UIF-00880 fault", err)
		}
		if srv.Logins.Load() != 1 {
			t.Errorf("logins = %d, want 1 (no silent relogin)", srv.Logins.Load())
		}
		h.NoSecrets(srv.Secrets(), []string{sbPassword})
	})
}

// A token the server lets expire (its SessionTokenTimeout is shorter than
// the profile says, so the client cannot renew it early): Siebel answers
// "Session Token is missing or invalid or has expired". Stateless logs in
// once and resends; stateful surfaces ErrSessionLost.
func TestSiebelExpiredToken(t *testing.T) {
	for _, stateful := range []bool{false, true} {
		t.Run(map[bool]string{false: "stateless", true: "stateful"}[stateful], func(t *testing.T) {
			h := scenario.New(t)
			srv := newSiebel(t, fakevendor.SiebelConfig{SessionTimeout: 5 * time.Minute, TokenTimeout: 5 * time.Minute})
			var call sbCaller
			if stateful {
				call = sbStateful(t, h, srv.URL(), srv.Clock(), sbPassword)()
			} else {
				call = sbStateless(t, h, srv.URL(), srv.Clock(), sbPassword)
			}
			ctx := context.Background()
			if err := call(ctx, "before"); err != nil {
				t.Fatal(err)
			}
			srv.Clock().Advance(6 * time.Minute)
			err := call(ctx, "after")
			if srv.RejectedFor(fakevendor.ReasonTokenTimeout) != 1 {
				t.Fatalf("the server rejected %v, want one token timeout", srv.Reasons())
			}
			if stateful {
				var f *runtime.Fault
				if !errors.Is(err, runtime.ErrSessionLost) || !errors.As(err, &f) || f.String != fakevendor.SiebelTokenInvalid {
					t.Fatalf("err = %v, want ErrSessionLost wrapping the expired-token fault", err)
				}
				if srv.Logins.Load() != 1 {
					t.Errorf("logins = %d, want 1 (no silent relogin)", srv.Logins.Load())
				}
			} else {
				if err != nil {
					t.Fatalf("the expired token was not replaced: %v", err)
				}
				if srv.Logins.Load() != 2 || srv.Calls.Load() != 2 {
					t.Errorf("logins %d, calls %d; want 2 and 2", srv.Logins.Load(), srv.Calls.Load())
				}
			}
			h.NoSecrets(srv.Secrets(), []string{sbPassword})
		})
	}
}

// loseAnswers is a proxy in front of srv that forwards every request and,
// for one whose body contains marker, lets the server process it and then
// closes the connection instead of answering: the client never learns the
// token the server rotated to.
func loseAnswers(t *testing.T, srv *fakevendor.Siebel, marker string) (endpoint string, lost *atomic.Int64) {
	target, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{}
	lost = &atomic.Int64{}
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		req, err := http.NewRequestWithContext(r.Context(), r.Method, target.Scheme+"://"+target.Host+r.URL.RequestURI(), bytes.NewReader(body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		req.Header = r.Header.Clone()
		resp, err := tr.RoundTrip(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if bytes.Contains(body, []byte(marker)) {
			lost.Add(1)
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = w.Write(answer)
	}))
	t.Cleanup(func() {
		proxy.Close()
		tr.CloseIdleConnections()
	})
	return proxy.URL + target.RequestURI(), lost
}

// An answer lost on a rotating session: the server processed the call and
// rotated the token, the client never saw the new one. The token it holds
// is superseded, so it must never be sent again: stateless opens a new
// session for the next call; stateful's next call fails with
// ErrSessionLost. Either way the server never sees the superseded token.
func TestSiebelLostAnswerOnRotatingSession(t *testing.T) {
	for _, stateful := range []bool{false, true} {
		t.Run(map[bool]string{false: "stateless", true: "stateful"}[stateful], func(t *testing.T) {
			h := scenario.New(t)
			srv := newSiebel(t, fakevendor.SiebelConfig{})
			endpoint, lost := loseAnswers(t, srv, "LOSE-ANSWER")
			var call sbCaller
			if stateful {
				call = sbStateful(t, h, endpoint, srv.Clock(), sbPassword)()
			} else {
				call = sbStateless(t, h, endpoint, srv.Clock(), sbPassword)
			}
			ctx := context.Background()
			if err := call(ctx, "first"); err != nil {
				t.Fatal(err)
			}
			if err := call(ctx, "LOSE-ANSWER"); err == nil || lost.Load() != 1 {
				t.Fatalf("the lost answer: err %v, %d lost", err, lost.Load())
			}
			err := call(ctx, "next")
			if stateful {
				if !errors.Is(err, runtime.ErrSessionLost) {
					t.Errorf("after a lost answer: %v, want ErrSessionLost", err)
				}
			} else if err != nil {
				t.Errorf("after a lost answer: %v", err)
			}
			if srv.Stale.Load() != 0 {
				t.Errorf("the superseded token was sent %d times (rejections %v)", srv.Stale.Load(), srv.Reasons())
			}
			h.NoSecrets(srv.Secrets(), []string{sbPassword})
		})
	}
}

// A wrong password with a burst of 50 callers: one login attempt (Siebel
// locks accounts after a few), and every caller gets an error that says
// the login failed and wraps Siebel's fault, never ErrSessionLost. Stateless:
// 50 goroutines on one client (its pool of 4). Stateful: 50 exchanges.
func TestSiebelWrongPasswordBurst(t *testing.T) {
	const wrong = "pw-wrong-Siebel-3"
	for _, stateful := range []bool{false, true} {
		t.Run(map[bool]string{false: "stateless", true: "stateful"}[stateful], func(t *testing.T) {
			h := scenario.New(t)
			srv := newSiebel(t, fakevendor.SiebelConfig{})
			var calls func() sbCaller
			if stateful {
				calls = sbStateful(t, h, srv.URL(), srv.Clock(), wrong)
			} else {
				c := sbStateless(t, h, srv.URL(), srv.Clock(), wrong)
				calls = func() sbCaller { return c }
			}
			const n = 50
			callers := make([]sbCaller, n)
			for i := range callers {
				callers[i] = calls()
			}
			errs := make([]error, n)
			scenario.Parallel(n, func(i int) { errs[i] = callers[i](context.Background(), fmt.Sprint("w", i)) })
			for i, err := range errs {
				var f *runtime.Fault
				if !errors.As(err, &f) || f.String != fakevendor.SiebelLoginIncorrect {
					t.Fatalf("caller %d: %v, want Siebel's wrong-password fault", i, err)
				}
				if !strings.Contains(err.Error(), "login failed") || errors.Is(err, runtime.ErrSessionLost) {
					t.Fatalf("caller %d: %q, want an error that says the login failed", i, err)
				}
			}
			if srv.Logins.Load() != 1 || srv.RejectedFor(fakevendor.ReasonBadCredentials) != 1 {
				t.Errorf("%d login attempts for a burst of %d callers, want 1", srv.Logins.Load(), n)
			}
			if got := h.CountEvents(runtime.EventLoginFailed); got != 1 {
				t.Errorf("login-failed events = %d, want 1", got)
			}
			h.NoSecrets(srv.Secrets(), []string{sbPassword, wrong})
		})
	}
}
