package redisstore

import (
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// No redis-server needed: the point is that there is none.
func TestRedisUnreachableIsAClearError(t *testing.T) {
	addr := freeAddr(t)
	rdb := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialerRetries: 1, DialTimeout: time.Second})
	defer rdb.Close()
	s, err := New(rdb, WithEncryptionKey(testKey))
	if err != nil {
		t.Fatalf("New must not need Redis up: %v", err)
	}
	defer s.Close()
	ctx := context.Background()
	const secret = "secret-token-value"

	_, errGet := s.Get(ctx, "k")
	errPut := s.Put(ctx, "k", session(secret), time.Minute)
	_, errCAS := s.CompareAndSwap(ctx, "k", "", session(secret), time.Minute)
	_, errRot := s.CompareAndSwap(ctx, "k", secret, rotated(session(secret), secret+"2", 1), time.Minute)
	_, errCAD := s.CompareAndDelete(ctx, "k", secret)
	_, errLock := s.Lock(ctx, "k", time.Minute)
	for name, err := range map[string]error{"Get": errGet, "Put": errPut, "CAS": errCAS, "rotation": errRot, "CAD": errCAD, "Lock": errLock} {
		if err == nil {
			t.Errorf("%s with Redis down: no error", name)
			continue
		}
		msg := err.Error()
		var se *Error
		if !errors.As(err, &se) || !strings.Contains(msg, addr) || !strings.Contains(msg, "redis-server running") {
			t.Errorf("%s: %q; want a *Error naming %s and the fix", name, msg, addr)
		}
		if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("%s: cause not wrapped: %v", name, err)
		}
		if strings.Contains(msg, secret) {
			t.Errorf("%s: error leaks the token: %s", name, msg)
		}
	}
}
