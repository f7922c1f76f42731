package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// DefaultPrefix namespaces every key and channel the store uses.
const DefaultPrefix = "wsdlsess:"

// MinMarkerTTL is the shortest life of a rotating-session marker, so that a
// session stored without a TTL does not leave the marker forever and a short
// one does not let the key fall back to sharing between two calls.
const MinMarkerTTL = time.Hour

// Store is a runtime.Store on Redis. It is safe for concurrent use; Close
// it when done to stop its unlock subscription.
type Store struct {
	rdb    redis.UniversalClient
	prefix string
	codec  *codec
	poll   pollConfig
	// lockTTL, when set, is the Redis TTL of locks, renewed while held.
	lockTTL time.Duration
	// maxTTL, when set, caps every session's TTL (0 included).
	maxTTL time.Duration

	local   *localSessions
	waiters *waiters

	closeOnce sync.Once
	stop      chan struct{}
	done      chan struct{}
	// cancelListen aborts a subscription still dialling an unreachable
	// Redis, so Close never waits for dial timeouts.
	cancelListen context.CancelFunc
}

var _ runtime.Store = (*Store)(nil)

// Option configures a Store.
type Option func(*options)

type options struct {
	prefix  string
	key     []byte
	poll    pollConfig
	lockTTL time.Duration
	maxTTL  time.Duration
}

// WithPrefix sets the namespace of every key and channel (default
// "wsdlsess:"). Fleets sharing one Redis for different purposes use their
// own prefixes.
func WithPrefix(p string) Option { return func(o *options) { o.prefix = p } }

// WithEncryptionKey encrypts every stored value with AES-256-GCM under key
// (32 bytes). Every process of a fleet needs the same key.
func WithEncryptionKey(key []byte) Option {
	return func(o *options) { o.key = append([]byte(nil), key...) }
}

// WithLockPolling sets the fallback polling of a waiting Lock: the first
// retry after min, doubling up to max, never later than the holder's TTL.
// Pub/sub wakes waiters sooner; polling covers lost messages and dead
// holders. Defaults: 5ms and 250ms.
func WithLockPolling(min, max time.Duration) Option {
	return func(o *options) { o.poll = pollConfig{min: min, max: max} }
}

// WithLockTTL keeps locks in Redis for d at a time, renewed every d/3 while
// their holder lives (up to the TTL the caller asked for), so that a holder
// that dies blocks the fleet for at most d instead of the caller's TTL (the
// runtime asks for a minute: its login timeout). Zero (the default) uses the
// caller's TTL as is.
func WithLockTTL(d time.Duration) Option { return func(o *options) { o.lockTTL = d } }

// WithMaxTTL caps the life of every stored session at d, including those
// stored without a TTL (the runtime passes 0 when it knows no lifetime), so
// the keys of identities no longer in use disappear. A session that expires
// this way is simply logged in again by the next caller.
func WithMaxTTL(d time.Duration) Option { return func(o *options) { o.maxTTL = d } }

// New returns a Store on rdb (a *redis.Client, *redis.ClusterClient or
// *redis.Ring). It does not contact Redis: a Redis that is down shows as
// errors of the calls, not of New.
func New(rdb redis.UniversalClient, opts ...Option) (*Store, error) {
	if rdb == nil {
		return nil, errors.New("redisstore: New needs a go-redis client (redis.NewClient(&redis.Options{Addr: ...})), got nil")
	}
	o := options{prefix: DefaultPrefix, poll: pollConfig{min: 5 * time.Millisecond, max: 250 * time.Millisecond}}
	for _, opt := range opts {
		opt(&o)
	}
	if o.lockTTL < 0 || (o.lockTTL > 0 && o.lockTTL < 30*time.Millisecond) {
		return nil, errors.New("redisstore: WithLockTTL needs 0 (off) or at least 30ms, so renewals keep up")
	}
	if o.maxTTL < 0 {
		return nil, errors.New("redisstore: WithMaxTTL needs 0 (off) or a positive duration")
	}
	if o.poll.min <= 0 || o.poll.max < o.poll.min {
		return nil, errors.New("redisstore: WithLockPolling needs 0 < min <= max")
	}
	c, err := newCodec(o.key)
	if err != nil {
		return nil, err
	}
	s := &Store{
		rdb:     rdb,
		prefix:  o.prefix,
		codec:   c,
		poll:    o.poll,
		lockTTL: o.lockTTL,
		maxTTL:  o.maxTTL,
		local:   newLocalSessions(),
		waiters: newWaiters(),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancelListen = cancel
	go s.listen(ctx)
	return s, nil
}

// Close stops the store's unlock subscription. It does not close rdb.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		close(s.stop)
		s.cancelListen()
	})
	<-s.done
	return nil
}

