package runtime

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

const nsSB = "http://siebel.com/webservices"

// sbServer rotates the token on every response and counts stale tokens:
// a rotating client must always send the newest token of its chain.
type sbServer struct {
	mu      sync.Mutex
	latest  map[string]string // chain -> newest token
	chainOf map[string]string // token -> chain
	n       int
	logins  atomic.Int64
	stale   atomic.Int64
	both    atomic.Int64
	calls   atomic.Int64
}

func newSBServer(t *testing.T) (*sbServer, string) {
	s := &sbServer{latest: map[string]string{}, chainOf: map[string]string{}}
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		s.calls.Add(1)
		user, tok := q.header("UsernameToken"), q.header("SessionToken")
		if q.header("SessionType") == nil {
			writeFault11(w, "s:Client", "no SessionType")
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		var chain string
		switch {
		case user != nil && tok != nil:
			s.both.Add(1)
			writeFault11(w, "s:Client", "credentials and token together")
			return
		case user != nil:
			if p := q.header("PasswordText"); p == nil || p.Text != "sb-secret-9" {
				writeFault11(w, "s:Client", "SBL-UIF-00001 bad password")
				return
			}
			s.logins.Add(1)
			s.n++
			chain = fmt.Sprint("c", s.n)
		case tok != nil:
			chain = s.chainOf[tok.Text]
			if chain == "" || s.latest[chain] != tok.Text {
				s.stale.Add(1)
				writeFault11(w, "s:Server", "SBL-UIF-00880 token rejected")
				return
			}
		default:
			writeFault11(w, "s:Client", "no credentials")
			return
		}
		s.n++
		next := fmt.Sprintf("SBTOKEN-%s-%d", chain, s.n)
		s.latest[chain], s.chainOf[next] = next, chain
		writeSOAP(w, 200, fmt.Sprintf(`<SessionToken xmlns="%s">%s</SessionToken>`, nsSB, next), echoBody(q.body.find([]string{"Text"}).Text, chain))
	})
	return s, srv.URL
}

func sbTestProfile(typ string) *impl.Profile {
	p := &impl.Profile{
		Name: "siebel-" + typ,
		Login: impl.Login{Kind: impl.LoginHeaders, Headers: []impl.CredentialHeader{
			{Name: xml.Name{Space: nsSB, Local: "UsernameToken"}, Value: impl.CredentialUser},
			{Name: xml.Name{Space: nsSB, Local: "PasswordText"}, Value: impl.CredentialPassword},
		}},
		Constant: []impl.HeaderValue{{Name: xml.Name{Space: nsSB, Local: "SessionType"}, Value: typ}},
		Tokens:   []impl.TokenSource{{Kind: impl.FromResponseHeader, Header: xml.Name{Space: nsSB, Local: "SessionToken"}}},
		Send:     []impl.TokenTarget{{Kind: impl.ToSOAPHeader, Header: xml.Name{Space: nsSB, Local: "SessionToken"}}},
		Gone:     []impl.GoneRule{{FaultString: "SBL-UIF-00880"}},
		Rotate:   true,
		Scope:    impl.ScopeShared,
	}
	if typ == "None" {
		p.Scope = impl.ScopeCall
		p.Tokens, p.Send, p.Rotate = nil, nil, false
	}
	return p
}

func TestRotationPoolNeverStale(t *testing.T) {
	for _, pool := range []int{1, 4, 16} {
		t.Run(fmt.Sprint("pool", pool), func(t *testing.T) {
			s, url := newSBServer(t)
			rec := &recorder{}
			c := mustClient(t, &impl.Service{Name: "S", Endpoint: url, Profile: sbTestProfile("Stateless")},
				WithCredentials(Password("sadmin", "sb-secret-9")), WithPoolSize(pool), WithEvents(rec.add))
			var wg sync.WaitGroup
			for i := range 64 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for j := range 4 {
						if _, err := echo(c, t.Context(), fmt.Sprint(i, j)); err != nil {
							t.Error(err)
						}
					}
				}()
			}
			wg.Wait()
			if s.stale.Load() != 0 || s.both.Load() != 0 {
				t.Errorf("stale %d, credentials+token %d", s.stale.Load(), s.both.Load())
			}
			if l := s.logins.Load(); l < 1 || l > int64(pool) {
				t.Errorf("%d logins for a pool of %d", l, pool)
			}
			if rec.count(EventRotate) == 0 {
				t.Errorf("no rotate events")
			}
		})
	}
}

func TestRotatingTokenRejectedReloginOnce(t *testing.T) {
	s, url := newSBServer(t)
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: url, Profile: sbTestProfile("Stateless")}, WithCredentials(Password("sadmin", "sb-secret-9")))
	if _, err := echo(c, t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	clear(s.latest) // the server forgets every chain
	s.mu.Unlock()
	out, err := echo(c, t.Context(), "b")
	if err != nil || out.Text != "b" {
		t.Fatalf("relogin: %v", err)
	}
	if s.logins.Load() != 2 || s.stale.Load() != 1 {
		t.Errorf("logins %d stale %d", s.logins.Load(), s.stale.Load())
	}
}

func TestScopeCallSendsCredentialsEveryTime(t *testing.T) {
	s, url := newSBServer(t)
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: url, Profile: sbTestProfile("None")}, WithCredentials(Password("sadmin", "sb-secret-9")))
	for range 3 {
		if _, err := echo(c, t.Context(), "a"); err != nil {
			t.Fatal(err)
		}
	}
	if s.logins.Load() != 3 {
		t.Errorf("logins %d, want one per call", s.logins.Load())
	}
}

// A stateful exchange's calls go one at a time on one session.
func TestStatefulExchangeSerialisesOneSession(t *testing.T) {
	s, url := newSBServer(t)
	p := sbTestProfile("Stateful")
	p.Scope, p.Relogin = impl.ScopeExchange, impl.ReloginNever
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: url, Profile: p}, WithCredentials(Password("sadmin", "sb-secret-9")))
	ex := c.Exchange()
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := echo(ex, t.Context(), fmt.Sprint(i)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	_ = ex.Close(t.Context())
	if s.logins.Load() != 1 || s.stale.Load() != 0 {
		t.Errorf("logins %d stale %d", s.logins.Load(), s.stale.Load())
	}
}

// A stateful session that reaches a known limit is lost, not silently
// replaced: its server-side state would be gone.
func TestStatefulKnownExpiryIsSessionLost(t *testing.T) {
	s, url := newSBServer(t)
	clk := newFakeClock()
	p := sbTestProfile("Stateful")
	p.Scope, p.Relogin = impl.ScopeExchange, impl.ReloginNever
	p.Limits = impl.Limits{TokenIdle: 15 * time.Minute}
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: url, Profile: p}, WithCredentials(Password("sadmin", "sb-secret-9")), WithClock(clk))
	ex := c.Exchange()
	defer ex.Close(t.Context())
	if _, err := echo(ex, t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	clk.Advance(15 * time.Minute)
	if _, err := echo(ex, t.Context(), "b"); !errors.Is(err, ErrSessionLost) {
		t.Fatalf("want ErrSessionLost, got %v", err)
	}
	if s.logins.Load() != 1 || s.calls.Load() != 1 {
		t.Errorf("logins %d calls %d: the engine logged in or sent silently", s.logins.Load(), s.calls.Load())
	}
	// A new exchange starts over.
	ex2 := c.Exchange()
	defer ex2.Close(t.Context())
	if _, err := echo(ex2, t.Context(), "c"); err != nil {
		t.Fatal(err)
	}
}
