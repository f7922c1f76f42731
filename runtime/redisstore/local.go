package redisstore

import (
	"sync"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime"
)

// localSessions keeps this process's rotating sessions (see the package
// doc: rotating sessions are never shared through Redis). It has the same
// compare-and-swap rules as the Redis part.
type localSessions struct {
	mu sync.Mutex
	m  map[string]localEntry
}

type localEntry struct {
	s       *runtime.SessionState
	expires time.Time // zero: never
}

func newLocalSessions() *localSessions { return &localSessions{m: map[string]localEntry{}} }

func (l *localSessions) current(key string) *runtime.SessionState {
	e, ok := l.m[key]
	if !ok {
		return nil
	}
	if !e.expires.IsZero() && !time.Now().Before(e.expires) {
		delete(l.m, key)
		return nil
	}
	return e.s
}

func (l *localSessions) get(key string) *runtime.SessionState {
	l.mu.Lock()
	defer l.mu.Unlock()
	return clone(l.current(key))
}

func (l *localSessions) put(key string, s *runtime.SessionState, ttl time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.set(key, s, ttl)
}

func (l *localSessions) set(key string, s *runtime.SessionState, ttl time.Duration) {
	e := localEntry{s: clone(s)}
	if ttl > 0 {
		e.expires = time.Now().Add(ttl)
	}
	l.m[key] = e
}

func (l *localSessions) compareAndSwap(key, oldToken string, next *runtime.SessionState, ttl time.Duration) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	cur := l.current(key)
	if oldToken == "" {
		if cur != nil {
			return false
		}
	} else if cur == nil || cur.Token != oldToken {
		return false
	}
	l.set(key, next, ttl)
	return true
}

func (l *localSessions) compareAndDelete(key, token string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	cur := l.current(key)
	if cur == nil || cur.Token != token {
		return false
	}
	delete(l.m, key)
	return true
}

// clone copies s so that callers never share memory with the store.
func clone(s *runtime.SessionState) *runtime.SessionState {
	if s == nil {
		return nil
	}
	c := *s
	c.Cookies = append([]runtime.StoredCookie(nil), s.Cookies...)
	return &c
}
