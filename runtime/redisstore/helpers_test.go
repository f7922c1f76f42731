package redisstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net"
	"os"
	goruntime "runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// redisAddr is the address of the real redis-server the tests use. Without
// one the tests skip, except under CI where that is a broken set-up.
func redisAddr(t testing.TB) string {
	t.Helper()
	addr := os.Getenv("WSDLSESS_REDIS_ADDR")
	if addr != "" {
		return addr
	}
	msg := "WSDLSESS_REDIS_ADDR is not set: run ./scripts/test (it installs and starts a throwaway redis-server), " +
		"or start one yourself (redis-server --port 6390 --save '' --appendonly no) and export WSDLSESS_REDIS_ADDR=127.0.0.1:6390"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// newClient connects to the test Redis and checks it answers.
func newClient(t testing.TB) *redis.Client {
	t.Helper()
	addr := redisAddr(t)
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { rdb.Close() })
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("redis-server at WSDLSESS_REDIS_ADDR=%s does not answer PING: %v", addr, err)
	}
	return rdb
}

// testPrefix is a namespace of its own for one test, so tests never see
// each other's keys in the shared Redis.
func testPrefix(t testing.TB) string {
	var b [4]byte
	rand.Read(b[:])
	name := strings.NewReplacer("/", "-", " ", "-").Replace(t.Name())
	return "wsdlsess-test:" + name + ":" + hex.EncodeToString(b[:]) + ":"
}

// newTestStore returns a store on the test Redis under a fresh prefix, and
// removes its keys at the end.
func newTestStore(t testing.TB, rdb *redis.Client, opts ...Option) *Store {
	t.Helper()
	prefix := testPrefix(t)
	s, err := New(rdb, append([]Option{WithPrefix(prefix)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		ctx := context.Background()
		keys, _ := rdb.Keys(ctx, prefix+"*").Result()
		if len(keys) > 0 {
			rdb.Del(ctx, keys...)
		}
	})
	return s
}

// waitSubscribed waits until s's unlock subscription is live, for tests
// that rely on pub/sub alone.
func waitSubscribed(t testing.TB, rdb *redis.Client, s *Store) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		n, err := rdb.PubSubNumSub(ctx, s.channel()).Result()
		if err == nil && n[s.channel()] > 0 {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the store never subscribed to %s", s.channel())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func session(token string) *runtime.SessionState {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return &runtime.SessionState{
		Token:       token,
		Endpoint:    "https://eu1.example.test/services/Soap/u/60.0/00D",
		Cookies:     []runtime.StoredCookie{{URL: "https://eu1.example.test/", Name: "sid", Value: "cookie-" + token, Path: "/"}},
		Issued:      t0,
		TokenIssued: t0,
		LastUsed:    t0,
	}
}

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// waiterCount is the number of local waiters for key.
func (s *Store) waiterCount(key string) int {
	s.waiters.mu.Lock()
	defer s.waiters.mu.Unlock()
	return len(s.waiters.m[s.lockKey(key)])
}

// syncBuffer collects a store's log lines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func (b *syncBuffer) logger() *slog.Logger { return slog.New(slog.NewTextHandler(b, nil)) }

// noLeaks checks, after every other cleanup of the test (stores, clients,
// servers) has run, that the goroutines it started have ended.
func noLeaks(t *testing.T) {
	before := goruntime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(10 * time.Second)
		for goruntime.NumGoroutine() > before {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<16)
				t.Fatalf("goroutine leak: %d before, %d after\n%s", before, goruntime.NumGoroutine(), buf[:goruntime.Stack(buf, true)])
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}
