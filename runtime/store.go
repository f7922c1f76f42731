package runtime

import (
	"context"
	"time"
)

// SessionState is the part of a session a Store keeps. It holds secrets
// (token, cookies): a Store must treat it as such, and nothing prints it.
type SessionState struct {
	// Token is the current session token ("" for cookie-only sessions).
	Token string `json:"token,omitempty"`
	// Endpoint overrides the service endpoint (Salesforce serverUrl).
	Endpoint string `json:"endpoint,omitempty"`
	// Lent holds the login result's URLs for clients that borrow the
	// session (impl.LoginResult.Lent: Salesforce metadataServerUrl).
	Lent map[string]string `json:"lent,omitempty"`
	// Cookies are the session cookies as the server set them.
	Cookies []StoredCookie `json:"cookies,omitempty"`
	// Issued is when the session was opened; TokenIssued when the current
	// token was issued (they differ once a token rotates); LastUsed when it
	// last carried a call.
	Issued      time.Time `json:"issued"`
	TokenIssued time.Time `json:"tokenIssued"`
	LastUsed    time.Time `json:"lastUsed"`
	// Expires, when set, is when the session ends unless it carries a call
	// before: LastUsed plus the login result's Lifetime (an inactivity
	// limit). A client that adopts the session reads the Lifetime back as
	// Expires - LastUsed, so it knows the limit too.
	Expires time.Time `json:"expires,omitempty"`
}

// StoredCookie is a cookie with the request URL that received it, so it can
// be replayed into a cookie jar with the domain and path rules the server
// set.
type StoredCookie struct {
	URL      string    `json:"url"`
	Name     string    `json:"name"`
	Value    string    `json:"value"`
	Domain   string    `json:"domain,omitempty"`
	Path     string    `json:"path,omitempty"`
	Expires  time.Time `json:"expires,omitempty"`
	Secure   bool      `json:"secure,omitempty"`
	HTTPOnly bool      `json:"httpOnly,omitempty"`
}

// Store keeps sessions where several clients, or several processes, can
// share them. Keys are built by the session engine from the profile name,
// the endpoint and the identity of the credentials, so two identities never
// share a session.
//
// Implementations must be safe for concurrent use.
type Store interface {
	// Get returns the session under key, or (nil, nil) when there is none.
	Get(ctx context.Context, key string) (*SessionState, error)
	// Put stores s under key unconditionally, expiring after ttl (0: never).
	Put(ctx context.Context, key string, s *SessionState, ttl time.Duration) error
	// CompareAndSwap stores next under key only if the stored token equals
	// oldToken ("" means: only if there is no session). It reports whether
	// it stored; a stale writer never overwrites a newer token.
	CompareAndSwap(ctx context.Context, key, oldToken string, next *SessionState, ttl time.Duration) (bool, error)
	// CompareAndDelete removes the session under key only if its token
	// equals token: invalidation removes the rejected token, never a newer
	// one.
	CompareAndDelete(ctx context.Context, key, token string) (bool, error)
	// Lock takes the lock for key, waiting until it is free or ctx ends. The
	// lock expires after ttl if its holder dies. Only the holder can release
	// it.
	Lock(ctx context.Context, key string, ttl time.Duration) (Lease, error)
}

// Lease is a held Store lock.
type Lease interface {
	// Unlock releases the lock if this lease still holds it.
	Unlock(ctx context.Context) error
}
