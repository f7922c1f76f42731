package runtime

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// slot holds one session and the single login in flight for it: the shape
// of x/oauth2's reuseTokenSource and aws-sdk-go-v2's credential cache. Every
// caller that finds no valid session joins the one flight; each waits with
// its own ctx.
type slot struct {
	e *engine
	// key is the Store key, "" when the session is private to this process
	// (exchanges, rotating pools).
	key string
	// sticky: once lost, the slot stays lost (a stateful exchange).
	sticky bool

	mu     sync.Mutex
	cur    *session
	fl     *flight
	lost   error
	opened bool // a session was opened here before: the next is a relogin
	// closed: the client or exchange closed; no session is opened here
	// again.
	closed bool
	// rejected holds the last tokens the server rejected here, so one is
	// never adopted from the Store again when removing it there failed
	// (a Redis timeout) or another client stored it back meanwhile.
	rejected [4]string
	nrej     int
}

// wasRejected reports whether the server rejected tok on this slot.
func (sl *slot) wasRejected(tok string) bool {
	sl.mu.Lock()
	defer sl.mu.Unlock()
	return sl.rejectedLocked(tok)
}

func (sl *slot) rejectedLocked(tok string) bool {
	for _, r := range sl.rejected {
		if r == tok {
			return true
		}
	}
	return false
}

// loginBackoff is how long a refused login is answered from memory.
const loginBackoff = time.Second

// flight is one login in progress.
type flight struct {
	done chan struct{}
	s    *session
	err  error
	// For logins by credentials on a business call (LoginHeaders,
	// LoginHTTP), the leader is the caller whose call carries them; lease
	// is the Store lock it holds meanwhile.
	lease    Lease
	oldToken string
	relogin  bool
	// release ends the leader's turn with the credentials (credGuard),
	// once finish has recorded the outcome; nil when it took none.
	release func()
}

// errLeaderGone tells waiters that the leading caller gave up before the
// server answered: one of them leads next.
var errLeaderGone = errors.New("leader gone")

// acquire returns a session to send on, or (for credential-header and HTTP
// logins) a fresh session and a flight the caller leads: its request carries
// the credentials and finishLead completes the flight.
//
// No user code (events, logger, Store, credentials) runs while sl.mu is
// held: a callback that blocks would hold every other caller past its
// deadline, and one that panics would leave the mutex locked.
func (sl *slot) acquire(ctx context.Context) (*session, *flight, error) {
	e := sl.e
	for {
		now := e.clock.Now()
		sl.mu.Lock()
		if sl.closed {
			sl.mu.Unlock()
			return nil, nil, sl.closedError()
		}
		if sl.lost != nil {
			err := sl.lost
			sl.mu.Unlock()
			return nil, nil, err
		}
		if err := e.guard.refusal(now); err != nil {
			// A refused login is answered from memory for loginBackoff (a
			// wrong password must not become a login storm or a lockout).
			sl.mu.Unlock()
			return nil, nil, err
		}
		if s := sl.cur; s != nil {
			if e.valid(s, now) {
				sl.mu.Unlock()
				return s, nil, nil
			}
			// A known limit is (nearly) reached: drop it before the server
			// rejects a call.
			sl.cur = nil
			var lost error
			if e.p.Relogin == impl.ReloginNever {
				lost = &sessionLostError{op: e.profileName}
				if sl.sticky {
					sl.lost = lost
				}
			}
			sl.mu.Unlock()
			e.emit(ctx, EventExpire, s.hash, nil)
			if lost != nil {
				return nil, nil, lost
			}
			continue
		}
		if f := sl.fl; f != nil {
			sl.mu.Unlock()
			s, err := f.wait(ctx)
			if errors.Is(err, errLeaderGone) {
				continue
			}
			if err != nil {
				return nil, nil, err
			}
			return s, nil, nil
		}
		f := &flight{done: make(chan struct{}), relogin: sl.opened}
		sl.fl = f
		sl.mu.Unlock()

		if e.p.Login.Kind == impl.LoginOperation {
			// The login runs detached from this caller's cancellation (one
			// waiter giving up must not fail the others) but bounded.
			go sl.loginDetached(context.WithoutCancel(ctx), f)
			s, err := f.wait(ctx)
			if err != nil {
				return nil, nil, err
			}
			return s, nil, nil
		}

		// Credentials travel on a business call: this caller leads, when
		// the credentials are its to send (see credGuard).
		release, err := e.guard.enter(ctx)
		if err != nil {
			if ctx.Err() != nil {
				sl.finish(ctx, f, nil, errLeaderGone) // a waiter leads instead
			} else {
				sl.finish(ctx, f, nil, err)
			}
			return nil, nil, err
		}
		f.release = release
		// First look in the Store: another client may have opened the
		// session.
		if sl.key != "" {
			s, lease, old, err := e.adoptOrLock(ctx, sl)
			if err != nil {
				sl.finish(ctx, f, nil, errLeaderGone)
				return nil, nil, err
			}
			if s != nil {
				if err := sl.finish(ctx, f, s, nil); err != nil {
					return nil, nil, err
				}
				return s, nil, nil
			}
			f.lease, f.oldToken = lease, old
		}
		return &session{jar: newJar()}, f, nil
	}
}

