package redisstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// DefaultPrefix namespaces every key and channel the store uses.
const DefaultPrefix = "wsdlsess:"

// DefaultMaxTTL is the longest a session key lives unless WithMaxTTL says
// otherwise: a session stored without a known lifetime, a key of an
// identity no longer in use, a value nobody can read all disappear within
// a day (Salesforce's longest session timeout), at the cost of one login
// for a session that was still good.
const DefaultMaxTTL = 24 * time.Hour

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
	// maxTTL caps every session's TTL (0 included).
	maxTTL time.Duration
	logger *slog.Logger
	// sentinel names a Sentinel-managed Redis in errors (WithSentinel).
	sentinel string

	mu sync.Mutex
	// unreadable is, by key, the value Get found and could not read: the
	// compare-and-swap of the login that follows replaces exactly it.
	unreadable map[string]unreadableValue
	// perProcess are the keys this process found turned per process (a
	// rotation marker), warned about once each.
	perProcess map[string]bool

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
	prefix   string
	keys     [][]byte
	poll     pollConfig
	lockTTL  time.Duration
	maxTTL   time.Duration
	logger   *slog.Logger
	sentinel string
}

// WithPrefix sets the namespace of every key and channel (default
// "wsdlsess:"). Fleets sharing one Redis for different purposes use their
// own prefixes.
func WithPrefix(p string) Option { return func(o *options) { o.prefix = p } }

// WithEncryptionKey encrypts every stored value with AES-256-GCM under key
// (32 bytes). Every process of a fleet needs the same key; to change it,
// see WithEncryptionKeys.
func WithEncryptionKey(key []byte) Option { return WithEncryptionKeys(key) }

// WithEncryptionKeys supports a key rollout: values are sealed, token
// digests computed and rotation markers signed with the first key (32
// bytes each); a value is read, and a token or marker recognised, under
// any of them. Roll a new key out in two deploys: first
// WithEncryptionKeys(old, new) everywhere (every process reads both and
// still writes old), then WithEncryptionKeys(new, old); drop old once no
// process writes it and its values have expired (DefaultMaxTTL). A process
// meeting a value that opens under none of its keys takes it for no
// session, logs a warning and replaces it after its own login: a fleet
// half way through either step neither fails nor logs in back and forth.
func WithEncryptionKeys(keys ...[]byte) Option {
	return func(o *options) {
		o.keys = nil
		for _, k := range keys {
			o.keys = append(o.keys, append([]byte(nil), k...))
		}
	}
}

