package runtime

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// lateDeleteStore is a shared Store on which a compare-and-delete lands
// late: it is applied just before the next compare-and-swap, as when one
// call's delete of the rejected token is still on its way to Redis while
// another call of the same client already logs in. beforeSwap, if set,
// runs after that: another process writing meanwhile.
type lateDeleteStore struct {
	Store
	mu         sync.Mutex
	pending    [][2]string
	beforeSwap func(ctx context.Context, key string)
}

func (s *lateDeleteStore) CompareAndDelete(_ context.Context, key, token string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = append(s.pending, [2]string{key, token})
	return true, nil
}

func (s *lateDeleteStore) CompareAndSwap(ctx context.Context, key, old string, next *SessionState, ttl time.Duration) (bool, error) {
	s.mu.Lock()
	pending, hook := s.pending, s.beforeSwap
	s.pending, s.beforeSwap = nil, nil
	s.mu.Unlock()
	for _, p := range pending {
		s.Store.CompareAndDelete(ctx, p[0], p[1])
	}
	if hook != nil {
		hook(ctx, key)
	}
	return s.Store.CompareAndSwap(ctx, key, old, next, ttl)
}

// The new session replaces the rejected one in the Store even when the
// rejected one was deleted between the leader's read under the lock and
// its compare-and-swap: the fleet adopts it instead of logging in again.
// Found as a second login per expiry in the Salesforce fleet test on a
// loaded machine. A valid session another process stored meanwhile is
// left in place.
func TestLoginPublishedWhenRejectedTokenDeletedMeanwhile(t *testing.T) {
	for _, other := range []bool{false, true} {
		t.Run(fmt.Sprintf("other-session-stored=%v", other), func(t *testing.T) {
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
			shared := NewMemoryStore()
			late := &lateDeleteStore{Store: shared}
			svc := &impl.Service{Name: "S", Endpoint: srv.URL, Profile: sfTestProfile()}
			a := mustClient(t, svc, WithCredentials(Password("u", "pw")), WithStore(late))
			b := mustClient(t, svc, WithCredentials(Password("u", "pw")), WithStore(shared))
			for _, c := range []*Client{a, b} {
				if _, err := echo(c, t.Context(), "x"); err != nil {
					t.Fatal(err)
				}
			}
			mu.Lock()
			clear(live) // the server ends every session
			if other {
				live["tok-other"] = true
			}
			mu.Unlock()
			if other {
				late.beforeSwap = func(ctx context.Context, key string) {
					now := time.Now()
					shared.Put(ctx, key, &SessionState{Token: "tok-other", Issued: now, TokenIssued: now}, 0)
				}
			}
			for _, c := range []*Client{a, b} {
				if _, err := echo(c, t.Context(), "y"); err != nil {
					t.Fatalf("after the server ended the session: %v", err)
				}
			}
			st, err := shared.Get(t.Context(), a.pool.slots[0].key)
			if err != nil || st == nil {
				t.Fatalf("store holds %v (%v)", st, err)
			}
			mu.Lock()
			defer mu.Unlock()
			want := "tok-2"
			if other {
				want = "tok-other"
			}
			if logins != 2 || st.Token != want {
				t.Errorf("logins = %d, stored %s; want 2 (one per expiry for both clients), %s", logins, st.Token, want)
			}
		})
	}
}
