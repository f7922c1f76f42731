package redisstore

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime"
)

func TestLockMutualExclusion(t *testing.T) {
	rdb := newClient(t)
	// Two stores: two processes sharing one Redis.
	stores := []*Store{newTestStore(t, rdb)}
	second, err := New(rdb, WithPrefix(stores[0].prefix))
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	stores = append(stores, second)

	ctx := context.Background()
	var inside, maxInside, entered atomic.Int32
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Go(func() {
			l, err := stores[i%2].Lock(ctx, "k", time.Minute)
			if err != nil {
				t.Error(err)
				return
			}
			n := inside.Add(1)
			for {
				m := maxInside.Load()
				if n <= m || maxInside.CompareAndSwap(m, n) {
					break
				}
			}
			entered.Add(1)
			time.Sleep(time.Millisecond)
			inside.Add(-1)
			if err := l.Unlock(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if maxInside.Load() != 1 || entered.Load() != 30 {
		t.Fatalf("max holders at once = %d, entered = %d; want 1 and 30", maxInside.Load(), entered.Load())
	}
}

func TestLockExpiresAndOwnerIsChecked(t *testing.T) {
	rdb := newClient(t)
	s := newTestStore(t, rdb)
	ctx := context.Background()

	dead, err := s.Lock(ctx, "k", 50*time.Millisecond) // its holder "dies": never unlocks
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	next, err := s.Lock(wctx, "k", time.Minute)
	if err != nil {
		t.Fatalf("lock of a dead holder was not taken over after its TTL: %v", err)
	}

	// The late holder cannot free or extend its successor's lock.
	if err := dead.Unlock(ctx); err != nil {
		t.Fatal(err)
	}
	if err := dead.(*Lease).Extend(ctx, time.Minute); !errors.Is(err, ErrNotHeld) {
		t.Fatalf("Extend by a lease that lost the lock = %v; want ErrNotHeld", err)
	}
	if owner := rdb.Get(ctx, s.lockKey("k")).Val(); owner != next.(*Lease).owner {
		t.Fatal("a stale Unlock released its successor's lock")
	}
	if err := next.(*Lease).Extend(ctx, time.Minute); err != nil {
		t.Fatalf("Extend by the holder: %v", err)
	}
	next.Unlock(ctx)
	if n := rdb.Exists(ctx, s.lockKey("k")).Val(); n != 0 {
		t.Fatal("Unlock by the holder left the lock key")
	}
}

func TestLockWaiterHonoursCtx(t *testing.T) {
	rdb := newClient(t)
	s := newTestStore(t, rdb)
	ctx := context.Background()
	held, err := s.Lock(ctx, "k", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Unlock(ctx)

	wctx, cancel := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() {
		_, err := s.Lock(wctx, "k", time.Minute)
		errc <- err
	}()
	cancel()
	err = <-errc
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled waiter got %v; want context.Canceled", err)
	}
	// The holder still holds it.
	if rdb.Get(ctx, s.lockKey("k")).Val() != held.(*Lease).owner {
		t.Fatal("a cancelled waiter disturbed the held lock")
	}
}

func TestUnlockWakesWaitersByPubSub(t *testing.T) {
	rdb := newClient(t)
	// Polling so slow that only the pub/sub message can wake the waiter in
	// time.
	s := newTestStore(t, rdb, WithLockPolling(time.Hour, time.Hour))
	waitSubscribed(t, rdb, s)
	ctx := context.Background()
	held, err := s.Lock(ctx, "k", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() {
		wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		l, err := s.Lock(wctx, "k", time.Minute)
		if err == nil {
			l.Unlock(ctx)
		}
		got <- err
	}()
	// Unlock only once the waiter has made its first attempt.
	for s.waiterCount("k") == 0 || rdb.Get(ctx, s.lockKey("k")).Val() != held.(*Lease).owner {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(10 * time.Millisecond)
	held.Unlock(ctx)
	if err := <-got; err != nil {
		t.Fatalf("waiter not woken by the unlock message: %v", err)
	}
}

func TestPollingCoversLostMessages(t *testing.T) {
	rdb := newClient(t)
	s := newTestStore(t, rdb, WithLockPolling(time.Millisecond, 5*time.Millisecond))
	ctx := context.Background()
	if _, err := s.Lock(ctx, "k", time.Hour); err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() {
		wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		_, err := s.Lock(wctx, "k", time.Minute)
		got <- err
	}()
	for s.waiterCount("k") == 0 {
		time.Sleep(time.Millisecond)
	}
	// Freed without an announcement (as when Redis drops a message).
	rdb.Del(ctx, s.lockKey("k"))
	if err := <-got; err != nil {
		t.Fatalf("waiter did not notice a silently freed lock: %v", err)
	}
}

func TestLockRejectsZeroTTL(t *testing.T) {
	rdb := newClient(t)
	s := newTestStore(t, rdb)
	if _, err := s.Lock(context.Background(), "k", 0); err == nil {
		t.Fatal("Lock with ttl 0 accepted: a dead holder would block the fleet forever")
	}
}

func TestUnlockAfterCallerGaveUp(t *testing.T) {
	rdb := newClient(t)
	s := newTestStore(t, rdb)
	ctx, cancel := context.WithCancel(context.Background())
	l, err := s.Lock(ctx, "k", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := l.Unlock(ctx); err != nil {
		t.Fatalf("Unlock with a cancelled ctx: %v", err)
	}
	if rdb.Exists(context.Background(), s.lockKey("k")).Val() != 0 {
		t.Fatal("lock left held for its TTL because the holder's ctx was cancelled")
	}
}

var _ runtime.Lease = (*Lease)(nil)

func TestLockKeepAliveOutlivesShortTTL(t *testing.T) {
	rdb := newClient(t)
	// Renewed every TTL/3: 300 ms leaves a renewal 200 ms of slack on a
	// loaded machine (60 ms lost the lock there once).
	s := newTestStore(t, rdb, WithLockTTL(300*time.Millisecond))
	ctx := context.Background()
	l, err := s.Lock(ctx, "k", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	// A holder busy for several short TTLs keeps its lock.
	time.Sleep(1200 * time.Millisecond)
	if rdb.Get(ctx, s.lockKey("k")).Val() != l.(*Lease).owner {
		t.Fatal("a live holder lost its lock: the keepalive did not renew it")
	}
	if ttl := rdb.PTTL(ctx, s.lockKey("k")).Val(); ttl > 300*time.Millisecond {
		t.Fatalf("lock PTTL %v; want at most the short TTL", ttl)
	}
	if err := l.Unlock(ctx); err != nil {
		t.Fatal(err)
	}
	if rdb.Exists(ctx, s.lockKey("k")).Val() != 0 {
		t.Fatal("Unlock left the lock")
	}
}

func TestLockOfDeadHolderFreedAfterShortTTL(t *testing.T) {
	rdb := newClient(t)
	s := newTestStore(t, rdb, WithLockTTL(60*time.Millisecond))
	ctx := context.Background()
	// A holder in another process that died: its lock has the short TTL
	// and nobody renews it.
	rdb.Set(ctx, s.lockKey("k"), "dead-owner", 60*time.Millisecond)
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	l, err := s.Lock(wctx, "k", time.Minute)
	if err != nil {
		t.Fatalf("dead holder's lock not taken over: %v", err)
	}
	l.Unlock(ctx)
}