// loginDetached runs a login operation for flight f in a goroutine of its
// own. Whatever happens in it (a panic in the password func, the Store,
// the HTTP client's transport, a callback), the flight ends and no panic
// leaves the goroutine: the waiters get it as their error.
func (sl *slot) loginDetached(ctx context.Context, f *flight) {
	e := sl.e
	lctx, cancel := context.WithTimeout(ctx, e.loginTimeout)
	defer cancel()
	lctx, pan := withPanics(lctx)
	var s *session
	var err error
	defer func() {
		if v := recover(); v != nil {
			s, err = nil, newPanicError(e.profileName+" login", v, nil)
		}
		if perr := pan.err(); perr != nil {
			// A callback panicked while the login ran (a log line, a
			// Store write): the waiters hear of it.
			err = errors.Join(err, perr)
		}
		sl.finish(lctx, f, s, err)
	}()
	release, err := e.guard.enter(lctx)
	if err != nil {
		return
	}
	f.release = release
	s, err = e.loginOperation(lctx, sl)
}

// wait blocks until the flight ends or ctx does.
func (f *flight) wait(ctx context.Context) (*session, error) {
	select {
	case <-f.done:
		return f.s, f.err
	case <-ctx.Done():
		return nil, fmt.Errorf("runtime: waiting for login: %w", ctx.Err())
	}
}

// finish ends a flight: a session becomes current, or every waiter gets the
// one error (no retry storm: waiters do not log in again themselves). It
// returns the panic of a callback it ran (an event, the Store), which the
// waiters get as their error too.
//
// A session that arrives after the slot was closed is not used: the
// close policy applies to it as Close would have applied it.
func (sl *slot) finish(ctx context.Context, f *flight, s *session, err error) error {
	e := sl.e
	now := e.clock.Now()
	sl.mu.Lock()
	closed := sl.closed
	wasOpened := sl.opened
	if s != nil && !closed {
		sl.cur = s
		sl.opened = true
	}
	sl.fl = nil
	// Recorded before anyone can see the slot without its flight: a caller
	// arriving now gets the refusal instead of trying again.
	remembered := e.guard.record(now, s != nil && !s.adopted, err)
	sl.mu.Unlock()
	if f.release != nil {
		f.release()
	}

	// User code from here on: events, the logger, the Store. Its panics
	// are collected and reach the waiters and the caller.
	fctx, pan := withPanics(ctx)
	failed := s == nil && err != nil && !errors.Is(err, errLeaderGone) && !remembered
	logout := s != nil && closed && e.logsOutOnClose(sl)
	if f.lease != nil && s != nil && !logout {
		e.publish(fctx, sl, f.oldToken, s)
	}
	if s != nil && !s.adopted {
		kind := EventLogin
		if wasOpened || f.relogin {
			kind = EventRelogin
		}
		e.emit(fctx, kind, s.hash, nil)
	}
	if f.lease != nil {
		e.unlock(fctx, f.lease)
	}
	if s != nil && closed {
		if logout {
			_ = e.logout(fctx, sl, s)
		}
		s, err = nil, sl.closedError()
	}
	if failed {
		// Before the waiters wake: whoever counts failures sees this one
		// by the time any caller has the error.
		e.emit(fctx, EventLoginFailed, "", err)
	}
	perr := pan.err()
	if perr != nil {
		recordPanic(ctx, perr)
		if err == nil || errors.Is(err, errLeaderGone) {
			err = perr
		} else {
			err = errors.Join(err, perr)
		}
	}
	f.s, f.err = s, err
	close(f.done)
	return perr
}

// live reports whether the slot holds a session valid at now.
func (sl *slot) live(now time.Time) bool {
	sl.mu.Lock()
	defer sl.mu.Unlock()
	return sl.cur != nil && sl.e.valid(sl.cur, now)
}

