package runtime

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// InvalidateSessions ends the sessions with the given ids through the
// profile's bulk invalidation operation (Salesforce invalidateSessions),
// in batches of impl.Invalidate.MaxBatch ids. It returns one result per id, in
// order (nil: ended), and an error joining the batches that failed as a
// whole. A session of this client among the ids is forgotten locally and in
// the Store, so the next call logs in again instead of failing.
func (c *Client) InvalidateSessions(ctx context.Context, ids []string) ([]error, error) {
	e := c.e
	inv := e.p.Invalidate
	if inv == nil || inv.Operation == nil || inv.Request == nil || inv.NewResponse == nil || inv.Results == nil {
		return nil, fmt.Errorf("runtime: profile %s has no bulk invalidation operation (Profile.Invalidate)", e.profileName)
	}
	ctx, pan := withPanics(ctx)
	results := make([]error, len(ids))
	batch := inv.MaxBatch
	if batch <= 0 {
		batch = len(ids)
	}
	var errs []error
	for start := 0; start < len(ids); start += batch {
		end := min(start+batch, len(ids))
		chunk := ids[start:end]
		out := inv.NewResponse()
		err := c.Invoke(ctx, inv.Operation, inv.Request(chunk), out)
		if err == nil {
			rs := inv.Results(out)
			if len(rs) != len(chunk) {
				err = fmt.Errorf("runtime: %s returned %d results for %d ids", inv.Operation.Name, len(rs), len(chunk))
			} else {
				copy(results[start:end], rs)
			}
		}
		// The ids are session tokens: an answer quoting them must not
		// carry them into the errors.
		if err != nil || slices.ContainsFunc(results[start:end], func(e error) bool { return e != nil }) {
			sc := newScrubber(chunk)
			scrubError(err, sc)
			for _, r := range results[start:end] {
				scrubError(r, sc)
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("ids %d..%d: %w", start, end-1, err))
			for i := start; i < end; i++ {
				results[i] = err
			}
			continue
		}
		for i, id := range chunk {
			if rs := results[start+i]; rs == nil {
				c.forget(ctx, id)
			}
		}
	}
	if perr := pan.err(); perr != nil {
		errs = append(errs, fmt.Errorf("runtime: %s: %w", inv.Operation.Name, perr))
	}
	return results, errors.Join(errs...)
}

// forget drops a session this client holds whose token is id.
func (c *Client) forget(ctx context.Context, id string) {
	e := c.e
	e.emit(ctx, EventInvalidate, shortHash(id), nil)
	if c.pool == nil {
		return
	}
	for _, sl := range c.pool.slots {
		sl.mu.Lock()
		if sl.cur != nil && sl.cur.token == id {
			sl.cur = nil
		}
		sl.mu.Unlock()
		if sl.key != "" {
			err := storeCall(ctx, "Store.CompareAndDelete", []string{id}, func() error {
				_, err := e.store.CompareAndDelete(ctx, sl.key, id)
				return err
			})
			if err != nil {
				e.warn(ctx, "wsdlsess session store compare-and-delete failed: the invalidated session stays stored, other clients may adopt it and be rejected", "session", shortHash(id), "err", err.Error())
			}
		}
	}
}
