package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
	sfdc "github.com/wsdlsess/wsdlsess/golden/salesforce-partner"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/internal/scenario"
	"github.com/wsdlsess/wsdlsess/runtime"
	"github.com/wsdlsess/wsdlsess/runtime/redisstore"
)

// A fleet of generated Salesforce clients (4, as 4 processes would hold)
// sharing one Redis store: one login per expiry between them, and Redis
// never holds the session id in clear. The multi-process version of this
// runs in runtime/redisstore's fleet tests; here the point is that the
// generated client and its compiled profile work with the Redis store.
func TestSalesforceFleetOnRedis(t *testing.T) {
	addr := os.Getenv("WSDLSESS_REDIS_ADDR")
	if addr == "" {
		msg := "WSDLSESS_REDIS_ADDR is not set: run ./scripts/test, which starts a throwaway redis-server"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	h := scenario.New(t)
	org := newOrg(t, fakevendor.SalesforceConfig{})
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { rdb.Close() })
	var key [32]byte
	rand.Read(key[:])
	var pfx [4]byte
	rand.Read(pfx[:])
	prefix := "wsdlsess-e2e:" + hex.EncodeToString(pfx[:]) + ":"
	ctx := context.Background()
	var clients []*sfdc.Client
	for range 4 {
		store, err := redisstore.New(rdb, redisstore.WithPrefix(prefix), redisstore.WithEncryptionKey(key[:]))
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, sfClient(h, org, sfPassword, runtime.WithStore(store)))
	}
	for round := range 3 {
		errs := make([]error, 100)
		scenario.Parallel(100, func(i int) { errs[i] = query(ctx, h, clients[i%4], fmt.Sprintf("f%d-%d", round, i)) })
		if got := scenario.FirstErrors(errs); len(got) > 0 {
			t.Fatalf("round %d: %v", round, got)
		}
		if got := org.Logins.Load(); got != int64(round+1) {
			t.Fatalf("round %d: logins = %d, want %d (one per expiry for the fleet)", round, got, round+1)
		}
		org.KillAll()
	}
	keys, err := rdb.Keys(ctx, prefix+"*").Result()
	if err != nil || len(keys) == 0 {
		t.Fatalf("no session in Redis under %s (%v)", prefix, err)
	}
	for _, k := range keys {
		v, _ := rdb.Dump(ctx, k).Result()
		for _, s := range org.Secrets() {
			if len(s) >= 8 && strings.Contains(v, s) {
				t.Errorf("Redis key %s holds a session id in clear", k)
			}
		}
		rdb.Del(ctx, k)
	}
	h.NoSecrets(org.Secrets(), []string{sfPassword})
}
