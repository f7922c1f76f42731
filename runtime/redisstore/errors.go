package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/redis/go-redis/v9"
)

// Error is the error of a store operation that Redis failed (or whose stored
// value did not decode). It never holds a token, cookie, password or key
// name; Unwrap gives go-redis's cause.
type Error struct {
	Op   string // Get, Put, CompareAndSwap, CompareAndDelete, Lock, Unlock, Extend
	Addr string // where Redis was expected
	Err  error
}

func (e *Error) Error() string {
	hint := ""
	var rerr redis.Error
	switch {
	case errors.Is(e.Err, context.Canceled), errors.Is(e.Err, context.DeadlineExceeded):
	case errors.As(e.Err, &rerr):
		hint = " (Redis answered with an error)"
	case errors.Is(e.Err, redis.ErrClosed):
		hint = " (the go-redis client was closed before the store)"
	default:
		hint = " (is redis-server running and reachable there? go-redis reconnects by itself once it is)"
	}
	return fmt.Sprintf("redisstore: %s on Redis at %s failed%s: %v", e.Op, e.Addr, hint, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

func (s *Store) redisErr(op string, err error) error {
	return &Error{Op: op, Addr: s.addr(), Err: err}
}

// addr names the Redis the client talks to, for error messages.
func (s *Store) addr() string {
	if s.sentinel != "" {
		return s.sentinel
	}
	switch c := s.rdb.(type) {
	case *redis.Client:
		if a := c.Options().Addr; a != failoverAddr {
			return a
		}
		// go-redis's FailoverClient reports this placeholder as its
		// address and keeps the sentinels to itself.
		return "a Sentinel-managed master (go-redis FailoverClient: pass redisstore.WithSentinel(masterName, sentinelAddrs...) to name it here)"
	case *redis.ClusterClient:
		if a := c.Options().Addrs; len(a) > 0 {
			return "cluster " + strings.Join(a, ",")
		}
		return "a cluster whose nodes come from Sentinel (pass redisstore.WithSentinel to name it here)"
	case *redis.Ring:
		return "ring"
	}
	return "?"
}

// failoverAddr is the Addr go-redis gives a FailoverClient.
const failoverAddr = "FailoverClient"
