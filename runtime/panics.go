package runtime

import (
	"context"
	"fmt"
	"sync"
)

// User code the runtime calls (credential funcs, the WithEvents hook, the
// logger's handler, a Store) may panic. Such a panic must not unwind
// through the session engine: it would leave a login in flight that every
// later call waits for, or, in a goroutine the runtime started, crash the
// process where no caller can recover it. Each call into user code is
// therefore guarded: a panic becomes a *panicError, which the call that
// ran the code returns.

// maxPanicText bounds the printed panic value in an error.
const maxPanicText = 256

// panicError reports a panic in user code the runtime called.
type panicError struct {
	// what names the user code: "PasswordFunc", "WithEvents callback",
	// "logger", "Store.Get", ….
	what string
	// value is the panic value as text, scrubbed of the secrets the
	// runtime knew at the call and cut to maxPanicText.
	value string
}

func (p *panicError) Error() string { return p.what + " panicked: " + p.value }

func newPanicError(what string, v any, secrets []string) *panicError {
	text := fmt.Sprint(v)
	if len(secrets) > 0 {
		var x exchange
		for _, s := range secrets {
			x.secret(s)
		}
		text = x.scrubString(text)
	}
	if len(text) > maxPanicText {
		text = text[:maxPanicText] + "…"
	}
	return &panicError{what: what, value: text}
}

// guard runs f, turning a panic into a *panicError naming what; secrets
// are scrubbed from the printed panic value.
func guard(what string, secrets []string, f func()) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = newPanicError(what, v, secrets)
		}
	}()
	f()
	return nil
}

// panics collects the panics of user code that runs for a call without
// returning an error to it (events, log lines, Store writes that only
// warn on failure), so the call can report them.
type panics struct {
	mu    sync.Mutex
	first error
}

type panicsKey struct{}

// panicsCtx is ctx carrying a collector. It is a type of its own, not
// context.WithValue's, so that callBound can see the caller's ctx
// beneath it (calls that share it share a deadline).
type panicsCtx struct {
	context.Context
	p *panics
}

func (c *panicsCtx) Value(key any) any {
	if key == (panicsKey{}) {
		return c.p
	}
	return c.Context.Value(key)
}

// withPanics returns ctx carrying a fresh collector (shadowing any that
// ctx carried: detached work reports its own panics).
func withPanics(ctx context.Context) (context.Context, *panics) {
	p := &panics{}
	return &panicsCtx{Context: ctx, p: p}, p
}

// recordPanic hands err to the collector ctx carries, if any.
func recordPanic(ctx context.Context, err error) {
	if p, _ := ctx.Value(panicsKey{}).(*panics); p != nil {
		p.mu.Lock()
		if p.first == nil {
			p.first = err
		}
		p.mu.Unlock()
	}
}

// err returns the first panic collected, or nil.
func (p *panics) err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.first
}

// notify runs user code f that reports something (an event, a log line)
// for the work of ctx; a panic is recorded for that work.
func notify(ctx context.Context, what string, f func()) {
	if err := guard(what, nil, f); err != nil {
		recordPanic(ctx, err)
	}
}

// storeCall runs a Store or Lease method (what names it); a panic comes
// back as its error and is recorded for the work of ctx too, since some
// Store failures only warn. secrets (tokens the call passes) are scrubbed
// from the panic value.
func storeCall(ctx context.Context, what string, secrets []string, f func() error) (err error) {
	if perr := guard(what, secrets, func() { err = f() }); perr != nil {
		recordPanic(ctx, perr)
		return perr
	}
	return err
}
