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
	var mu sync.Mutex
	live := map[string]bool{}
	logins := 0
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		mu.Lock()
		defer mu.Unlock()
		if q.body.XMLName.Local == "login" {
			logins++
			tok := fmt.Sprintf("tok-%d", logins)
			live[tok] = true
			writeSOAP(w, 200, "", loginBody(tok, ""))
			return
		}
		h := q.header("SessionHeader")
		if h == nil || !live[h.find([]string{"sessionId"}).Text] {
			writeFault11(w, "sf:INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader")
			return
		}
		writeSOAP(w, 200, "", echoBody("ok", ""))
	})
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL, Profile: sfTestProfile()},
		WithCredentials(Password("u", "pw")), WithStore(cadFailStore{NewMemoryStore()}))
	if _, err := echo(c, t.Context(), "x"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	clear(live) // the server ends every session
	mu.Unlock()
	if _, err := echo(c, t.Context(), "y"); err != nil {
		t.Fatalf("after the server ended the session: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if logins != 2 {
		t.Errorf("logins = %d, want 2", logins)
	}
}