// closedError is what a call meets on a slot its client closed.
func (sl *slot) closedError() error {
	return fmt.Errorf("runtime: %s: client is closed", sl.e.profileName)
}

// invalidate drops s if it is still the current session (a newer token
// survives) and deletes it from the Store by compare-and-delete, within
// the call's ctx.
func (sl *slot) invalidate(ctx context.Context, s *session, cause error) {
	sl.mu.Lock()
	if sl.cur != nil && sl.cur.token == s.token {
		sl.cur = nil
	}
	// Every call in flight on a rejected token reports it: the first one
	// deletes it from the Store, the others have nothing left to delete
	// (a fleet-wide expiry would otherwise cost a Store round trip per
	// call, hundreds per process).
	first := s.token != "" && !sl.rejectedLocked(s.token)
	if first {
		sl.rejected[sl.nrej%len(sl.rejected)] = s.token
		sl.nrej++
	}
	sl.mu.Unlock()
	e := sl.e
	if sl.key != "" && first {
		err := storeCall(ctx, "Store.CompareAndDelete", s.secrets(), func() error {
			_, err := e.store.CompareAndDelete(ctx, sl.key, s.token)
			return err
		})
		if err != nil {
			e.warn(ctx, "wsdlsess session store compare-and-delete failed: the rejected session stays stored, other clients may adopt it and be rejected too", "session", s.hash, "err", err.Error())
		}
	}
	e.emit(ctx, EventExpire, s.hash, cause)
}

// rotate replaces the token s carried with tok, only if s is still current.
func (sl *slot) rotate(ctx context.Context, s *session, tok string) {
	e := sl.e
	n := s.rotated(tok, e.clock.Now())
	sl.mu.Lock()
	ok := sl.cur != nil && sl.cur.token == s.token
	if ok {
		sl.cur = n
	}
	sl.mu.Unlock()
	if !ok {
		return
	}
	if sl.key != "" {
		st, ttl := n.state(), e.ttl(n)
		err := storeCall(ctx, "Store.CompareAndSwap", append(n.secrets(), s.token), func() error {
			_, err := e.store.CompareAndSwap(ctx, sl.key, s.token, st, ttl)
			return err
		})
		if err != nil {
			e.warn(ctx, "wsdlsess session store compare-and-swap failed: the rotated token is not shared", "session", n.hash, "err", err.Error())
		}
	}
	e.emit(ctx, EventRotate, n.hash, nil)
}

// close marks the slot closed (no session is opened on it again) and
// removes and returns the current session (for logout).
func (sl *slot) close() *session {
	sl.mu.Lock()
	defer sl.mu.Unlock()
	sl.closed = true
	s := sl.cur
	sl.cur = nil
	return s
}

// touchStore refreshes the stored LastUsed of a shared session now and then
// (every quarter of the shorter idle limit: Limits.Idle or the login's
// Lifetime), so another client that adopts it from the Store does not take
// a busy session for an idle one and log in again. It runs within the
// call's ctx: the call was answered, and a slow Store must not hold it.
func (sl *slot) touchStore(ctx context.Context, s *session) {
	e := sl.e
	idle := e.limits.Idle
	if s.lifetime > 0 && (idle <= 0 || s.lifetime < idle) {
		idle = s.lifetime
	}
	if sl.key == "" || idle <= 0 {
		return
	}
	now := e.clock.Now()
	last := s.storedAt.Load()
	if last != 0 && now.Sub(time.Unix(0, last)) < idle/4 {
		return
	}
	if !s.storedAt.CompareAndSwap(last, now.UnixNano()) {
		return // another call is refreshing it
	}
	st, ttl := s.state(), e.ttl(s)
	err := storeCall(ctx, "Store.CompareAndSwap", s.secrets(), func() error {
		_, err := e.store.CompareAndSwap(ctx, sl.key, s.token, st, ttl)
		return err
	})
	if err != nil {
		e.warn(ctx, "wsdlsess session store refresh failed: other clients may take the session for idle and log in again", "session", s.hash, "err", err.Error())
	}
}

// refusedByServer reports a login the server answered with a refusal of
// the credentials (a login operation's fault, or 401/403 to a request that
// carried them), as opposed to one that never got an answer, or a business
// fault on the call that carried the credentials (that one reaches the
// waiters of its flight, but must not hold back later calls).
func refusedByServer(err error) bool {
	var le *loginError
	return errors.As(err, &le) && le.refused
}
