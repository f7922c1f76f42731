package runtime

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// credGuard is what an engine knows of its credentials: whether the server
// has accepted them yet, and its last refusal of them. Servers lock an
// account after a few failed logins, so:
//   - until the server has opened a session with them, at most one request
//     carries the credentials at a time: a burst of callers with a wrong
//     password makes one attempt, not one per pool slot or exchange;
//   - a refusal is answered from memory for loginBackoff to every caller
//     of the engine, whatever slot, pool or exchange it goes through (the
//     credentials and endpoint, not the slot, were refused).
//
// Once proven, logins run in parallel (a pool opening several sessions).
type credGuard struct {
	clock Clock
	// turn holds a value while unproven credentials are in flight.
	turn   chan struct{}
	proven atomic.Bool

	mu sync.Mutex
	// refused is the last login the server refused, refusedAt when (on the
	// Clock, like every other limit, so a test decides when it ends).
	refused   error
	refusedAt time.Time
}

func newCredGuard(clock Clock) *credGuard {
	return &credGuard{clock: clock, turn: make(chan struct{}, 1)}
}

// refusal returns the remembered refusal while it holds at now, else nil.
// The caller reads the Clock: it is user code, never called under g.mu.
func (g *credGuard) refusal(now time.Time) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.refused != nil && now.Sub(g.refusedAt) < loginBackoff {
		return g.refused
	}
	return nil
}

// enter waits for the turn to send the credentials. It returns the
// remembered refusal instead when there is one (also one that arrived
// while waiting), or ctx's error. release, never nil on success, must be
// called once the outcome is recorded, not before: a waiter let in
// earlier would send the same wrong password again.
func (g *credGuard) enter(ctx context.Context) (release func(), err error) {
	if err := g.refusal(g.clock.Now()); err != nil {
		return nil, err
	}
	if g.proven.Load() {
		return func() {}, nil
	}
	select {
	case g.turn <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("runtime: waiting for login: %w", ctx.Err())
	}
	if err := g.refusal(g.clock.Now()); err != nil {
		<-g.turn
		return nil, err
	}
	if g.proven.Load() {
		<-g.turn
		return func() {}, nil
	}
	var once sync.Once
	return func() { once.Do(func() { <-g.turn }) }, nil
}

// record notes the outcome of a login: opened (the server opened a session
// with the credentials) or err. It reports whether err is the refusal
// already remembered (handed out again, not a new attempt).
func (g *credGuard) record(now time.Time, opened bool, err error) (remembered bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case err != nil && err == g.refused:
		return true
	case refusedByServer(err):
		g.refused, g.refusedAt = err, now
		g.proven.Store(false)
	case opened:
		g.refused = nil
		g.proven.Store(true)
	}
	return false
}
