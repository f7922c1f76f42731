package runtime

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// cadFailStore is a shared Store whose CompareAndDelete fails (a Redis
// timeout under load): the rejected session stays stored.
type cadFailStore struct{ Store }

func (cadFailStore) CompareAndDelete(context.Context, string, string) (bool, error) {
	return false, errStoreDown
}

// A session the server rejected is never taken back from the Store, even
// when removing it there failed: the call logs in again instead of
// resending on the dead token and surfacing the second rejection. Found in
// the Redis fleet test under CPU starvation, where compare-and-delete
// timed out.
func TestRejectedSessionNotReadoptedFromStore(t *testing.T) {
	srv := newEndingServer(t)
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.url, Profile: sfTestProfile()},
		WithCredentials(Password("u", "pw")), WithStore(cadFailStore{NewMemoryStore()}))
	if _, err := echo(c, t.Context(), "x"); err != nil {
		t.Fatal(err)
	}
	srv.endAll()
	if _, err := echo(c, t.Context(), "y"); err != nil {
		t.Fatalf("after the server ended the session: %v", err)
	}
	if n := srv.loginCount(); n != 2 {
		t.Errorf("logins = %d, want 2", n)
	}
}

// endingServer is a Salesforce-like server whose sessions a test can end
// all at once: each login opens tok-N, a call on an unknown token gets
// INVALID_SESSION_ID.
type endingServer struct {
	url    string
	mu     sync.Mutex
	live   map[string]bool
	logins int
}

func newEndingServer(t *testing.T) *endingServer {
	s := &endingServer{live: map[string]bool{}}
	s.url = server(t, func(w http.ResponseWriter, q *soapReq) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if q.body.XMLName.Local == "login" {
			s.logins++
			tok := fmt.Sprintf("tok-%d", s.logins)
			s.live[tok] = true
			writeSOAP(w, 200, "", loginBody(tok, ""))
			return
		}
		h := q.header("SessionHeader")
		if h == nil || !s.live[h.find([]string{"sessionId"}).Text] {
			writeFault11(w, "sf:INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader")
			return
		}
		writeSOAP(w, 200, "", echoBody("ok", ""))
	}).URL
	return s
}

// endAll ends every session; keep stays valid (one another process
// opened).
func (s *endingServer) endAll(keep ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.live)
	for _, k := range keep {
		s.live[k] = true
	}
}

func (s *endingServer) loginCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}
