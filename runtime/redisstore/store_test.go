package redisstore

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestGetPutRoundTrip(t *testing.T) {
	rdb := newClient(t)
	s := newTestStore(t, rdb)
	ctx := context.Background()

	if got, err := s.Get(ctx, "k"); err != nil || got != nil {
		t.Fatalf("Get of a missing key = %v, %v; want nil, nil", got, err)
	}
	want := session("tok-1")
	if err := s.Put(ctx, "k", want, time.Minute); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Get after Put (-want +got):\n%s", diff)
	}

	ttl := rdb.PTTL(ctx, s.sessionKey("k")).Val()
	if ttl <= 0 || ttl > time.Minute {
		t.Fatalf("PTTL after Put with ttl 1m = %v; want in (0, 1m]", ttl)
	}
	// No TTL asked is the default bound, never no expiry.
	if err := s.Put(ctx, "unbounded", want, 0); err != nil {
		t.Fatal(err)
	}
	if ttl := rdb.PTTL(ctx, s.sessionKey("unbounded")).Val(); ttl <= DefaultMaxTTL-time.Minute || ttl > DefaultMaxTTL {
		t.Fatalf("PTTL after Put with ttl 0 = %v; want DefaultMaxTTL", ttl)
	}
}

func TestSessionExpiresWithTTL(t *testing.T) {
	rdb := newClient(t)
	s := newTestStore(t, rdb)
	ctx := context.Background()
	if ok, err := s.CompareAndSwap(ctx, "k", "", session("a"), 20*time.Millisecond); !ok || err != nil {
		t.Fatalf("CAS = %v, %v", ok, err)
	}
	// Redis expires the key; poll rather than sleep a fixed time.
	for deadline := time.Now().Add(10 * time.Second); ; {
		got, err := s.Get(ctx, "k")
		if err != nil {
			t.Fatal(err)
		}
		if got == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("session with a 20ms TTL still there after 10s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestCompareAndSwap(t *testing.T) {
	rdb := newClient(t)
	s := newTestStore(t, rdb)
	ctx := context.Background()
	cas := func(old, next string) bool {
		t.Helper()
		ok, err := s.CompareAndSwap(ctx, "k", old, session(next), time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	token := func() string {
		t.Helper()
		got, err := s.Get(ctx, "k")
		if err != nil {
			t.Fatal(err)
		}
		if got == nil {
			return "<none>"
		}
		return got.Token
	}
	if !cas("", "a") {
		t.Fatal(`CAS "" -> a on an empty key failed`)
	}
	if cas("", "b") {
		t.Fatal(`CAS "" -> b succeeded over a live session`)
	}
	if cas("stale", "c") {
		t.Fatal("a stale writer overwrote a newer token")
	}
	if token() != "a" {
		t.Fatalf("token = %s, want a", token())
	}
	if !cas("a", "d") {
		t.Fatal("CAS a -> d with the current token failed")
	}
	if cas("a", "e") {
		t.Fatal("second CAS from the same old token succeeded")
	}
	if token() != "d" {
		t.Fatalf("token = %s, want d", token())
	}
	if ok, _ := s.CompareAndSwap(ctx, "other", "d", session("x"), time.Minute); ok {
		t.Fatal("CAS with an old token on a missing key succeeded")
	}
}

func TestCompareAndSwapRace(t *testing.T) {
	rdb := newClient(t)
	s := newTestStore(t, rdb)
	ctx := context.Background()
	if err := s.Put(ctx, "k", session("t0"), time.Minute); err != nil {
		t.Fatal(err)
	}
	const rounds, writers = 5, 40
	old := "t0"
	for r := range rounds {
		var wins atomic.Int32
		var winner atomic.Value
		var wg sync.WaitGroup
		start := make(chan struct{})
		for w := range writers {
			wg.Go(func() {
				<-start
				next := fmt.Sprintf("r%d-w%d", r, w)
				ok, err := s.CompareAndSwap(ctx, "k", old, session(next), time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					wins.Add(1)
					winner.Store(next)
				}
			})
		}
		close(start)
		wg.Wait()
		if n := wins.Load(); n != 1 {
			t.Fatalf("round %d: %d writers swapped from the same old token; want exactly 1", r, n)
		}
		got, err := s.Get(ctx, "k")
		if err != nil {
			t.Fatal(err)
		}
		if got.Token != winner.Load() {
			t.Fatalf("round %d: stored token %q, winner %q", r, got.Token, winner.Load())
		}
		old = got.Token
	}
}

func TestCompareAndDelete(t *testing.T) {
	rdb := newClient(t)
	s := newTestStore(t, rdb)
	ctx := context.Background()
	if ok, err := s.CompareAndDelete(ctx, "k", "a"); ok || err != nil {
		t.Fatalf("CAD on a missing key = %v, %v; want false, nil", ok, err)
	}
	s.Put(ctx, "k", session("new"), time.Minute)
	if ok, err := s.CompareAndDelete(ctx, "k", "old"); ok || err != nil {
		t.Fatalf("CAD of a rejected old token = %v, %v; want false (the newer token survives)", ok, err)
	}
	if got, _ := s.Get(ctx, "k"); got == nil || got.Token != "new" {
		t.Fatalf("newer session gone after invalidating an older token: %v", got)
	}
	if ok, err := s.CompareAndDelete(ctx, "k", "new"); !ok || err != nil {
		t.Fatalf("CAD of the current token = %v, %v; want true", ok, err)
	}
	if got, _ := s.Get(ctx, "k"); got != nil {
		t.Fatal("session still there after CAD")
	}
}

func TestCookieOnlySession(t *testing.T) {
	rdb := newClient(t)
	s := newTestStore(t, rdb)
	ctx := context.Background()
	st := session("")
	if ok, _ := s.CompareAndSwap(ctx, "k", "", st, time.Minute); !ok {
		t.Fatal("CAS of a cookie-only session onto an empty key failed")
	}
	if ok, _ := s.CompareAndSwap(ctx, "k", "", st, time.Minute); ok {
		t.Fatal(`CAS "" succeeded over a live cookie-only session`)
	}
	if ok, _ := s.CompareAndDelete(ctx, "k", "x"); ok {
		t.Fatal("CAD with a token removed a cookie-only session")
	}
	if ok, _ := s.CompareAndDelete(ctx, "k", ""); !ok {
		t.Fatal(`CAD "" did not remove the cookie-only session`)
	}
}

func TestKeysArePrefixed(t *testing.T) {
	rdb := newClient(t)
	ctx := context.Background()
	s := newTestStore(t, rdb)
	s.Put(ctx, "salesforce|https://x|alice", session("a"), time.Minute)
	l, err := s.Lock(ctx, "salesforce|https://x|alice", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	keys := rdb.Keys(ctx, "*salesforce|https://x|alice").Val()
	if len(keys) != 2 {
		t.Fatalf("keys = %q; want the session and its lock", keys)
	}
	for _, k := range keys {
		if !strings.HasPrefix(k, s.prefix) {
			t.Errorf("key %q lacks the prefix %q", k, s.prefix)
		}
	}
	l.Unlock(ctx)

	d, err := New(rdb)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if got := d.sessionKey("k"); got != "wsdlsess:s:k" {
		t.Fatalf("default session key = %q", got)
	}
	if got := d.channel(); got != "wsdlsess:unlock" {
		t.Fatalf("default channel = %q", got)
	}
}

func TestGetReturnsACopy(t *testing.T) {
	rdb := newClient(t)
	s := newTestStore(t, rdb)
	ctx := context.Background()
	s.Put(ctx, "k", session("a"), time.Minute)
	a, _ := s.Get(ctx, "k")
	a.Token = "mutated"
	a.Cookies[0].Value = "mutated"
	b, _ := s.Get(ctx, "k")
	if b.Token != "a" || b.Cookies[0].Value != "cookie-a" {
		t.Fatalf("a caller's change leaked into the store: %+v", b)
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	rdb := newClient(t)
	if _, err := New(nil); err == nil || !strings.Contains(err.Error(), "redis.NewClient") {
		t.Fatalf("New(nil) = %v", err)
	}
	if _, err := New(rdb, WithEncryptionKey([]byte("short"))); err == nil || !strings.Contains(err.Error(), "32-byte") {
		t.Fatalf("short key: %v", err)
	}
	if _, err := New(rdb, WithLockPolling(0, time.Second)); err == nil {
		t.Fatal("zero poll interval accepted")
	}
}

func TestNilSessionIsAnError(t *testing.T) {
	rdb := newClient(t)
	s := newTestStore(t, rdb)
	ctx := context.Background()
	if err := s.Put(ctx, "k", nil, time.Minute); err == nil {
		t.Fatal("Put(nil) accepted")
	}
	if _, err := s.CompareAndSwap(ctx, "k", "", nil, time.Minute); err == nil {
		t.Fatal("CompareAndSwap to nil accepted")
	}
}

// A value that is no session is no session: Get says so in a warning that
// does not quote it, not in an error that would fail every call.
func TestCorruptValueIsNoSession(t *testing.T) {
	rdb := newClient(t)
	var logs syncBuffer
	s := newTestStore(t, rdb, WithLogger(logs.logger()))
	ctx := context.Background()
	rdb.HSet(ctx, s.sessionKey("k"), "t", "x", "v", "p{not json secret-ish")
	got, err := s.Get(ctx, "k")
	if got != nil || err != nil {
		t.Fatalf("Get of a corrupt value = %v, %v; want nil, nil", got, err)
	}
	if w := logs.String(); !strings.Contains(w, "not a session") || strings.Contains(w, "secret-ish") || strings.Contains(w, `"k"`) {
		t.Fatalf("warning %q: want one that says why and quotes neither the value nor the key", w)
	}
}

func TestMaxTTLCapsSessions(t *testing.T) {
	rdb := newClient(t)
	s := newTestStore(t, rdb, WithMaxTTL(time.Minute))
	ctx := context.Background()
	if _, err := New(rdb, WithMaxTTL(0)); err == nil {
		t.Error("WithMaxTTL(0) accepted: every key must expire")
	}
	s.Put(ctx, "none", session("a"), 0)
	s.CompareAndSwap(ctx, "long", "", session("b"), time.Hour)
	s.Put(ctx, "short", session("c"), time.Second)
	for key, limit := range map[string]time.Duration{"none": time.Minute, "long": time.Minute, "short": time.Second} {
		if ttl := rdb.PTTL(ctx, s.sessionKey(key)).Val(); ttl <= 0 || ttl > limit {
			t.Errorf("%s: PTTL %v; want in (0, %v]", key, ttl, limit)
		}
	}
}
