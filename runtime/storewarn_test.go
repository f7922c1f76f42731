package runtime

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// brokenStore is a Store whose writes fail the way a Redis outage makes
// them fail, while reads and locks work: the session engine goes on
// serving calls, and must say loudly that the fleet lost its sharing.
type brokenStore struct {
	Store
}

var errStoreDown = errors.New("store down: dial tcp 10.0.0.5:6379: connection refused")

func (brokenStore) CompareAndSwap(context.Context, string, string, *SessionState, time.Duration) (bool, error) {
	return false, errStoreDown
}

func (brokenStore) CompareAndDelete(context.Context, string, string) (bool, error) {
	return false, errStoreDown
}

func (b brokenStore) Lock(ctx context.Context, key string, ttl time.Duration) (Lease, error) {
	l, err := b.Store.Lock(ctx, key, ttl)
	if err != nil {
		return nil, err
	}
	return brokenLease{l}, nil
}

type brokenLease struct{ Lease }

func (l brokenLease) Unlock(ctx context.Context) error {
	_ = l.Lease.Unlock(ctx)
	return errStoreDown
}

// Store failures during login, invalidation and unlock are logged at Warn:
// visible with a logger at the default Info level, where Debug lines are
// not.
func TestStoreErrorsLoggedAtWarn(t *testing.T) {
	var calls atomic.Int32
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		if q.body.XMLName.Local == "login" {
			writeSOAP(w, 200, "", loginBody(fmt.Sprintf("secret-token-%d", calls.Load()), ""))
			return
		}
		if calls.Add(1) == 2 {
			writeFault11(w, "sf:INVALID_SESSION_ID", "Invalid Session ID")
			return
		}
		writeSOAP(w, 200, "", echoBody("ok", ""))
	})
	var mu sync.Mutex
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil)) // Info level
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL, Profile: sfTestProfile()},
		WithCredentials(Password("u", "pw-secret")), WithStore(brokenStore{NewMemoryStore()}), WithLogger(logger))
	for i := range 2 {
		if _, err := echo(c, t.Context(), "x"); err != nil {
			t.Fatalf("call %d: a store that cannot be written must not fail the call: %v", i, err)
		}
	}
	mu.Lock()
	out := logs.String()
	mu.Unlock()
	for _, want := range []string{"compare-and-swap failed", "compare-and-delete failed", "unlock failed"} {
		found := false
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, "level=WARN") && strings.Contains(line, want) && strings.Contains(line, "store down") {
				found = true
			}
		}
		if !found {
			t.Errorf("no WARN line with %q and the store's error in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "secret-token") || strings.Contains(out, "pw-secret") {
		t.Errorf("a secret appears in the logs:\n%s", out)
	}
}
