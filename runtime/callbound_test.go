package runtime

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestCallBoundShares: calls on one ctx within boundGrain run under one
// deadline ctx, which still gives each at least d; another ctx gets a
// share of its own; a share nobody can join any more is cancelled by its
// last call out, so its timer and its hold on the parent go then.
func TestCallBoundShares(t *testing.T) {
	const d = time.Hour
	b := newCallBound(d)
	parent, cancelParent := context.WithCancel(context.Background())
	defer cancelParent()

	start := time.Now()
	c1, s1 := b.acquire(parent)
	c2, s2 := b.acquire(parent)
	if s1 == nil || s1 != s2 || c1 != c2 {
		t.Fatalf("two calls on one ctx within the grain: shares %p and %p", s1, s2)
	}
	if dl, ok := c1.Deadline(); !ok || dl.Sub(start) < d {
		t.Errorf("deadline %v after the call started, want at least %v", dl.Sub(start), d)
	}

	c3, s3 := b.acquire(context.Background())
	if s3 == s1 || c3 == c1 {
		t.Fatal("a call on another ctx joined the first ctx's share")
	}
	// s1 is no longer current: its last call out cancels it.
	b.release(s1)
	if c1.Err() != nil {
		t.Fatal("a share was cancelled while a call still ran under it")
	}
	b.release(s2)
	if !errors.Is(c1.Err(), context.Canceled) {
		t.Errorf("the replaced share outlived its last call: Err = %v", c1.Err())
	}

	// The current share, released by its last call after the grain, goes too.
	b.mu.Lock()
	s3.until = time.Now().Add(-time.Millisecond)
	b.mu.Unlock()
	b.release(s3)
	if c3.Err() == nil || b.cur != nil {
		t.Errorf("a share past its grain outlived its last call (Err %v, current %p)", c3.Err(), b.cur)
	}

	// A replaced share nobody runs under is cancelled at once.
	c4, s4 := b.acquire(parent)
	b.mu.Lock()
	s4.until = time.Now().Add(-time.Millisecond) // it may run calls, take none
	b.mu.Unlock()
	b.release(s4)
	if c4.Err() == nil {
		t.Fatal("a share past its grain outlived its last call")
	}
	_, s5 := b.acquire(parent)
	if s5 == s4 {
		t.Fatal("a call joined a share past its grain")
	}
	b.release(s5)
}

// uncomparableCtx is a ctx that == cannot compare: comparing two of it
// panics at run time.
type uncomparableCtx struct {
	context.Context
	tags []string
}

// TestCallBoundUncomparableCtx: a ctx of a type == would panic on gets a
// deadline of its own, released with its call.
func TestCallBoundUncomparableCtx(t *testing.T) {
	b := newCallBound(time.Hour)
	u := uncomparableCtx{Context: context.Background(), tags: []string{"a"}}
	c1, s1 := b.acquire(u)
	c2, s2 := b.acquire(u) // would panic comparing u with a share's parent
	if s1 == s2 {
		t.Fatal("calls on an uncomparable ctx shared")
	}
	if _, ok := c1.Deadline(); !ok {
		t.Fatal("no deadline")
	}
	b.release(s1)
	b.release(s2)
	if c1.Err() == nil || c2.Err() == nil {
		t.Error("an unshared bound outlived its call")
	}
}

// TestCallBoundLeavesShortDeadlines: a ctx whose deadline is within d is
// used as it is, under a panics collector too.
func TestCallBoundLeavesShortDeadlines(t *testing.T) {
	b := newCallBound(time.Hour)
	short, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if c, s := b.acquire(short); c != short || s != nil {
		t.Error("a ctx with a shorter deadline was wrapped")
	}
	pc, p := withPanics(short)
	if c, s := b.acquire(pc); c != pc || s != nil {
		t.Error("a ctx with a shorter deadline was wrapped under a panics collector")
	}
	// Under a collector with no deadline, the call shares by the ctx
	// beneath and keeps its own collector.
	pa, pa1 := withPanics(context.Background())
	pb, pb1 := withPanics(context.Background())
	ca, sa := b.acquire(pa)
	cb, sb := b.acquire(pb)
	if sa != sb {
		t.Error("two calls on context.Background() under their collectors did not share")
	}
	if ca.Value(panicsKey{}) != pa1 || cb.Value(panicsKey{}) != pb1 || ca.Value(panicsKey{}) == p {
		t.Error("a call lost its own panics collector")
	}
	b.release(sa)
	b.release(sb)
}

// TestCallBoundConcurrent: under many callers on a few ctxs, no call's ctx
// is ever cancelled while it runs, and every share ends once all calls
// are done and the grain is over.
func TestCallBoundConcurrent(t *testing.T) {
	b := newCallBound(time.Hour)
	parents := []context.Context{context.Background(), context.TODO()}
	for range 2 {
		c, cancel := context.WithCancel(context.Background())
		defer cancel()
		parents = append(parents, c)
	}
	var mu sync.Mutex
	seen := map[*boundShare]bool{}
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 2000 {
				p, _ := withPanics(parents[(g+i/50)%len(parents)])
				c, s := b.acquire(p)
				if c.Err() != nil {
					t.Errorf("a call got a cancelled ctx: %v", context.Cause(c))
					return
				}
				if i%7 == 0 {
					time.Sleep(time.Microsecond)
				}
				if c.Err() != nil {
					t.Errorf("a call's ctx was cancelled under it: %v", context.Cause(c))
					return
				}
				b.release(s)
				mu.Lock()
				seen[s] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	// The share still current may wait for its grain; an acquire on a new
	// ctx retires it, and a release then ends the new one past its grain.
	fresh, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, s := b.acquire(fresh)
	b.mu.Lock()
	s.until = time.Now()
	b.mu.Unlock()
	b.release(s)
	live := 0
	for sh := range seen {
		if sh.ctx.Err() == nil {
			live++
		}
	}
	if live > 0 {
		t.Errorf("%d of %d shares outlived their calls", live, len(seen))
	}
}

// panickyCtx is a caller's ctx whose Done panics.
type panickyCtx struct{ context.Context }

func (*panickyCtx) Done() <-chan struct{} { panic("Done of the caller's ctx") }

// TestCallBoundPanickingCtxLocksNobodyOut: a caller's ctx that panics
// while the bound derives from it panics in that caller's call only;
// the next call on the client is not locked out.
func TestCallBoundPanickingCtxLocksNobodyOut(t *testing.T) {
	b := newCallBound(time.Hour)
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the ctx's panic was lost")
			}
		}()
		b.acquire(&panickyCtx{context.Background()})
	}()
	done := make(chan struct{})
	go func() {
		_, s := b.acquire(context.Background())
		b.release(s)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a call after a panicking ctx never got its bound: the lock was left held")
	}
}
