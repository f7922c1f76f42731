package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime"
)

// ErrNotHeld is returned by Lease.Extend when the lease's TTL ran out and
// the lock is gone or held by another owner.
var ErrNotHeld = errors.New("redisstore: the lock is no longer held by this lease (its TTL ran out): use a TTL longer than the slowest login")

type pollConfig struct{ min, max time.Duration }

// Lock takes the lock for key, waiting until it is free or ctx ends. The
// lock expires after ttl if its holder dies.
func (s *Store) Lock(ctx context.Context, key string, ttl time.Duration) (runtime.Lease, error) {
	if ttl <= 0 {
		return nil, errors.New("redisstore: Lock needs a positive TTL (longer than the slowest login), so a dead holder cannot block the fleet forever")
	}
	name := s.lockKey(key)
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("redisstore: Lock: owner token: %w", err)
	}
	owner := hex.EncodeToString(b[:])

	// Register before the first attempt, so an unlock published between a
	// failed attempt and the wait is not missed.
	wake := s.waiters.add(name)
	defer s.waiters.remove(name, wake)

	// With WithLockTTL the lock lives in Redis for the short TTL and a
	// keepalive renews it while its holder lives, up to the caller's ttl.
	redisTTL := ttl
	if s.lockTTL > 0 && s.lockTTL < ttl {
		redisTTL = s.lockTTL
	}
	backoff := s.poll.min
	for {
		pttl, err := acquireScript.Run(ctx, s.rdb, []string{name}, owner, ms(redisTTL)).Int64()
		if err != nil {
			if ctx.Err() != nil {
				// The SET may have landed before the cancel: release it
				// (owner-checked, so nobody else's lock) rather than leave
				// an orphan for its whole TTL.
				releaseScript.Run(context.WithoutCancel(ctx), s.rdb, []string{name}, owner, s.channel())
				return nil, waitErr(ctx)
			}
			return nil, s.redisErr("Lock", err)
		}
		if pttl == -3 {
			l := &Lease{s: s, name: name, owner: owner}
			if redisTTL < ttl {
				l.stop, l.stopped = make(chan struct{}), make(chan struct{})
				go l.keepAlive(redisTTL, time.Now().Add(ttl))
			}
			return l, nil
		}
		wait := backoff
		backoff = min(2*backoff, s.poll.max)
		switch {
		case pttl == -2: // released between SET and PTTL: retry now
			wait = 0
		case pttl >= 0:
			// Never sleep past the holder's expiry: a dead holder is
			// replaced as soon as its TTL ends.
			wait = min(wait, time.Duration(pttl+1)*time.Millisecond)
		}
		if wait == 0 {
			continue
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, waitErr(ctx)
		case <-wake:
		case <-t.C:
		}
		t.Stop()
	}
}

func waitErr(ctx context.Context) error {
	return fmt.Errorf("redisstore: Lock: gave up waiting for the session lock: %w", context.Cause(ctx))
}

// Lease is a held lock. Only the lease that took it can release or extend
// it.
type Lease struct {
	s     *Store
	name  string
	owner string

	// With a keepalive: stop ends it, stopped says it ended.
	stopOnce sync.Once
	stop     chan struct{}
	stopped  chan struct{}
}

// keepAlive renews the lock's Redis TTL every third of it until Unlock,
// until the caller's own TTL has passed since acquisition, or until the
// lock turns out to be lost. A holder that dies stops renewing, so the fleet
// takes over after the short TTL, not the long one.
func (l *Lease) keepAlive(ttl time.Duration, until time.Time) {
	defer close(l.stopped)
	t := time.NewTicker(max(ttl/3, time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case now := <-t.C:
			if !now.Before(until) {
				return
			}
			// Renew for at most what is left of the caller's TTL.
			d := min(ttl, until.Sub(now))
			r, err := extendScript.Run(context.Background(), l.s.rdb, []string{l.name}, l.owner, ms(d)).Int()
			if err == nil && r == 0 {
				return
			}
		}
	}
}

func (l *Lease) stopKeepAlive() {
	if l.stop == nil {
		return
	}
	l.stopOnce.Do(func() { close(l.stop) })
	<-l.stopped
}

// Unlock releases the lock if this lease still holds it (a lease whose TTL
// ran out releases nothing, so it cannot free a successor's lock) and wakes
// the waiters of every process. It runs even when ctx is already cancelled:
// a caller that gave up must still not leave the lock held for its whole
// TTL.
func (l *Lease) Unlock(ctx context.Context) error {
	l.stopKeepAlive()
	ctx = context.WithoutCancel(ctx)
	if err := releaseScript.Run(ctx, l.s.rdb, []string{l.name}, l.owner, l.s.channel()).Err(); err != nil {
		return l.s.redisErr("Unlock", err)
	}
	return nil
}

// Extend resets the lock's TTL to ttl if this lease still holds it, for a
// holder whose work runs longer than expected; ErrNotHeld otherwise.
func (l *Lease) Extend(ctx context.Context, ttl time.Duration) error {
	if ttl <= 0 {
		return errors.New("redisstore: Extend needs a positive TTL")
	}
	r, err := extendScript.Run(ctx, l.s.rdb, []string{l.name}, l.owner, ms(ttl)).Int()
	if err != nil {
		return l.s.redisErr("Extend", err)
	}
	if r == 0 {
		return ErrNotHeld
	}
	return nil
}
