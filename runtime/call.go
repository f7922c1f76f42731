package runtime

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// callOn runs one call on a slot's session: acquire (maybe leading the
// login), send, capture a rotated token, and on a "session gone" answer
// invalidate exactly the rejected token and resend once.
func (e *engine) callOn(ctx context.Context, sl *slot, op *impl.Operation, in, out any, cc *callConfig) error {
	for attempt := 0; ; attempt++ {
		s, lead, err := sl.acquire(ctx)
		if err != nil {
			return err
		}
		if lead != nil {
			return e.lead(ctx, sl, lead, s, op, in, out, cc)
		}
		x := e.newExchange(op, in, out, cc)
		e.withSession(x, s)
		if e.lender != nil {
			if x.url, err = e.borrowedURL(s); err != nil {
				return err
			}
		}
		if e.cfg.logger != nil { // the arguments cost allocations even unlogged
			e.debug(ctx, "wsdlsess call", "op", op.Name, "session", s.hash, "attempt", attempt)
		}
		sentAt := e.clock.Now()
		rep, err := e.roundTrip(ctx, x)
		if rep != nil {
			// The server saw the call: its idle clocks restarted.
			s.touch(sentAt)
		}
		if err != nil && rep != nil && gone(e.p.Gone, rep.status, err) {
			sl.invalidate(ctx, s, err)
			if e.p.Relogin == impl.ReloginNever {
				lost := &sessionLostError{op: op.Name, cause: err}
				if sl.sticky {
					sl.mu.Lock()
					sl.lost = lost
					sl.mu.Unlock()
				}
				return lost
			}
			if attempt == 0 {
				continue
			}
			return err
		}
		if e.p.Rotate && answerLost(rep, err) && e.tokenFrom(rep, "") == "" {
			e.dropLost(ctx, sl, s, op, err)
			return finishCall(rep, err, cc)
		}
		if rep != nil {
			if tok := e.tokenFrom(rep, ""); tok != "" && tok != s.token {
				sl.rotate(ctx, s, tok)
			} else if rep.status/100 == 2 {
				sl.touchStore(ctx, s)
			}
		}
		return finishCall(rep, err, cc)
	}
}

// answerLost reports a call the server may have processed whose answer
// never arrived whole: a reset, EOF or deadline after the request may have
// left (not ErrNotSent), or a body cut off or over the limit.
func answerLost(rep *reply, err error) bool {
	if err == nil {
		return false
	}
	if rep == nil {
		return !errors.Is(err, ErrNotSent)
	}
	return rep.bodyLost
}

// dropLost discards a rotating session whose answer was lost: the server
// may have rotated its token in that answer, so the token this process
// holds is probably dead, and sending it again would fail the next call
// (or, on a server that ends a session shown a stale token, end it). The
// lost call is not resent; the next call logs in. A stateful session
// (relogin never) is lost with it: its server state may have moved on.
func (e *engine) dropLost(ctx context.Context, sl *slot, s *session, op *impl.Operation, err error) {
	e.debug(ctx, "wsdlsess rotating session dropped: the answer that may have rotated its token was lost", "op", op.Name, "session", s.hash)
	sl.invalidate(ctx, s, err)
	if e.p.Relogin == impl.ReloginNever && sl.sticky {
		sl.mu.Lock()
		sl.lost = &sessionLostError{op: op.Name, cause: err}
		sl.mu.Unlock()
	}
}

// lead sends a call that carries the credentials: its answer opens the
// session of flight f for every waiter.
func (e *engine) lead(ctx context.Context, sl *slot, f *flight, s *session, op *impl.Operation, in, out any, cc *callConfig) error {
	ended := false
	defer func() {
		if !ended {
			// A panic unwinds this call (the transport of WithHTTPClient
			// is user code too): the flight still ends, or every waiter
			// would wait for it forever. One of them leads next.
			sl.finish(ctx, f, nil, errLeaderGone)
		}
	}()
	e.debug(ctx, "wsdlsess call", "op", op.Name, "session", "", "login", true)
	r, credErr := e.sendCredentialed(ctx, func() *exchange {
		x := e.newExchange(op, in, out, cc)
		x.jar = s.jar
		return x
	})
	if credErr != nil {
		ended = true
		if ctx.Err() != nil {
			// This caller gave up (say, waiting for an OAuth2 token): its
			// cancellation is not the waiters' error; one of them leads.
			sl.finish(ctx, f, nil, errLeaderGone)
		} else {
			sl.finish(ctx, f, nil, credErr)
		}
		return credErr
	}
	if r.rep == nil && ctx.Err() == nil && errors.Is(r.err, ErrNotSent) {
		// The server could not be reached at all (no connection, even on
		// the resend). Every waiter would lead in turn into the same closed
		// port, each paying the resend pause; they get this error now, as
		// a login that could not be sent, and the next call tries afresh.
		ended = true
		sl.finish(ctx, f, nil, &loginError{profile: e.profileName, user: e.userName(), err: r.err})
		return r.err
	}
	ended = true
	if refused := e.finishLead(ctx, sl, f, s, r.x, r.rep, r.err); refused != nil {
		return refused
	}
	return finishCall(r.rep, r.err, cc)
}

// finishLead completes a login by credentials on a business call: the
// answer's token opens the session for every waiter; a server refusal
// reaches every waiter, the leader included, as the one error it returns;
// a call that never got an answer lets another waiter lead.
//
// A refusal is any SOAP fault, or an HTTP 401 or 403, answering the
// request that carried the credentials without opening a session: the
// server did not take them (Siebel answers a wrong password with a fault,
// Oracle CRM On Demand with a fault, SAP with 401). A fault that does
// open a session (it carries a token) is that call's business answer.
// Gone rules are not read here: they describe answers to requests that
// carried a session, and this one carried none.
func (e *engine) finishLead(ctx context.Context, sl *slot, f *flight, s *session, x *exchange, rep *reply, err error) (refused error) {
	// Only tokenFrom decides what a token is: the same rules as for every
	// other answer (a cookie the answer deletes is no session).
	tok := e.tokenFrom(rep, "")
	if tok != "" {
		now := e.clock.Now()
		s.token, s.issued, s.tokenIssued, s.hash = tok, now, now, shortHash(tok)
		if rep != nil {
			s.cookies = storedCookies(x.url, rep.cookies)
		}
		s.touch(now)
		s.storedAt.Store(now.UnixNano())
		sl.finish(ctx, f, s, nil)
		return nil
	}
	var fault *Fault
	var he *HTTPError
	if err != nil && (errors.As(err, &fault) || errors.As(err, &he)) {
		le := &loginError{profile: e.profileName, user: e.userName(), err: err}
		le.refused = fault != nil || he.StatusCode == http.StatusUnauthorized || he.StatusCode == http.StatusForbidden
		sl.finish(ctx, f, nil, le)
		if le.refused {
			return le
		}
		return nil
	}
	sl.finish(ctx, f, nil, errLeaderGone)
	return nil
}

// finishCall decodes the response headers the caller asked for.
func finishCall(rep *reply, err error, cc *callConfig) error {
	if rep != nil && len(cc.response) > 0 {
		for _, ptr := range cc.response {
			want := xmlNameOf(ptr)
			for i := range rep.headers {
				if nameMatches(rep.headers[i].XMLName, want) {
					if derr := rep.headers[i].decodeInto(ptr); derr != nil && err == nil {
						err = fmt.Errorf("runtime: decode response header %s into %T: %w", want.Local, ptr, derr)
					}
					break
				}
			}
		}
	}
	return err
}
