package runtime

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	goruntime "runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// hdrServer is a credential-header server with rotating tokens, the Siebel
// way: a request with credentials opens a session when the password is
// right and is answered with a SOAP fault (no token) when it is wrong.
type hdrServer struct {
	url       string
	password  string
	withCreds atomic.Int64 // requests that carried the credentials
	opened    atomic.Int64
	mu        sync.Mutex
	// hold, when set, blocks every business call on a session until it
	// is closed; entered gets one value per held call.
	hold    chan struct{}
	entered chan struct{}
	latest  map[string]string // chain -> newest token
	chain   map[string]string // token -> chain
	n       int
}

func newHdrServer(t *testing.T, password string) *hdrServer {
	s := &hdrServer{password: password, latest: map[string]string{}, chain: map[string]string{}}
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		var ch string
		if u := q.header("UsernameToken"); u != nil {
			s.withCreds.Add(1)
			if p := q.header("PasswordText"); p == nil || p.Text != s.password {
				writeFault11(w, "soapenv:Server", "Error Code: 10944642 Error Message: Error: The user ID or password that you entered is incorrect")
				return
			}
			s.opened.Add(1)
			s.mu.Lock()
			s.n++
			ch = fmt.Sprint("c", s.n)
			s.mu.Unlock()
		} else {
			tok := q.header("SessionToken")
			s.mu.Lock()
			if tok != nil {
				ch = s.chain[tok.Text]
			}
			ok := ch != "" && s.latest[ch] == tok.Text
			hold, entered := s.hold, s.entered
			s.mu.Unlock()
			if !ok {
				writeFault11(w, "soapenv:Server", "Error Code: 10944642 Error Message: Error: Inbound SOAP Message - Session Token is missing or invalid or has expired")
				return
			}
			if hold != nil {
				entered <- struct{}{}
				<-hold
			}
		}
		s.mu.Lock()
		s.n++
		next := fmt.Sprintf("TOK-%s-%d", ch, s.n)
		s.latest[ch], s.chain[next] = next, ch
		s.mu.Unlock()
		writeSOAP(w, 200, fmt.Sprintf(`<SessionToken xmlns="%s">%s</SessionToken>`, nsSB, next), echoBody(q.body.find([]string{"Text"}).Text, ch))
	})
	s.url = srv.URL
	return s
}

// A SOAP fault answering the request that carried the credentials is a
// refused login: a burst of 50 callers makes one attempt, whether they
// share a pool of rotating sessions or each open an exchange of their own;
// every caller, the one whose request carried the credentials included,
// gets an error that says the login failed and wraps the server's fault.
func TestFaultRefusingCredentialHeadersOneAttempt(t *testing.T) {
	for _, tc := range []struct {
		name     string
		scope    impl.Scope
		exchange bool
	}{
		{"pool", impl.ScopeShared, false},
		{"exchanges", impl.ScopeExchange, true},
		{"calls", impl.ScopeExchange, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newHdrServer(t, "sb-right-1")
			before := goruntime.NumGoroutine()
			p := sbTestProfile("Stateless")
			p.Scope = tc.scope
			if tc.scope == impl.ScopeExchange {
				p.Relogin = impl.ReloginNever
			}
			rec := &recorder{}
			// The clock stands still: the refusal stays remembered for
			// every caller however late it is scheduled.
			c, err := NewClient(&impl.Service{Name: "S", Endpoint: s.url, Profile: p},
				WithCredentials(Password("sadmin", "sb-wrong-77")), WithPoolSize(4), WithClock(newFakeClock()), WithEvents(rec.add))
			if err != nil {
				t.Fatal(err)
			}
			const n = 50
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					cl := c
					if tc.exchange {
						cl = c.Exchange()
						defer cl.Close(context.Background())
					}
					_, errs[i] = echo(cl, t.Context(), fmt.Sprint("x", i))
				}()
			}
			wg.Wait()
			for i, err := range errs {
				var f *Fault
				if !errors.As(err, &f) || !strings.Contains(f.String, "user ID or password") {
					t.Fatalf("caller %d: %v, want the server's fault", i, err)
				}
				if !strings.Contains(err.Error(), "login failed") || errors.Is(err, ErrSessionLost) {
					t.Fatalf("caller %d: %q does not say the login failed", i, err)
				}
				if strings.Contains(err.Error(), "sb-wrong-77") {
					t.Fatalf("password in error: %v", err)
				}
			}
			if got := s.withCreds.Load(); got != 1 {
				t.Errorf("%d requests carried the wrong password, want 1", got)
			}
			if got := rec.count(EventLoginFailed); got != 1 {
				t.Errorf("login-failed events = %d, want 1", got)
			}
			if err := c.Close(context.Background()); err != nil {
				t.Error(err)
			}
			waitGoroutines(t, before)
		})
	}
}

// The refusal is remembered for loginBackoff only: then one caller tries
// again, and a right password (say, fixed in a PasswordFunc) opens the
// session.
func TestRefusedHeaderLoginRetriedAfterBackoff(t *testing.T) {
	s := newHdrServer(t, "sb-right-1")
	clk := newFakeClock()
	var pass atomic.Value
	pass.Store("sb-wrong-77")
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: s.url, Profile: sbTestProfile("Stateless")},
		WithCredentials(PasswordFunc("sadmin", func(context.Context) (string, error) { return pass.Load().(string), nil })),
		WithPoolSize(4), WithClock(clk))
	for range 3 {
		if _, err := echo(c, t.Context(), "x"); err == nil {
			t.Fatal("a wrong password worked")
		}
	}
	pass.Store("sb-right-1")
	if _, err := echo(c, t.Context(), "x"); err == nil {
		t.Fatal("the backoff did not hold")
	}
	clk.Advance(loginBackoff)
	if _, err := echo(c, t.Context(), "y"); err != nil {
		t.Fatalf("after the backoff: %v", err)
	}
	if got := s.withCreds.Load(); got != 2 {
		t.Errorf("%d requests carried credentials, want 2", got)
	}
}

// A pool opens a session only when every open one is busy: a sequential
// caller uses one session however many calls it makes, and a second
// session opens only while the first carries a call.
func TestPoolOpensSessionOnlyWhenAllBusy(t *testing.T) {
	s := newHdrServer(t, "sb-right-1")
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: s.url, Profile: sbTestProfile("Stateless")},
		WithCredentials(Password("sadmin", "sb-right-1")), WithPoolSize(4))
	for i := range 8 {
		if _, err := echo(c, t.Context(), fmt.Sprint("seq", i)); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.opened.Load(); got != 1 {
		t.Fatalf("a sequential caller opened %d sessions, want 1", got)
	}
	// Hold a call on the open session: the next call needs a second one.
	hold, entered := make(chan struct{}), make(chan struct{}, 1)
	s.mu.Lock()
	s.hold, s.entered = hold, entered
	s.mu.Unlock()
	done := make(chan error, 1)
	go func() {
		_, err := echo(c, t.Context(), "held")
		done <- err
	}()
	<-entered
	s.mu.Lock()
	s.hold = nil
	s.mu.Unlock()
	if _, err := echo(c, t.Context(), "while busy"); err != nil {
		t.Fatal(err)
	}
	if got := s.opened.Load(); got != 2 {
		t.Errorf("sessions opened while the only one was busy: %d, want 2", got)
	}
	close(hold)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for i := range 8 {
		if _, err := echo(c, t.Context(), fmt.Sprint("again", i)); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.opened.Load(); got != 2 {
		t.Errorf("sessions opened = %d after sequential calls, want still 2", got)
	}
}
