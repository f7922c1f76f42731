package fakevendor

import (
	mrand "math/rand/v2"
	"sync"
	"time"
)

// sessionTable is the server side of the fakes whose session is one opaque
// id (Salesforce's sessionId, Oracle's and the cookie fake's JSESSIONID):
// the live sessions, why each ended one ended (so a rejection names
// "expired" or "killed", as the tests assert, rather than "unknown"), and
// every id ever issued (the leak tests scan logs and errors for them). A
// fake embeds it, so its exported methods (Secrets, KillSession, KillAll,
// KillRandom) are the fake's. It shares the fake's mutex rather than having
// its own, because the fake changes it together with its other state: the
// exported methods take that mutex, the unexported ones expect it held.
type sessionTable[S idleSession] struct {
	mu     *sync.Mutex
	clock  *Clock
	users  map[string]string // user -> password, secrets too
	live   map[string]S
	ended  map[string]string // ended id -> rejection reason
	issued []string
	idle   time.Duration
	// onEnd is a fake's own bookkeeping when a session ends (Salesforce's
	// user -> session index); nil for none.
	onEnd func(id string, se S)
}

// idleSession is a session the table can expire: the time it last served.
type idleSession interface{ lastUse() time.Time }

func newSessionTable[S idleSession](mu *sync.Mutex, clock *Clock, idle time.Duration, users map[string]string) sessionTable[S] {
	return sessionTable[S]{mu: mu, clock: clock, users: users, live: map[string]S{}, ended: map[string]string{}, idle: idle}
}

// Secrets returns every password and session id the fake knows, for tests
// that scan logs and errors for leaks.
func (t *sessionTable[S]) Secrets() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return secretList(t.issued, t.users)
}

// KillSession ends session id server-side; it reports whether it was live.
func (t *sessionTable[S]) KillSession(id string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.end(id, ReasonKilled)
}

// KillAll ends every session and returns how many there were.
func (t *sessionTable[S]) KillAll() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.endAll(ReasonKilled)
}

// KillRandom ends one live session picked with r.
func (t *sessionTable[S]) KillRandom(r *mrand.Rand) bool {
	id, ok := pickRandom(t.liveNow(), r)
	return ok && t.KillSession(id)
}

// liveNow is liveIDs at the fake's clock's now, under the fake's mutex.
func (t *sessionTable[S]) liveNow() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.liveIDs(t.clock.Now())
}

// open records a new live session and remembers its id as a secret.
func (t *sessionTable[S]) open(id string, se S) {
	t.live[id] = se
	t.issued = append(t.issued, id)
}

// find returns the live session named id, or the reason there is none: why
// it ended, ReasonExpired when it sat idle too long at now (it is ended on
// the way), ReasonUnknownSession when it never existed.
func (t *sessionTable[S]) find(id string, now time.Time) (S, string) {
	var none S
	se, ok := t.live[id]
	if !ok {
		if why, ended := t.ended[id]; ended {
			return none, why
		}
		return none, ReasonUnknownSession
	}
	if now.Sub(se.lastUse()) > t.idle {
		t.end(id, ReasonExpired)
		return none, ReasonExpired
	}
	return se, ""
}

// end ends session id for reason; it reports whether it was in the table.
func (t *sessionTable[S]) end(id, reason string) bool {
	se, ok := t.live[id]
	if !ok {
		return false
	}
	delete(t.live, id)
	t.ended[id] = reason
	if t.onEnd != nil {
		t.onEnd(id, se)
	}
	return true
}

// endAll ends every session in the table, idle ones included, and returns
// how many there were.
func (t *sessionTable[S]) endAll(reason string) int {
	n := 0
	for id := range t.live {
		if t.end(id, reason) {
			n++
		}
	}
	return n
}

// liveIDs returns the ids of the sessions not idle longer than the timeout
// at now.
func (t *sessionTable[S]) liveIDs(now time.Time) []string {
	var ids []string
	for id, se := range t.live {
		if now.Sub(se.lastUse()) <= t.idle {
			ids = append(ids, id)
		}
	}
	return ids
}

// secretList is what every fake's Secrets returns: the tokens it issued and
// the passwords (or client secrets) it accepts.
func secretList(issued []string, passwords map[string]string) []string {
	out := append([]string(nil), issued...)
	for _, p := range passwords {
		out = append(out, p)
	}
	return out
}
