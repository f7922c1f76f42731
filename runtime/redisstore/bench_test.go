package redisstore

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// benchStores runs f once with the in-memory store and once with a Redis
// store on the test Redis.
func benchStores(b *testing.B, f func(b *testing.B, s runtime.Store)) {
	b.Run("memory", func(b *testing.B) { f(b, runtime.NewMemoryStore()) })
	b.Run("redis", func(b *testing.B) { f(b, newTestStore(b, newClient(b))) })
	b.Run("redis-aes", func(b *testing.B) { f(b, newTestStore(b, newClient(b), WithEncryptionKey(testKey))) })
}

func BenchmarkStoreGet(b *testing.B) {
	benchStores(b, func(b *testing.B, s runtime.Store) {
		ctx := context.Background()
		s.Put(ctx, "k", session("tok"), time.Hour)
		for b.Loop() {
			if _, err := s.Get(ctx, "k"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkStoreCompareAndSwap(b *testing.B) {
	benchStores(b, func(b *testing.B, s runtime.Store) {
		ctx := context.Background()
		old := ""
		i := 0
		for b.Loop() {
			next := "tok-" + strconv.Itoa(i)
			i++
			if ok, err := s.CompareAndSwap(ctx, "k", old, session(next), time.Hour); !ok || err != nil {
				b.Fatal(ok, err)
			}
			old = next
		}
	})
}

func BenchmarkStoreLockUnlock(b *testing.B) {
	benchStores(b, func(b *testing.B, s runtime.Store) {
		ctx := context.Background()
		for b.Loop() {
			l, err := s.Lock(ctx, "k", time.Minute)
			if err != nil {
				b.Fatal(err)
			}
			l.Unlock(ctx)
		}
	})
}

func benchClient(b *testing.B, sf *fakevendor.Salesforce, s runtime.Store) *runtime.Client {
	c, err := runtime.NewClient(sfService(sf.URL()),
		runtime.WithCredentials(runtime.Password(fleetUser, fleetPass)), runtime.WithStore(s))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func benchSalesforce(b *testing.B) *fakevendor.Salesforce {
	sf := fakevendor.NewSalesforce(fakevendor.SalesforceConfig{Users: map[string]string{fleetUser: fleetPass}})
	b.Cleanup(sf.Close)
	return sf
}

// BenchmarkCall is one session-aware query over real HTTP to the fake
// Salesforce, with the session in each store.
func BenchmarkCall(b *testing.B) {
	benchStores(b, func(b *testing.B, s runtime.Store) {
		sf := benchSalesforce(b)
		c := benchClient(b, sf, s)
		ctx := context.Background()
		i := 0
		for b.Loop() {
			i++
			var out sfQueryOut
			if err := c.Invoke(ctx, sfQueryOp, &sfQueryIn{QueryString: "q" + strconv.Itoa(i)}, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLoginsPerExpiry ends the session server-side each iteration
// while 4 clients (each its own session engine, as 4 processes would have)
// x 25 goroutines call; it reports the logins per expiry. "unshared" gives
// each client its own private store: the fleet without a shared store.
func BenchmarkLoginsPerExpiry(b *testing.B) {
	run := func(b *testing.B, store func() runtime.Store) {
		sf := benchSalesforce(b)
		var cs []*runtime.Client
		for range 4 {
			cs = append(cs, benchClient(b, sf, store()))
		}
		ctx := context.Background()
		n := 0
		for b.Loop() {
			sf.KillAll()
			var wg sync.WaitGroup
			for _, c := range cs {
				for range 25 {
					n++
					q := "q" + strconv.Itoa(n)
					wg.Go(func() {
						var out sfQueryOut
						if err := c.Invoke(ctx, sfQueryOp, &sfQueryIn{QueryString: q}, &out); err != nil {
							b.Error(err)
						}
					})
				}
			}
			wg.Wait()
		}
		b.ReportMetric(float64(sf.Logins.Load())/float64(b.N), "logins/expiry")
	}
	b.Run("unshared", func(b *testing.B) { run(b, runtime.NewMemoryStore) })
	b.Run("memory", func(b *testing.B) {
		s := runtime.NewMemoryStore()
		run(b, func() runtime.Store { return s })
	})
	b.Run("redis", func(b *testing.B) {
		s := newTestStore(b, newClient(b))
		run(b, func() runtime.Store { return s })
	})
}
