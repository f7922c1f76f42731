package runtime

import (
	"context"
	"fmt"
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
			srv := newEndingServer(t)
			shared := NewMemoryStore()
			late := &lateDeleteStore{Store: shared}
			svc := &impl.Service{Name: "S", Endpoint: srv.url, Profile: sfTestProfile()}
			a := mustClient(t, svc, WithCredentials(Password("u", "pw")), WithStore(late))
			b := mustClient(t, svc, WithCredentials(Password("u", "pw")), WithStore(shared))
			for _, c := range []*Client{a, b} {
				if _, err := echo(c, t.Context(), "x"); err != nil {
					t.Fatal(err)
				}
			}
			want := "tok-2"
			if other {
				want = "tok-other"
				srv.endAll(want)
				late.beforeSwap = func(ctx context.Context, key string) {
					now := time.Now()
					shared.Put(ctx, key, &SessionState{Token: want, Issued: now, TokenIssued: now}, 0)
				}
			} else {
				srv.endAll()
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
			if n := srv.loginCount(); n != 2 || st.Token != want {
				t.Errorf("logins = %d, stored %s; want 2 (one per expiry for both clients), %s", n, st.Token, want)
			}
		})
	}
}
