package redisstore

import (
	"context"
	"sync"
)

// waiters are the Lock calls of this process waiting for a lock, by lock
// key name. One subscription per Store serves them all, so a thousand
// waiters cost one Redis connection, not a thousand.
type waiters struct {
	mu sync.Mutex
	m  map[string]map[chan struct{}]struct{}
}

func newWaiters() *waiters { return &waiters{m: map[string]map[chan struct{}]struct{}{}} }

func (w *waiters) add(name string) chan struct{} {
	ch := make(chan struct{}, 1)
	w.mu.Lock()
	defer w.mu.Unlock()
	set := w.m[name]
	if set == nil {
		set = map[chan struct{}]struct{}{}
		w.m[name] = set
	}
	set[ch] = struct{}{}
	return ch
}

func (w *waiters) remove(name string, ch chan struct{}) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.m[name], ch)
	if len(w.m[name]) == 0 {
		delete(w.m, name)
	}
}

// wake tells every waiter of name to try again; a waiter already told and
// not yet retrying is not told twice.
func (w *waiters) wake(name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for ch := range w.m[name] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// listen relays unlock announcements to local waiters until Close. go-redis
// reconnects and resubscribes by itself after a Redis restart; messages
// published meanwhile are lost, which the waiters' polling covers.
func (s *Store) listen(ctx context.Context) {
	defer close(s.done)
	// Subscribe with no channel opens no connection; the channel is then
	// recorded even if Redis is down now, and the message loop of
	// ps.Channel dials and subscribes as soon as it is up.
	ps := s.rdb.Subscribe(ctx)
	defer ps.Close()
	_ = ps.Subscribe(ctx, s.channel())
	msgs := ps.Channel()
	for {
		select {
		case <-s.stop:
			return
		case m, ok := <-msgs:
			if !ok {
				return
			}
			s.waiters.wake(m.Payload)
		}
	}
}
