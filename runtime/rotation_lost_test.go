package runtime

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// loseServer is a Siebel-like server (the token rotates on every answer)
// that processes the call numbered lose, rotates its token, and then loses
// the answer as how says: a server that does this to a client that keeps
// the old token sees it again, stale.
type loseServer struct {
	mu     sync.Mutex
	latest string
	n      int
	lose   int64
	how    string // "reset", "hang" or "cut"
	calls  atomic.Int64
	logins atomic.Int64
	stale  atomic.Int64
	hung   chan struct{}
}

func newLoseServer(t *testing.T, lose int64, how string) (*loseServer, string) {
	s := &loseServer{lose: lose, how: how, hung: make(chan struct{})}
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		n := s.calls.Add(1)
		s.mu.Lock()
		switch tok := q.header("SessionToken"); {
		case q.header("UsernameToken") != nil:
			s.logins.Add(1)
		case tok == nil || tok.Text != s.latest:
			s.stale.Add(1)
			s.mu.Unlock()
			writeFault11(w, "s:Server", "SBL-UIF-00880 token rejected")
			return
		}
		s.n++
		s.latest = fmt.Sprint("SBTOKEN-", s.n)
		next := s.latest
		s.mu.Unlock()
		if n != s.lose {
			writeSOAP(w, 200, fmt.Sprintf(`<SessionToken xmlns="%s">%s</SessionToken>`, nsSB, next), echoBody("ok", ""))
			return
		}
		switch s.how {
		case "hang":
			<-q.r.Context().Done() // the client gave up
			close(s.hung)
		case "cut":
			// The status and part of the envelope, then the connection ends.
			w.Header().Set("Content-Type", "text/xml")
			w.Header().Set("Content-Length", "4000")
			w.WriteHeader(200)
			fmt.Fprintf(w, `<s:Envelope xmlns:s="%s"><s:Header><SessionToken xmlns="%s">`, nsSOAP11, nsSB)
			w.(http.Flusher).Flush()
			c, _, _ := w.(http.Hijacker).Hijack()
			reset(c)
		default:
			c, _, _ := w.(http.Hijacker).Hijack()
			reset(c)
		}
	})
	return s, srv.URL
}

// A rotating session whose answer was lost after the request was sent
// (reset before the answer, a deadline while waiting, a body cut off) is
// dropped: the next call logs in instead of sending the token the server
// has rotated away, and the lost call is not resent.
func TestRotatingSessionDroppedWhenAnswerLost(t *testing.T) {
	for _, how := range []string{"reset", "hang", "cut"} {
		t.Run(how, func(t *testing.T) {
			s, url := newLoseServer(t, 2, how)
			rec := &recorder{}
			c := mustClient(t, &impl.Service{Name: "S", Endpoint: url, Profile: sbTestProfile("Stateless")},
				WithCredentials(Password("sadmin", "sb-secret-9")), WithEvents(rec.add))
			if _, err := echo(c, t.Context(), "a"); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			if how == "hang" {
				ctx, cancel = context.WithTimeout(t.Context(), 200*time.Millisecond)
				defer cancel()
			}
			_, err := echo(c, ctx, "b")
			if err == nil || errors.Is(err, ErrNotSent) || !containsAll(err.Error(), "Echo", "may or may not have been processed") {
				t.Fatalf("want a may-have-processed error, got %v", err)
			}
			if how == "hang" {
				<-s.hung
			}
			if out, err := echo(c, t.Context(), "c"); err != nil || out.Text != "ok" {
				t.Fatalf("next call: %v", err)
			}
			if st, l, n := s.stale.Load(), s.logins.Load(), s.calls.Load(); st != 0 || l != 2 || n != 3 {
				t.Errorf("stale tokens %d, logins %d, calls %d: want 0, 2, 3 (the lost call not resent)", st, l, n)
			}
			if rec.count(EventExpire) != 1 {
				t.Errorf("%d expire events, want 1", rec.count(EventExpire))
			}
		})
	}
}

// A stateful rotating session (relogin never) whose answer was lost is
// lost: the next call fails with ErrSessionLost and sends nothing.
func TestStatefulSessionLostWithItsAnswer(t *testing.T) {
	s, url := newLoseServer(t, 2, "reset")
	p := sbTestProfile("Stateful")
	p.Scope, p.Relogin = impl.ScopeExchange, impl.ReloginNever
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: url, Profile: p}, WithCredentials(Password("sadmin", "sb-secret-9")))
	ex := c.Exchange()
	defer ex.Close(t.Context())
	if _, err := echo(ex, t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := echo(ex, t.Context(), "b"); err == nil {
		t.Fatal("lost answer: no error")
	}
	if _, err := echo(ex, t.Context(), "c"); !errors.Is(err, ErrSessionLost) {
		t.Fatalf("want ErrSessionLost, got %v", err)
	}
	if st, n := s.stale.Load(), s.calls.Load(); st != 0 || n != 2 {
		t.Errorf("stale tokens %d, calls %d: want 0 and 2", st, n)
	}
}

// A request that never left (no connection) keeps the session's token.
func TestRotatingSessionKeptWhenNotSent(t *testing.T) {
	s, url := newLoseServer(t, 0, "")
	dead := deadAddr(t)
	var down atomic.Bool
	d := dialCounter{route: func(_ int32, addr string) string {
		if down.Load() {
			return dead
		}
		return addr
	}}
	hc := d.client(0)
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: url, Profile: sbTestProfile("Stateless")},
		WithCredentials(Password("sadmin", "sb-secret-9")), WithHTTPClient(hc))
	if _, err := echo(c, t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	hc.CloseIdleConnections()
	down.Store(true)
	if _, err := echo(c, t.Context(), "b"); !errors.Is(err, ErrNotSent) {
		t.Fatalf("want ErrNotSent, got %v", err)
	}
	down.Store(false)
	if _, err := echo(c, t.Context(), "c"); err != nil {
		t.Fatal(err)
	}
	if st, l := s.stale.Load(), s.logins.Load(); st != 0 || l != 1 {
		t.Errorf("stale tokens %d, logins %d: want 0 and 1", st, l)
	}
}
