package redisstore

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime"
)

// rotated is st after the server answered with a new token.
func rotated(st *runtime.SessionState, token string, n int) *runtime.SessionState {
	c := clone(st)
	c.Token = token
	c.TokenIssued = st.Issued.Add(time.Duration(n) * time.Second)
	return c
}

func TestRotatingSessionsStayPerProcess(t *testing.T) {
	rdb := newClient(t)
	ctx := context.Background()
	a := newTestStore(t, rdb) // process A
	b, err := New(rdb, WithPrefix(a.prefix))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close() // process B

	// A logs in: the first token is stored like any other.
	first := session("siebel-T1")
	if ok, err := a.CompareAndSwap(ctx, "k", "", first, time.Minute); !ok || err != nil {
		t.Fatalf("login CAS = %v, %v", ok, err)
	}
	// A's first call rotates it: from now on the session is A's alone.
	t2 := rotated(first, "siebel-T2", 1)
	if ok, err := a.CompareAndSwap(ctx, "k", "siebel-T1", t2, time.Minute); !ok || err != nil {
		t.Fatalf("rotation CAS = %v, %v", ok, err)
	}
	if got, _ := a.Get(ctx, "k"); got == nil || got.Token != "siebel-T2" {
		t.Fatalf("A reads %v; want its rotated token", got)
	}
	if got, _ := b.Get(ctx, "k"); got != nil {
		t.Fatalf("B reads A's rotating session %q: rotating sessions must be per process", got.Token)
	}
	raw := strings.Join(rdb.HKeys(ctx, a.sessionKey("k")).Val(), ",")
	if raw != "r" {
		t.Fatalf("Redis fields after rotation = %q; want only the marker r", raw)
	}
	if ttl := rdb.PTTL(ctx, a.sessionKey("k")).Val(); ttl < MinMarkerTTL-time.Minute {
		t.Fatalf("marker TTL %v; want at least MinMarkerTTL", ttl)
	}

	// B opens its own session; it stays in B.
	own := session("siebel-U1")
	if ok, _ := b.CompareAndSwap(ctx, "k", "", own, time.Minute); !ok {
		t.Fatal("B could not open its own session under a rotating key")
	}
	if got, _ := b.Get(ctx, "k"); got == nil || got.Token != "siebel-U1" {
		t.Fatalf("B reads %v; want its own session", got)
	}
	if got, _ := a.Get(ctx, "k"); got == nil || got.Token != "siebel-T2" {
		t.Fatalf("A reads %v after B's login; want its own T2", got)
	}
	// A stale rotation (B still holding T1 from before the marker) fails.
	if ok, _ := b.CompareAndSwap(ctx, "k", "siebel-T1", rotated(first, "siebel-T1b", 2), time.Minute); ok {
		t.Fatal("a stale rotation from T1 succeeded")
	}
	// Rotation and invalidation go on locally.
	if ok, _ := a.CompareAndSwap(ctx, "k", "siebel-T2", rotated(first, "siebel-T3", 3), time.Minute); !ok {
		t.Fatal("A's next rotation failed")
	}
	if ok, _ := a.CompareAndDelete(ctx, "k", "siebel-T2"); ok {
		t.Fatal("invalidating a rotated-away token removed the newer one")
	}
	if ok, _ := a.CompareAndDelete(ctx, "k", "siebel-T3"); !ok {
		t.Fatal("invalidating the current token failed")
	}
	if got, _ := b.Get(ctx, "k"); got == nil || got.Token != "siebel-U1" {
		t.Fatal("A's invalidation touched B's session")
	}
	// No rotating token ever reached Redis after the first rotation.
	for _, k := range rdb.Keys(ctx, a.prefix+"*").Val() {
		m := rdb.HGetAll(ctx, k).Val()
		for f, v := range m {
			for _, tok := range []string{"siebel-T2", "siebel-T3", "siebel-U1"} {
				if strings.Contains(v, tok) {
					t.Fatalf("rotating token %s in Redis at %s.%s", tok, k, f)
				}
			}
		}
	}
}

func TestReloginIsNotRotation(t *testing.T) {
	rdb := newClient(t)
	ctx := context.Background()
	a := newTestStore(t, rdb)
	st := session("sf-1")
	a.CompareAndSwap(ctx, "k", "", st, time.Minute)
	// A refresh by a new login (new Issued) replaces the token in Redis for
	// everyone; only a rotation within one session goes local.
	next := session("sf-2")
	next.Issued = st.Issued.Add(time.Hour)
	next.TokenIssued = next.Issued
	if ok, _ := a.CompareAndSwap(ctx, "k", "sf-1", next, time.Minute); !ok {
		t.Fatal("refresh CAS failed")
	}
	if rdb.HExists(ctx, a.sessionKey("k"), "r").Val() {
		t.Fatal("a relogin was taken for a rotation")
	}
	if !strings.Contains(rdb.HGet(ctx, a.sessionKey("k"), "v").Val(), "sf-2") {
		t.Fatal("the refreshed session is not shared through Redis")
	}
}
