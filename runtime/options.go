package runtime

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"
)

// Clock tells the session engine the time, so tests can drive session
// expiry without sleeping.
type Clock interface{ Now() time.Time }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// DefaultMaxResponseBytes bounds a response body when WithMaxResponseBytes
// is not given: large enough for big query pages, small enough that a
// runaway or hostile server cannot exhaust memory.
const DefaultMaxResponseBytes = 64 << 20

type config struct {
	endpoint      string
	creds         Credentials
	hc            *http.Client
	store         Store
	logger        *slog.Logger
	events        func(Event)
	clock         Clock
	poolSize      int
	refreshMargin time.Duration
	marginSet     bool
	maxResponse   int64
	lender        *Client
}

// WithEndpoint sets the service URL (default: the WSDL's soap:address).
func WithEndpoint(u string) Option {
	return func(c *config) error {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return fmt.Errorf("runtime.WithEndpoint(%q): want an absolute http or https URL", u)
		}
		c.endpoint = u
		return nil
	}
}

// WithCredentials sets who logs in. The identity (user name or client id,
// never the secret) is part of every session key, so two identities never
// share a session.
func WithCredentials(cr Credentials) Option {
	return func(c *config) error {
		if cr == nil {
			return errors.New("runtime.WithCredentials: nil credentials")
		}
		c.creds = cr
		return nil
	}
}

// WithHTTPClient sets the HTTP client. Its CheckRedirect is wrapped so that
// a redirect to another host is refused: it would carry the session or the
// credentials there. Without it the runtime's own client is used, which
// keeps connections alive and ends a call after five minutes when the
// call's ctx has no earlier deadline.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("runtime.WithHTTPClient: nil client")
		}
		c.hc = hc
		return nil
	}
}

// WithStore sets where shared sessions live (default: a store private to the
// client). Clients, or processes, with one store do one login per expiry
// between them.
func WithStore(s Store) Option {
	return func(c *config) error {
		if s == nil {
			return errors.New("runtime.WithStore: nil store")
		}
		c.store = s
		return nil
	}
}

// WithLogger sets a logger: session changes at Info, calls at Debug. Tokens
// appear only as short hashes.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { c.logger = l; return nil }
}

// WithEvents sets a hook called synchronously on every session change; it
// must be quick and safe for concurrent use.
func WithEvents(f func(Event)) Option {
	return func(c *config) error { c.events = f; return nil }
}

// WithClock replaces the clock used for session limits.
func WithClock(cl Clock) Option {
	return func(c *config) error {
		if cl == nil {
			return errors.New("runtime.WithClock: nil clock")
		}
		c.clock = cl
		return nil
	}
}

// WithPoolSize bounds the sessions of a rotating profile (overrides
// impl.Profile.PoolSize). Calls on one rotating session go one at a time, so the
// pool size is the client's parallelism.
func WithPoolSize(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("runtime.WithPoolSize(%d): want at least 1", n)
		}
		c.poolSize = n
		return nil
	}
}

// WithRefreshMargin sets how long before a known limit the engine logs in
// again (overrides impl.Profile.Limits.RefreshMargin).
func WithRefreshMargin(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("runtime.WithRefreshMargin(%v): want a duration >= 0", d)
		}
		c.refreshMargin, c.marginSet = d, true
		return nil
	}
}

// WithMaxResponseBytes bounds a response body (default 64 MiB); a longer
// body fails the call while it is read.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("runtime.WithMaxResponseBytes(%d): want at least 1", n)
		}
		c.maxResponse = n
		return nil
	}
}
