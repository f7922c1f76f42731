package runtime

import (
	"context"
	"errors"
	"strconv"
)

// pool is a bounded set of session slots. A rotating profile's session
// serves one call at a time (two calls with one token would race for the
// next), so each call takes a slot from free and gives it back; a
// non-rotating pool has one slot every call shares.
type pool struct {
	e     *engine
	slots []*slot
	free  chan *slot
}

func newPool(e *engine, key string, rotating bool, n int, sticky bool) *pool {
	p := &pool{e: e}
	if !rotating {
		n = 1
	}
	if rotating {
		// Rotating sessions stay in this process: sharing one through a
		// Store would let two processes race for its next token.
		key = ""
	}
	for range n {
		p.slots = append(p.slots, &slot{e: e, key: key, sticky: sticky})
	}
	if rotating {
		p.free = make(chan *slot, n)
		for _, s := range p.slots {
			p.free <- s
		}
	}
	return p
}

func (p *pool) take(ctx context.Context) (*slot, error) {
	if p.free == nil {
		return p.slots[0], nil
	}
	select {
	case s := <-p.free:
		return s, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p *pool) give(s *slot) {
	if p.free != nil {
		p.free <- s
	}
}

// end closes every slot of the pool (no session is opened on it again)
// and logs out their sessions if the close policy says so.
func (p *pool) end(ctx context.Context) error {
	var errs []error
	for i, sl := range p.slots {
		s := sl.close()
		if s == nil || s.token == "" {
			continue
		}
		if !p.e.logsOutOnClose(sl) {
			if p.e.p.LogoutOn == LogoutOnClose {
				p.e.debug(ctx, "wsdlsess close: shared session left to expire", "session", s.hash)
			}
			continue
		}
		if err := p.e.logout(ctx, sl, s); err != nil {
			errs = append(errs, errors.New("session "+strconv.Itoa(i)+": "+err.Error()))
		}
	}
	return errors.Join(errs...)
}

// logsOutOnClose reports whether a session of sl is logged out when its
// client closes: the profile says LogoutOnClose, and the session is not
// shared through a Store the user gave (other clients or processes may
// still use it, and a logout would end it under their feet: the
// Salesforce lesson; the server expires it when they are done).
func (e *engine) logsOutOnClose(sl *slot) bool {
	return e.p.LogoutOn == LogoutOnClose && !(sl.key != "" && e.cfg.store != nil)
}
