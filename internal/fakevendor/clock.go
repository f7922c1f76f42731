package fakevendor

import (
	"sync"
	"time"
)

// Clock is a settable fake clock, safe for concurrent use. The fakes read
// their session and token lifetimes from it, and a client under test can be
// given the same clock, so that expiry is driven by the test, not by sleeps.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Epoch is the time a Clock starts at when none is given: a fixed instant, so
// runs are reproducible.
var Epoch = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// NewClock returns a clock reading start (Epoch when start is zero).
func NewClock(start time.Time) *Clock {
	if start.IsZero() {
		start = Epoch
	}
	return &Clock{now: start}
}

// Now returns the clock's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d and returns the new time.
func (c *Clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// orNew returns c, or a fresh clock at Epoch when c is nil, so every fake
// has a clock even when its config gives none.
func (c *Clock) orNew() *Clock {
	if c == nil {
		return NewClock(time.Time{})
	}
	return c
}
