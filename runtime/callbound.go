package runtime

import (
	"context"
	"reflect"
	"sync"
	"time"
)

// callBound is the runtime's own client's bound on a call whose ctx
// allows more than d (or has no deadline at all).
//
// A context with a deadline of its own for every call cost about 4 % of a
// loopback call: a timer, and a cancelCtx under which the transport then
// registers its per-request context (seven allocations, two parents'
// child maps locked). Calls that start within the same boundGrain on the
// same ctx share one instead, so a caller that makes all its calls with
// one ctx (a batch job's context.Background(), a worker's long-lived ctx)
// pays for a timer about once a second. Every call still gets at least d
// and at most d+boundGrain.
type callBound struct {
	d     time.Duration
	cause *callTimeoutError

	mu  sync.Mutex
	cur *boundShare // the share new calls on cur.parent join until cur.until
}

// boundGrain is how long a share takes new calls, and so by how much a
// call's bound may exceed d.
const boundGrain = time.Second

// boundShare is one deadline ctx and the calls running under it.
type boundShare struct {
	parent context.Context // nil: a share of one call (unshareable parent)
	until  time.Time       // calls starting before this may join
	ctx    context.Context
	cancel context.CancelFunc
	refs   int // calls running under ctx; guarded by callBound.mu
}

func newCallBound(d time.Duration) *callBound {
	return &callBound{d: d, cause: &callTimeoutError{d: d}}
}

// acquire returns the ctx a call runs under and the share to release when
// the call is done (nil when ctx is used as it is: its deadline is within
// d, or b is nil on a client the caller supplied).
func (b *callBound) acquire(ctx context.Context) (context.Context, *boundShare) {
	if b == nil {
		return ctx, nil
	}
	// Every call carries a panics collector of its own (withPanics): the
	// share is the caller's ctx beneath it, and the collector goes on top.
	if pc, ok := ctx.(*panicsCtx); ok {
		c, s := b.acquire(pc.Context)
		if s == nil {
			return ctx, nil
		}
		return &panicsCtx{Context: c, p: pc.p}, s
	}
	now := time.Now()
	if dl, ok := ctx.Deadline(); ok && dl.Sub(now) <= b.d {
		return ctx, nil
	}
	if !shareable(ctx) {
		c, cancel := context.WithDeadlineCause(ctx, now.Add(b.d), b.cause)
		return c, &boundShare{ctx: c, cancel: cancel, refs: 1}
	}
	b.mu.Lock()
	if s := b.cur; s != nil && s.parent == ctx && now.Before(s.until) {
		s.refs++
		b.mu.Unlock()
		return s.ctx, s
	}
	b.mu.Unlock()
	// A new share, made outside the lock: deriving from ctx runs the
	// caller's ctx methods, which must not hold up (or, panicking, lock
	// out) every other call on the client. Two calls that both get here
	// make a share each; the one replaced ends with its last call.
	c, cancel := context.WithDeadlineCause(ctx, now.Add(b.d+boundGrain), b.cause)
	s := &boundShare{parent: ctx, until: now.Add(boundGrain), ctx: c, cancel: cancel, refs: 1}
	b.mu.Lock()
	old := b.cur
	b.cur = s
	retire := old != nil && old.refs == 0
	b.mu.Unlock()
	if retire {
		old.cancel() // nobody runs under it and nobody can join it any more
	}
	return s.ctx, s
}

// release ends s's use by one call. The last call out of a share that
// takes no more calls cancels it: its timer and its hold on the parent
// ctx go then, not minutes later when the deadline fires.
func (b *callBound) release(s *boundShare) {
	if s == nil {
		return
	}
	b.mu.Lock()
	s.refs--
	done := s.refs == 0 && (b.cur != s || !time.Now().Before(s.until))
	if done && b.cur == s {
		b.cur = nil
	}
	b.mu.Unlock()
	if done {
		s.cancel()
	}
}

var backgroundType, todoType = reflect.TypeOf(context.Background()), reflect.TypeOf(context.TODO())

// shareable reports whether ctx can be compared with == without a panic
// and meaning the same ctx: a pointer (every context the standard library
// derives), or the Background and TODO values. A ctx of some other
// struct type may hold a field that == cannot compare.
func shareable(ctx context.Context) bool {
	t := reflect.TypeOf(ctx)
	return t.Kind() == reflect.Pointer || t == backgroundType || t == todoType
}
