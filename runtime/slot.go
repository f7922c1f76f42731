package runtime

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
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
func (sl *slot) acquire(ctx context.Context) (*session, *flight, error) {
	e := sl.e
	for {
		sl.mu.Lock()
		if sl.lost != nil {
			err := sl.lost
			sl.mu.Unlock()
			return nil, nil, err
		}
		if err := e.guard.refusal(); err != nil {
			// A refused login is answered from memory for loginBackoff (a
			// wrong password must not become a login storm or a lockout).
			sl.mu.Unlock()
			return nil, nil, err
		}
		if s := sl.cur; s != nil {
			if e.valid(s, e.clock.Now()) {
				sl.mu.Unlock()
				return s, nil, nil
			}
			// A known limit is (nearly) reached: drop it before the server
			// rejects a call.
			sl.cur = nil
			e.emit(EventExpire, s.hash, nil)
			if e.p.Relogin == ReloginNever {
				err := &sessionLostError{op: e.profileName}
				if sl.sticky {
					sl.lost = err
				}
				sl.mu.Unlock()
				return nil, nil, err
			}
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

		if e.p.Login.Kind == LoginOperation {
			// The login runs detached from this caller's cancellation (one
			// waiter giving up must not fail the others) but bounded.
			go func() {
				lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.loginTimeout)
				defer cancel()
				release, err := e.guard.enter(lctx)
				if err != nil {
					sl.finish(f, nil, err)
					return
				}
				f.release = release
				s, err := e.loginOperation(lctx, sl)
				sl.finish(f, s, err)
			}()
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
				sl.finish(f, nil, errLeaderGone) // a waiter leads instead
			} else {
				sl.finish(f, nil, err)
			}
			return nil, nil, err
		}
		f.release = release
		// First look in the Store: another client may have opened the
		// session.
		if sl.key != "" {
			s, lease, old, err := e.adoptOrLock(ctx, sl)
			if err != nil {
				sl.finish(f, nil, errLeaderGone)
				return nil, nil, err
			}
			if s != nil {
				sl.finish(f, s, nil)
				return s, nil, nil
			}
			f.lease, f.oldToken = lease, old
		}
		return &session{jar: newJar()}, f, nil
	}
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
// one error (no retry storm: waiters do not log in again themselves).
func (sl *slot) finish(f *flight, s *session, err error) {
	sl.mu.Lock()
	if s != nil {
		sl.cur = s
		wasOpened := sl.opened
		sl.opened = true
		sl.mu.Unlock()
		if f.lease != nil {
			sl.e.publish(sl.key, f.oldToken, s)
		}
		if !s.adopted {
			kind := EventLogin
			if wasOpened || f.relogin {
				kind = EventRelogin
			}
			sl.e.emit(kind, s.hash, nil)
		}
		sl.mu.Lock()
	}
	f.s, f.err = s, err
	sl.fl = nil
	// Recorded before anyone can see the slot without its flight: a caller
	// arriving now gets the refusal instead of trying again.
	remembered := sl.e.guard.record(s != nil && !s.adopted, err)
	sl.mu.Unlock()
	if f.release != nil {
		f.release()
	}
	if f.lease != nil {
		sl.e.unlock(context.Background(), f.lease)
	}
	if err != nil && !errors.Is(err, errLeaderGone) && !remembered {
		// Before the waiters wake: whoever counts failures sees this one
		// by the time any caller has the error.
		sl.e.emit(EventLoginFailed, "", err)
	}
	close(f.done)
}

// invalidate drops s if it is still the current session (a newer token
// survives) and deletes it from the Store by compare-and-delete.
func (sl *slot) invalidate(ctx context.Context, s *session, cause error) {
	sl.mu.Lock()
	if sl.cur != nil && sl.cur.token == s.token {
		sl.cur = nil
	}
	if s.token != "" {
		sl.rejected[sl.nrej%len(sl.rejected)] = s.token
		sl.nrej++
	}
	sl.mu.Unlock()
	if sl.key != "" && s.token != "" {
		if _, err := sl.e.store.CompareAndDelete(context.WithoutCancel(ctx), sl.key, s.token); err != nil {
			sl.e.warn("wsdlsess session store compare-and-delete failed: the rejected session stays stored, other clients may adopt it and be rejected too", "session", s.hash, "err", err.Error())
		}
	}
	sl.e.emit(EventExpire, s.hash, cause)
}

// rotate replaces the token s carried with tok, only if s is still current.
func (sl *slot) rotate(s *session, tok string) {
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
		if _, err := e.store.CompareAndSwap(context.Background(), sl.key, s.token, n.state(), e.ttl(n)); err != nil {
			e.warn("wsdlsess session store compare-and-swap failed: the rotated token is not shared", "session", n.hash, "err", err.Error())
		}
	}
	e.emit(EventRotate, n.hash, nil)
}

// take removes and returns the current session (for logout).
func (sl *slot) take() *session {
	sl.mu.Lock()
	defer sl.mu.Unlock()
	s := sl.cur
	sl.cur = nil
	return s
}

// touchStore refreshes the stored LastUsed of a shared session now and then
// (every quarter of the shorter idle limit: Limits.Idle or the login's
// Lifetime), so another client that adopts it from the Store does not take
// a busy session for an idle one and log in again.
func (sl *slot) touchStore(s *session) {
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
	if _, err := e.store.CompareAndSwap(context.Background(), sl.key, s.token, s.state(), e.ttl(s)); err != nil {
		e.warn("wsdlsess session store refresh failed: other clients may take the session for idle and log in again", "session", s.hash, "err", err.Error())
	}
}

// refusedByServer reports a login the server answered with a refusal of
// the credentials (a login operation's fault, or a fault, 401 or 403 that
// answered a request carrying them and opened no session), as opposed to
// one that never got an answer.
func refusedByServer(err error) bool {
	var le *loginError
	return errors.As(err, &le) && le.refused
}

// live reports whether the slot holds a session that can carry a call at
// now (see pool.take).
func (sl *slot) live(now time.Time) bool {
	sl.mu.Lock()
	defer sl.mu.Unlock()
	return sl.cur != nil && sl.e.valid(sl.cur, now)
}
