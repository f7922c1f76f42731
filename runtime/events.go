package runtime

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"time"
)

// EventKind names what happened to a session.
type EventKind int

const (
	// EventLogin: a session was opened (first login of a slot).
	EventLogin EventKind = iota + 1
	// EventRelogin: a session was opened again after a "session gone"
	// answer or a known expiry.
	EventRelogin
	// EventRotate: a response carried a new token that replaced the one it
	// answered.
	EventRotate
	// EventExpire: a session was dropped, because the server rejected it or
	// a known limit was reached.
	EventExpire
	// EventLogout: a session was ended on Close.
	EventLogout
	// EventInvalidate: sessions were ended by InvalidateSessions.
	EventInvalidate
	// EventLoginFailed: a login for a session was attempted and opened
	// none (the server refused the credentials or answered without a
	// session token, the password callback or the OAuth2 token request
	// failed). Err says why; Session is empty. One login shared by many
	// waiting callers is one event, and callers answered from the
	// refused-login backoff cause none: the count is of attempts, for
	// alerting on failures. impl.ScopeCall profiles keep no session, and their
	// refused calls are plain call errors.
	EventLoginFailed
)

func (k EventKind) String() string {
	switch k {
	case EventLogin:
		return "login"
	case EventRelogin:
		return "relogin"
	case EventRotate:
		return "rotate"
	case EventExpire:
		return "expire"
	case EventLogout:
		return "logout"
	case EventInvalidate:
		return "invalidate"
	case EventLoginFailed:
		return "login-failed"
	}
	return "unknown"
}

// Event reports a session change to the WithEvents hook, so users can count
// logins and trace rotations without reading logs.
type Event struct {
	Kind EventKind
	// Session is a short hash of the session's token (the first 8 hex
	// digits of its SHA-256), never the token itself.
	Session string
	// Err is the cause, when there is one (the fault that ended a session).
	Err error
}

// shortHash names a secret in logs and events without revealing it.
func shortHash(secret string) string {
	if secret == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:4])
}

// emit sends an event to the hook and the logger. Nothing secret is passed
// here: callers hand over a hash. It runs user code, so never under a
// runtime lock; a panic there is recorded for the work of ctx.
func (e *engine) emit(ctx context.Context, kind EventKind, session string, err error) {
	if e.cfg.events != nil {
		notify(ctx, "WithEvents callback", func() { e.cfg.events(Event{Kind: kind, Session: session, Err: err}) })
	}
	if e.cfg.logger != nil {
		attrs := []any{"profile", e.profileName, "event", kind.String(), "session", session}
		if err != nil {
			attrs = append(attrs, "err", err.Error())
		}
		level, msg := slog.LevelInfo, "wsdlsess session"
		if kind == EventLoginFailed {
			level, msg = slog.LevelWarn, "wsdlsess login failed"
		}
		notify(ctx, "logger", func() { e.cfg.logger.LogAttrs(ctx, level, msg, toAttrs(attrs)...) })
	}
}

func toAttrs(kv []any) []slog.Attr {
	out := make([]slog.Attr, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, slog.Any(kv[i].(string), kv[i+1]))
	}
	return out
}

// warn logs a line at Warn when a logger is set: for failures that do not
// fail the call but cost something later. A Store that cannot be written
// (a Redis outage) makes every other client or process log in again, and
// a lock that cannot be released holds the fleet's logins until its TTL:
// an operator must see that at the default level, not only under Debug.
func (e *engine) warn(ctx context.Context, msg string, kv ...any) {
	l := e.cfg.logger
	if l == nil {
		return
	}
	notify(ctx, "logger", func() {
		l.LogAttrs(ctx, slog.LevelWarn, msg, append([]slog.Attr{slog.String("profile", e.profileName)}, toAttrs(kv)...)...)
	})
}

// unlock releases a Store lock within the call's ctx; a failure is warned
// about, since the lock then blocks every login until its TTL. When the
// call has already ended the lock must still go: it is released in the
// background, bounded by storeCleanupTimeout, so the caller is not held
// past its deadline.
func (e *engine) unlock(ctx context.Context, lease Lease) {
	if ctx.Err() == nil {
		e.release(ctx, lease)
		return
	}
	go func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeCleanupTimeout)
		defer cancel()
		// Nobody waits for this work: its panics are caught and dropped.
		uctx, _ = withPanics(uctx)
		e.release(uctx, lease)
	}()
}

// storeCleanupTimeout bounds Store work that outlives the call it was for.
const storeCleanupTimeout = 5 * time.Second

func (e *engine) release(ctx context.Context, lease Lease) {
	if err := storeCall(ctx, "Lease.Unlock", nil, func() error { return lease.Unlock(ctx) }); err != nil {
		e.warn(ctx, "wsdlsess session store unlock failed: other logins wait until the lock expires", "err", err.Error())
	}
}

// debug logs a call-level line when a logger is set and enabled for debug.
func (e *engine) debug(ctx context.Context, msg string, kv ...any) {
	l := e.cfg.logger
	if l == nil {
		return
	}
	notify(ctx, "logger", func() {
		if l.Enabled(ctx, slog.LevelDebug) {
			l.LogAttrs(ctx, slog.LevelDebug, msg, append([]slog.Attr{slog.String("profile", e.profileName)}, toAttrs(kv)...)...)
		}
	})
}
