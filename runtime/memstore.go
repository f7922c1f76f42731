package runtime

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"maps"
	"sync"
	"time"
)

// memoryStore is the in-process Store: a map under a mutex, entries with an
// expiry, and locks that expire too (so a holder that died frees them).
type memoryStore struct {
	mu      sync.Mutex
	entries map[string]memEntry
	locks   map[string]memLock
	// wake is closed and replaced whenever a lock is released, so waiters
	// re-check without polling.
	wake chan struct{}
}

type memEntry struct {
	s       SessionState
	expires time.Time // zero: never
}

type memLock struct {
	owner   string
	expires time.Time
}

// NewMemoryStore returns a Store kept in this process's memory. Clients
// given the same store share sessions and do one login per expiry between
// them. Lock TTLs and entry TTLs use the wall clock.
func NewMemoryStore() Store {
	return &memoryStore{entries: map[string]memEntry{}, locks: map[string]memLock{}, wake: make(chan struct{})}
}

func expiry(ttl time.Duration) time.Time {
	if ttl <= 0 {
		return time.Time{}
	}
	return time.Now().Add(ttl)
}

// getLocked returns the live entry under key, dropping an expired one.
func (m *memoryStore) getLocked(key string) (memEntry, bool) {
	e, ok := m.entries[key]
	if ok && !e.expires.IsZero() && !time.Now().Before(e.expires) {
		delete(m.entries, key)
		return e, false
	}
	return e, ok
}

func clone(s *SessionState) SessionState {
	c := *s
	c.Cookies = append([]StoredCookie(nil), s.Cookies...)
	c.Lent = maps.Clone(s.Lent)
	return c
}

func (m *memoryStore) Get(ctx context.Context, key string) (*SessionState, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.getLocked(key)
	if !ok {
		return nil, nil
	}
	s := clone(&e.s)
	return &s, nil
}

func (m *memoryStore) Put(ctx context.Context, key string, s *SessionState, ttl time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries[key] = memEntry{s: clone(s), expires: expiry(ttl)}
	return nil
}

func (m *memoryStore) CompareAndSwap(ctx context.Context, key, oldToken string, next *SessionState, ttl time.Duration) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.getLocked(key)
	if (oldToken == "" && ok) || (oldToken != "" && (!ok || e.s.Token != oldToken)) {
		return false, nil
	}
	m.entries[key] = memEntry{s: clone(next), expires: expiry(ttl)}
	return true, nil
}

func (m *memoryStore) CompareAndDelete(ctx context.Context, key, token string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.getLocked(key)
	if !ok || e.s.Token != token {
		return false, nil
	}
	delete(m.entries, key)
	return true, nil
}

func (m *memoryStore) Lock(ctx context.Context, key string, ttl time.Duration) (Lease, error) {
	var b [16]byte
	_, _ = rand.Read(b[:])
	owner := hex.EncodeToString(b[:])
	for {
		m.mu.Lock()
		l, held := m.locks[key]
		now := time.Now()
		if !held || (!l.expires.IsZero() && !now.Before(l.expires)) {
			m.locks[key] = memLock{owner: owner, expires: expiry(ttl)}
			m.mu.Unlock()
			return &memLease{m: m, key: key, owner: owner}, nil
		}
		wake := m.wake
		wait := time.Until(l.expires)
		m.mu.Unlock()
		var timer <-chan time.Time
		var t *time.Timer
		if !l.expires.IsZero() {
			t = time.NewTimer(wait)
			timer = t.C
		}
		select {
		case <-wake:
		case <-timer:
		case <-ctx.Done():
		}
		if t != nil {
			t.Stop()
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
}

type memLease struct {
	m          *memoryStore
	key, owner string
}

func (l *memLease) Unlock(ctx context.Context) error {
	m := l.m
	m.mu.Lock()
	defer m.mu.Unlock()
	if cur, ok := m.locks[l.key]; ok && cur.owner == l.owner {
		delete(m.locks, l.key)
		close(m.wake)
		m.wake = make(chan struct{})
	}
	return nil
}
