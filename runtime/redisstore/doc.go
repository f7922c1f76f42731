// Package redisstore is a runtime.Store on Redis, so that every process with
// the same endpoint, identity and profile shares one vendor session and the
// whole fleet does one login per expiry.
//
//	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
//	store, err := redisstore.New(rdb,
//		redisstore.WithPrefix("myapp:wsdlsess:"),
//		redisstore.WithEncryptionKey(key32), // AES-256-GCM at rest
//	)
//	defer store.Close()
//	c, err := sfdc.NewClient(runtime.WithStore(store), ...)
//
// # Keys
//
// A session lives in the hash PREFIX+"s:"+key with two fields: "t", a digest
// of the token (HMAC-SHA256 under a key derived from the encryption key, or a
// plain SHA-256 without one), which the Lua scripts compare, and "v", the
// session as JSON, sealed with AES-256-GCM when an encryption key is set (the
// Redis key name is the additional data, so a value copied under another
// identity's key does not open). The token and cookie values never appear in
// clear in Redis when encryption is on. WithEncryptionKeys(first, others...)
// rolls a key out: the first key seals, digests and signs, every key opens
// and recognises, so processes on either generation share sessions. The
// lock for key is the string
// PREFIX+"l:"+key, holding a random owner token; unlocks are announced on the
// channel PREFIX+"unlock". The default prefix is "wsdlsess:".
//
// # Consistency
//
// CompareAndSwap and CompareAndDelete are single Lua scripts: a stale writer
// never overwrites a newer token, and invalidation removes only the rejected
// token. Lock is SET NX PX with a random owner; Unlock is an owner-checked
// Lua delete that publishes the release, so waiters in every process wake at
// once; a waiter that misses the message (or whose Redis connection was
// replaced) still polls with a backoff bounded by the lock's remaining TTL,
// so a holder that died is replaced as soon as its TTL ends. Every wait
// honours its own ctx. The runtime asks for a lock TTL of one minute (its
// login timeout); WithLockTTL keeps the Redis TTL short and renews it while
// the holder lives, so a crashed process blocks the fleet's logins for that
// short TTL only. Every script touches one key, so the store also runs on
// Redis Cluster.
//
// # Rotating sessions are per process
//
// A rotating session (Siebel: a new token on every response, the newest must
// be sent next) is never shared through Redis. The runtime's session engine
// already keeps rotating pools in process memory and never hands them to a
// Store; this store enforces the rule for any other caller too. Sharing one
// correctly would
// need a fleet-wide lock held for the whole of every call, serialising the
// fleet on one round trip at a time; per-process sessions (a bounded pool in
// each process) scale better and cannot send a stale token. The store
// enforces this itself: the first CompareAndSwap that rotates a token within
// one session (same Issued, TokenIssued after Issued, a new token) atomically
// replaces the Redis entry with a "rotating" marker and keeps that session in
// the process's memory. From then on every process sees the marker, keeps
// its own sessions for that key in its own memory, and never reads another
// process's token. One limit remains: the token of the first login, before
// its first rotation, is visible in Redis to other processes for the length
// of that one call; a process that uses it then is rejected by the vendor
// and logs in on its own (the engine's normal relogin path). The marker
// expires with the session's TTL (at least MinMarkerTTL).
//
// The store cannot see the profile, only the states: a non-rotating session
// whose server replaces its token mid-session (the runtime records that as a
// rotation too: same Issued, new TokenIssued) is likewise kept per process
// after that replacement. That costs a login per process, never a stale
// send; none of the built-in profiles' vendors does it outside Siebel.
//
// # Values nobody can read
//
// A value that opens under none of the store's keys (a rollout this
// process is behind on, a corrupt or forged value) or a rotation marker
// that does not verify is taken for no session: Get logs a warning
// (WithLogger, default slog.Default) and returns nil, the session engine
// logs in under the lock, and its CompareAndSwap replaces exactly the bytes
// Get found (a readable session stored meanwhile survives). Markers are
// signed with the key, so whoever can write to Redis without the key
// cannot turn sharing off for a key; without a key a marker cannot be
// authenticated, and the store warns once per key when it stops sharing.
// Every session key expires: after its known lifetime, else after
// DefaultMaxTTL (WithMaxTTL), so an unreadable value also goes by itself.
//
// # Redis unreachable
//
// There is no silent fallback: every method returns an error that says which
// operation failed, where Redis was expected, and wraps go-redis's cause
// (errors.Is works on it); it never contains a token, cookie or password,
// nor the key (which may name a user). The session engine turns it into the
// call's error, so no call is lost without one; a call that needs no store
// access (the process already holds a valid session) goes on succeeding.
// A go-redis FailoverClient hides its sentinels; WithSentinel names them and
// the master in errors. go-redis reconnects by itself; after a run of failed dials its pool
// redials about once a second, so service resumes within about a second of
// Redis coming back (measured by TestFleetSurvivesRedisRestart). A restarted
// Redis without persistence has lost the sessions: the fleet logs in once
// more.
package redisstore