// WithLogger sets where the store warns about what it works around: a
// stored value it cannot read (replaced after the next login), a key whose
// sessions turned per process. Default: slog.Default().
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithSentinel names the Redis of a go-redis FailoverClient in errors, by
// its master name and sentinel addresses (go-redis hides them: the client
// reports its address as "FailoverClient"). Pass the FailoverOptions'
// MasterName and SentinelAddrs.
func WithSentinel(masterName string, sentinelAddrs ...string) Option {
	return func(o *options) {
		o.sentinel = fmt.Sprintf("Sentinel master %q via sentinels %s", masterName, strings.Join(sentinelAddrs, ","))
	}
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

// WithMaxTTL caps the life of every stored session at d (default
// DefaultMaxTTL), including those stored without a TTL (the runtime passes
// 0 when it knows no lifetime), so the keys of identities no longer in use
// disappear. A session that expires this way is simply logged in again by
// the next caller. Every key has a TTL: d must be positive.
func WithMaxTTL(d time.Duration) Option { return func(o *options) { o.maxTTL = d } }

// New returns a Store on rdb (a *redis.Client, *redis.ClusterClient or
// *redis.Ring). It does not contact Redis: a Redis that is down shows as
// errors of the calls, not of New.
func New(rdb redis.UniversalClient, opts ...Option) (*Store, error) {
	if rdb == nil {
		return nil, errors.New("redisstore: New needs a go-redis client (redis.NewClient(&redis.Options{Addr: ...})), got nil")
	}
	o := options{prefix: DefaultPrefix, poll: pollConfig{min: 5 * time.Millisecond, max: 250 * time.Millisecond}, maxTTL: DefaultMaxTTL}
	for _, opt := range opts {
		opt(&o)
	}
	if o.lockTTL < 0 || (o.lockTTL > 0 && o.lockTTL < 30*time.Millisecond) {
		return nil, errors.New("redisstore: WithLockTTL needs 0 (off) or at least 30ms, so renewals keep up")
	}
	if o.maxTTL <= 0 {
		return nil, errors.New("redisstore: WithMaxTTL needs a positive duration: every session key expires")
	}
	if o.poll.min <= 0 || o.poll.max < o.poll.min {
		return nil, errors.New("redisstore: WithLockPolling needs 0 < min <= max")
	}
	c, err := newCodec(o.keys)
	if err != nil {
		return nil, err
	}
	if o.logger == nil {
		o.logger = slog.Default()
	}
	s := &Store{
		rdb:        rdb,
		prefix:     o.prefix,
		codec:      c,
		poll:       o.poll,
		lockTTL:    o.lockTTL,
		maxTTL:     o.maxTTL,
		logger:     o.logger,
		sentinel:   o.sentinel,
		unreadable: map[string]unreadableValue{},
		perProcess: map[string]bool{},
		local:      newLocalSessions(),
		waiters:    newWaiters(),
		stop:       make(chan struct{}),
		done:       make(chan struct{}),
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

// Get returns the session under key, or (nil, nil). A value it cannot
// read (it opens under none of the store's keys, does not decode, or is a
// rotation marker that does not verify) is no session: Get warns, and the
// compare-and-swap of the login that follows replaces exactly that value.
func (s *Store) Get(ctx context.Context, key string) (*runtime.SessionState, error) {
	name := s.sessionKey(key)
	vals, err := s.rdb.HMGet(ctx, name, "v", "r").Result()
	if err != nil {
		return nil, s.redisErr("Get", err)
	}
	if r, ok := vals[1].(string); ok {
		if member(s.codec.markers(name), r) {
			s.notePerProcess(key)
			return s.local.get(key), nil
		}
		s.noteUnreadable(key, unreadableValue{"r", r}, errors.New("a rotation marker that does not verify under this store's keys (forged, or signed with a key this process lacks)"))
		return nil, nil
	}
	v, ok := vals[0].(string)
	if !ok {
		s.forgetUnreadable(key, nil)
		return nil, nil
	}
	st, err := s.codec.open(name, []byte(v))
	if err != nil {
		s.noteUnreadable(key, unreadableValue{"v", v}, err)
		return nil, nil
	}
	s.forgetUnreadable(key, nil)
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
	r, err := putScript.Run(ctx, s.rdb, []string{name}, s.codec.digest(st.Token), v, ms(ttl), s.codec.markers(name)).Int()
	if err != nil {
		return s.redisErr("Put", err)
	}
	if r == 2 {
		s.notePerProcess(key)
		s.local.put(key, st, ttl)
		return nil
	}
	s.forgetUnreadable(key, nil)
	return nil
}

// CompareAndSwap stores next under key only if the stored token is oldToken
// ("": only if there is none, or only the value Get last found unreadable).
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
	s.mu.Lock()
	bad := s.unreadable[key]
	s.mu.Unlock()
	r, err := casScript.Run(ctx, s.rdb, []string{name},
		s.codec.digests(oldToken), s.codec.digest(next.Token), v, ms(ttl), s.codec.markers(name), bad.field, bad.value).Int()
	if err != nil {
		return false, s.redisErr("CompareAndSwap", err)
	}
	switch r {
	case 2:
		s.notePerProcess(key)
		return s.local.compareAndSwap(key, oldToken, next, ttl), nil
	case 1:
		s.forgetUnreadable(key, &bad)
	}
	return r == 1, nil
}

// CompareAndDelete removes the session under key only if its token is
// token.
func (s *Store) CompareAndDelete(ctx context.Context, key, token string) (bool, error) {
	name := s.sessionKey(key)
	r, err := cadScript.Run(ctx, s.rdb, []string{name}, s.codec.digests(token), s.codec.markers(name)).Int()
	if err != nil {
		return false, s.redisErr("CompareAndDelete", err)
	}
	if r == 2 {
		s.notePerProcess(key)
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
	name := s.sessionKey(key)
	r, err := markScript.Run(ctx, s.rdb, []string{name},
		s.codec.digests(oldToken), ms(max(ttl, MinMarkerTTL)), s.codec.marker(name), s.codec.markers(name)).Int()
	if err != nil {
		return false, s.redisErr("CompareAndSwap", err)
	}
	switch r {
	case 1: // this process read oldToken from Redis and now owns the session
		s.notePerProcess(key)
		s.local.put(key, next, ttl)
		return true, nil
	case 2:
		s.notePerProcess(key)
		return s.local.compareAndSwap(key, oldToken, next, ttl), nil
	}
	return false, nil
}

// capTTL applies WithMaxTTL to a session TTL (0: none asked).
func (s *Store) capTTL(ttl time.Duration) time.Duration {
	if ttl <= 0 || ttl > s.maxTTL {
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
