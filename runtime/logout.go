package runtime

import (
	"context"
	"errors"
	"fmt"
)

// logout ends session s with the profile's logout operation (if the WSDL
// has one; a cookie session without one is just forgotten) and removes it
// from the Store if it is still the stored one.
func (e *engine) logout(ctx context.Context, sl *slot, s *session) error {
	var err error
	if lo := e.p.Logout; lo != nil && lo.Operation != nil && lo.Request != nil {
		var out any
		if lo.NewResponse != nil {
			out = lo.NewResponse()
		}
		x := &exchange{url: e.endpoint, op: lo.Operation, out: out}
		x.env.version = lo.Operation.SOAP
		x.env.body = lo.Request()
		x.env.profile = e.constants(nil)
		e.withSession(x, s)
		if _, rerr := e.roundTrip(ctx, x); rerr != nil && !gone(e.p.Gone, statusOf(rerr), rerr) {
			// A session the server already ended is logged out.
			err = fmt.Errorf("runtime: %s logout: %w", e.profileName, rerr)
		}
	}
	if sl.key != "" {
		derr := storeCall(ctx, "Store.CompareAndDelete", s.secrets(), func() error {
			_, err := e.store.CompareAndDelete(ctx, sl.key, s.token)
			return err
		})
		if derr != nil {
			err = errors.Join(err, fmt.Errorf("runtime: session store delete: %w", derr))
		}
	}
	e.emit(ctx, EventLogout, s.hash, err)
	return err
}

func statusOf(err error) int {
	var f *Fault
	if errors.As(err, &f) {
		return f.HTTPStatus
	}
	var h *HTTPError
	if errors.As(err, &h) {
		return h.StatusCode
	}
	return 0
}
