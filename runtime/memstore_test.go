package runtime

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestMemoryStoreCompareAndSwap(t *testing.T) {
	ctx := t.Context()
	s := NewMemoryStore()
	if st, err := s.Get(ctx, "k"); st != nil || err != nil {
		t.Fatalf("empty Get: %v %v", st, err)
	}
	if ok, _ := s.CompareAndSwap(ctx, "k", "", &SessionState{Token: "a"}, 0); !ok {
		t.Fatal("CAS on empty with old \"\" refused")
	}
	if ok, _ := s.CompareAndSwap(ctx, "k", "", &SessionState{Token: "x"}, 0); ok {
		t.Fatal("CAS with old \"\" overwrote a session")
	}
	if ok, _ := s.CompareAndSwap(ctx, "k", "stale", &SessionState{Token: "x"}, 0); ok {
		t.Fatal("stale CAS stored")
	}
	if ok, _ := s.CompareAndSwap(ctx, "k", "a", &SessionState{Token: "b", Cookies: []StoredCookie{{Name: "c"}}}, 0); !ok {
		t.Fatal("CAS a->b refused")
	}
	st, _ := s.Get(ctx, "k")
	st.Cookies[0].Name = "mutated" // callers get copies
	if st2, _ := s.Get(ctx, "k"); st2.Token != "b" || st2.Cookies[0].Name != "c" {
		t.Fatalf("Get: %+v", st2)
	}
	if ok, _ := s.CompareAndDelete(ctx, "k", "a"); ok {
		t.Fatal("delete of an old token removed the newer")
	}
	if ok, _ := s.CompareAndDelete(ctx, "k", "b"); !ok {
		t.Fatal("delete refused")
	}
	if st, _ := s.Get(ctx, "k"); st != nil {
		t.Fatal("deleted session still there")
	}
	_ = s.Put(ctx, "t", &SessionState{Token: "z"}, time.Nanosecond)
	time.Sleep(time.Millisecond)
	if st, _ := s.Get(ctx, "t"); st != nil {
		t.Fatal("expired entry returned")
	}
}

func TestMemoryStoreLock(t *testing.T) {
	ctx := t.Context()
	s := NewMemoryStore()
	var inside, maxInside atomic.Int64
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, err := s.Lock(ctx, "k", time.Minute)
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
			inside.Add(-1)
			_ = l.Unlock(ctx)
		}()
	}
	wg.Wait()
	if maxInside.Load() != 1 {
		t.Errorf("%d holders at once", maxInside.Load())
	}

	// A holder that died: its lock expires. Only the holder can unlock.
	dead, _ := s.Lock(ctx, "d", time.Millisecond)
	l2, err := s.Lock(ctx, "d", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	_ = dead.Unlock(ctx) // not the holder any more: no effect
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Lock(cctx, "d", time.Minute); err == nil {
		t.Fatal("Lock taken while held (or ctx ignored)")
	}
	_ = l2.Unlock(ctx)
	if l3, err := s.Lock(ctx, "d", time.Minute); err != nil {
		t.Fatal(err)
	} else {
		_ = l3.Unlock(ctx)
	}
}
