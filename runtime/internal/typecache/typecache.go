// Package typecache keeps what the runtime's codecs (xmldec, xmlenc)
// hold per Go type: the plans they build once, and the natives the
// runtime registers for its own types.
package typecache

import (
	"errors"
	"reflect"
	"sync"
)

// ErrNone is what Get returns for a type that has no plan.
var ErrNone = errors.New("typecache: no plan for the type")

// Cache holds one plan per type, or the fact that the type has none.
type Cache[P any] struct {
	mu sync.Mutex // one build at a time: a build fills in many types
	m  sync.Map   // reflect.Type → P, or ErrNone
}

// Get returns t's plan. The first time, build makes it and returns the
// plans of every type it built on the way (t's own included), all kept.
// A build error is kept as ErrNone and returned as it is this once.
func (c *Cache[P]) Get(t reflect.Type, build func(reflect.Type) (P, map[reflect.Type]P, error)) (P, error) {
	if p, found, err := c.Load(t); found {
		return p, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	p, built, err := build(t)
	if err != nil {
		c.m.Store(t, ErrNone)
		return p, err
	}
	for bt, bp := range built {
		c.m.LoadOrStore(bt, bp)
	}
	c.m.LoadOrStore(t, p)
	return p, nil
}

// Load returns what is kept for t: found is false for a type not built
// yet, err ErrNone for one that has no plan.
func (c *Cache[P]) Load(t reflect.Type) (p P, found bool, err error) {
	x, ok := c.m.Load(t)
	if !ok {
		return p, false, nil
	}
	if p, ok := x.(P); ok {
		return p, true, nil
	}
	return p, true, ErrNone
}

// Set keeps p for t unless t already has a plan.
func (c *Cache[P]) Set(t reflect.Type, p P) { c.m.LoadOrStore(t, p) }

// Natives are the runtime's matchers of its own types, N a func type:
// the first matcher that returns a non-nil N for a type handles it.
type Natives[N any] struct {
	mu    sync.RWMutex
	match []func(reflect.Type) N
}

// Register adds match; register before the first plan is built.
func (r *Natives[N]) Register(match func(reflect.Type) N) {
	r.mu.Lock()
	r.match = append(r.match, match)
	r.mu.Unlock()
}

// For returns the native of t, nil when none matches.
func (r *Natives[N]) For(t reflect.Type) N {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, m := range r.match {
		if n := m(t); !reflect.ValueOf(&n).Elem().IsNil() {
			return n
		}
	}
	var none N
	return none
}
