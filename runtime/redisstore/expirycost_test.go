package redisstore

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
)

// scriptCounter counts, on one process's go-redis client, the runs of the
// compare-and-delete script and the connections dialled.
type scriptCounter struct {
	cad, dials atomic.Int64
}

func (c *scriptCounter) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c.dials.Add(1)
		return next(ctx, network, addr)
	}
}

func (c *scriptCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if a := cmd.Args(); len(a) > 1 && (cmd.Name() == "evalsha" && a[1] == cadScript.Hash() || cmd.Name() == "eval" && a[1] == cadSource) {
			c.cad.Add(1)
		}
		return next(ctx, cmd)
	}
}

func (c *scriptCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

// A server-side expiry met by many calls at once costs each process one
// compare-and-delete of the rejected token, not one per rejected call, and
// no burst of new Redis connections.
func TestExpiryCostsOneDeletePerProcess(t *testing.T) {
	noLeaks(t)
	addr := redisAddr(t)
	const procs, goroutines = 4, 50
	// Every call of the burst reaches the server before the session ends,
	// so all of them carry the token the server then rejects.
	var arrived atomic.Int64
	release := make(chan struct{})
	var sf *fakevendor.Salesforce
	sf = fakevendor.NewSalesforce(fakevendor.SalesforceConfig{Users: map[string]string{fleetUser: fleetPass},
		OnRequest: func(op, payload string) {
			if payload != "burst" {
				return
			}
			if arrived.Add(1) == procs*goroutines {
				sf.KillAll()
				close(release)
			}
			<-release
		}})
	t.Cleanup(sf.Close)
	prefix := testPrefix(t)
	type proc struct {
		*process
		n *scriptCounter
	}
	var ps []proc
	var logs syncBuffer
	for range procs {
		rdb := redis.NewClient(&redis.Options{Addr: addr})
		t.Cleanup(func() { rdb.Close() })
		n := &scriptCounter{}
		rdb.AddHook(n)
		if err := cadScript.Load(t.Context(), rdb).Err(); err != nil {
			t.Fatal(err)
		}
		ps = append(ps, proc{newProcess(t, rdb, sf, prefix, &logs), n})
	}
	t.Cleanup(func() { ctx := context.Background(); ps[0].s.rdb.Del(ctx, ps[0].s.rdb.Keys(ctx, prefix+"*").Val()...) })
	for _, p := range ps {
		p.call(t)
	}
	dialsBefore := make([]int64, procs)
	for i, p := range ps {
		dialsBefore[i] = p.n.dials.Load()
	}
	sf.KillAll()
	var wg sync.WaitGroup
	for _, p := range ps {
		for range goroutines {
			wg.Go(func() { p.query(t, "burst") })
		}
	}
	wg.Wait()
	for i, p := range ps {
		if n := p.n.cad.Load(); n > 1 {
			t.Errorf("process %d ran compare-and-delete %d times for one expiry; want at most 1", i, n)
		}
		if d := p.n.dials.Load() - dialsBefore[i]; d > 4 {
			t.Errorf("process %d dialled Redis %d times for one expiry", i, d)
		}
	}
	if n := sf.Logins.Load(); n != 2 {
		t.Errorf("logins = %d; want 2 (one per expiry)", n)
	}
}
