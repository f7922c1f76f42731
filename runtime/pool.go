package runtime

import (
	"context"
	"errors"
	"strconv"
	"sync"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// pool is a bounded set of session slots. A rotating profile's session
// serves one call at a time (two calls with one token would race for the
// next), so each call takes a slot and gives it back; a non-rotating pool
// has one slot every call shares.
//
// A call takes a free slot that holds a live session when there is one,
// and a slot without a session (so a new login) only when every open
// session is busy: servers limit sessions per user, and a sequential
// caller must not open pool-size sessions one after another.
type pool struct {
	e     *engine
	slots []*slot
	// avail holds one value per free slot of a rotating pool (nil for a
	// shared one); free lists those slots, the most recently given back
	// last.
	avail chan struct{}
	mu    sync.Mutex
	free  []*slot
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
		p.avail = make(chan struct{}, n)
		for _, s := range p.slots {
			p.free = append(p.free, s)
			p.avail <- struct{}{}
		}
	}
	return p
}

func (p *pool) take(ctx context.Context) (*slot, error) {
	if p.avail == nil {
		return p.slots[0], nil
	}
	select {
	case <-p.avail:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	now := p.e.clock.Now() // user code: read before locking
	p.mu.Lock()
	defer p.mu.Unlock()
	// The most recently used live session first; else any free slot
	// (the last one: it logs in).
	i := len(p.free) - 1
	for j := len(p.free) - 1; j >= 0; j-- {
		if p.free[j].live(now) {
			i = j
			break
		}
	}
	s := p.free[i]
	p.free = append(p.free[:i], p.free[i+1:]...)
	return s, nil
}

func (p *pool) give(s *slot) {
	if p.avail != nil {
		p.mu.Lock()
		p.free = append(p.free, s)
		p.mu.Unlock()
		p.avail <- struct{}{}
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
			if p.e.p.LogoutOn == impl.LogoutOnClose {
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
// client closes: the profile says impl.LogoutOnClose, and the session is not
// shared through a Store the user gave (other clients or processes may
// still use it, and a logout would end it under their feet: the
// Salesforce lesson; the server expires it when they are done).
func (e *engine) logsOutOnClose(sl *slot) bool {
	return e.p.LogoutOn == impl.LogoutOnClose && !(sl.key != "" && e.cfg.store != nil)
}