func (s *Store) sessionKey(key string) string { return s.prefix + "s:" + key }
func (s *Store) lockKey(key string) string    { return s.prefix + "l:" + key }
func (s *Store) channel() string              { return s.prefix + "unlock" }

// Get returns the session under key, or (nil, nil).
func (s *Store) Get(ctx context.Context, key string) (*runtime.SessionState, error) {
	name := s.sessionKey(key)
	vals, err := s.rdb.HMGet(ctx, name, "v", "r").Result()
	if err != nil {
		return nil, s.redisErr("Get", err)
	}
	if vals[1] != nil {
		return s.local.get(key), nil
	}
	v, ok := vals[0].(string)
	if !ok {
		return nil, nil
	}
	st, err := s.codec.open(name, []byte(v))
	if err != nil {
		return nil, fmt.Errorf("redisstore: Get: the session stored under prefix %q on Redis at %s: %w", s.prefix, s.addr(), err)
	}
	return st, nil
}

// Put stores st under key unconditionally.
func (s *Store) Put(ctx context.Context, key string, st *runtime.SessionState, ttl time.Duration) error {
	if st == nil {
		return errors.New("redisstore: Put of a nil session: use CompareAndDelete to remove one")
	}
	name := s.sessionKey(key)
	v, err := s.codec.seal(name, st)
	if err != nil {
		return err
	}
	ttl = s.capTTL(ttl)
	r, err := putScript.Run(ctx, s.rdb, []string{name}, s.codec.digest(st.Token), v, ms(ttl)).Int()
	if err != nil {
		return s.redisErr("Put", err)
	}
	if r == 2 {
		s.local.put(key, st, ttl)
	}
	return nil
}

// CompareAndSwap stores next under key only if the stored token is oldToken
// ("": only if there is none).
func (s *Store) CompareAndSwap(ctx context.Context, key, oldToken string, next *runtime.SessionState, ttl time.Duration) (bool, error) {
	if next == nil {
		return false, errors.New("redisstore: CompareAndSwap to a nil session: use CompareAndDelete to remove one")
	}
	name := s.sessionKey(key)
	ttl = s.capTTL(ttl)
	if isRotation(oldToken, next) {
		return s.rotate(ctx, key, oldToken, next, ttl)
	}
	v, err := s.codec.seal(name, next)
	if err != nil {
		return false, err
	}
	r, err := casScript.Run(ctx, s.rdb, []string{name},
		s.codec.digest(oldToken), s.codec.digest(next.Token), v, ms(ttl)).Int()
	if err != nil {
		return false, s.redisErr("CompareAndSwap", err)
	}
	if r == 2 {
		return s.local.compareAndSwap(key, oldToken, next, ttl), nil
	}
	return r == 1, nil
}

// CompareAndDelete removes the session under key only if its token is
// token.
func (s *Store) CompareAndDelete(ctx context.Context, key, token string) (bool, error) {
	r, err := cadScript.Run(ctx, s.rdb, []string{s.sessionKey(key)}, s.codec.digest(token)).Int()
	if err != nil {
		return false, s.redisErr("CompareAndDelete", err)
	}
	if r == 2 {
		return s.local.compareAndDelete(key, token), nil
	}
	return r == 1, nil
}

// isRotation reports whether next replaces oldToken within one session
// (the contract: TokenIssued differs from Issued once a token rotates).
func isRotation(oldToken string, next *runtime.SessionState) bool {
	return oldToken != "" && next.Token != oldToken &&
		!next.Issued.IsZero() && !next.TokenIssued.Equal(next.Issued)
}

// rotate moves a rotating session out of Redis into this process (see the
// package doc) and swaps it there.
func (s *Store) rotate(ctx context.Context, key, oldToken string, next *runtime.SessionState, ttl time.Duration) (bool, error) {
	r, err := markScript.Run(ctx, s.rdb, []string{s.sessionKey(key)},
		s.codec.digest(oldToken), ms(max(ttl, MinMarkerTTL))).Int()
	if err != nil {
		return false, s.redisErr("CompareAndSwap", err)
	}
	switch r {
	case 1: // this process read oldToken from Redis and now owns the session
		s.local.put(key, next, ttl)
		return true, nil
	case 2:
		return s.local.compareAndSwap(key, oldToken, next, ttl), nil
	}
	return false, nil
}

// capTTL applies WithMaxTTL to a session TTL (0: none).
func (s *Store) capTTL(ttl time.Duration) time.Duration {
	if s.maxTTL > 0 && (ttl <= 0 || ttl > s.maxTTL) {
		return s.maxTTL
	}
	return ttl
}

func ms(d time.Duration) string {
	if d <= 0 {
		return "0"
	}
	return strconv.FormatInt(max(d.Milliseconds(), 1), 10)
}
