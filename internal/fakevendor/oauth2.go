package fakevendor

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// OAuth2Config configures a fake OAuth2 client-credentials token endpoint.
type OAuth2Config struct {
	// Clients maps client id to secret.
	Clients map[string]string
	// Lifetime is the tokens' expires_in (default 1h).
	Lifetime time.Duration
	// RateLimit token requests are allowed per RateWindow (sliding, on the
	// fake clock); more are answered 429. 0 means unlimited.
	RateLimit  int
	RateWindow time.Duration
	Clock      *Clock
}

// OAuth2 is a fake token endpoint (RFC 6749 client credentials grant) at
// /oauth/token. It accepts client authentication in the Authorization
// header (Basic) or in the form body, counts and rate-limits token
// requests, and validates the bearer tokens it issued for resource servers
// such as the Cookie fake.
type OAuth2 struct {
	// Requests counts token requests of any outcome; Issued the tokens
	// issued; Limited the requests answered 429; Refused the requests with
	// bad client credentials or grant.
	Requests atomic.Int64
	Issued   atomic.Int64
	Limited  atomic.Int64
	Refused  atomic.Int64

	cfg   OAuth2Config
	clock *Clock
	srv   *httptest.Server

	mu     sync.Mutex
	tokens map[string]oaToken
	recent []time.Time // times of allowed requests inside the window
	issued []string
}

type oaToken struct {
	client  string
	expires time.Time
}

// NewOAuth2 starts a fake token endpoint. Close it when done.
func NewOAuth2(cfg OAuth2Config) *OAuth2 {
	if cfg.Lifetime == 0 {
		cfg.Lifetime = time.Hour
	}
	o := &OAuth2{cfg: cfg, clock: cfg.Clock.orNew(), tokens: map[string]oaToken{}}
	o.srv = httptest.NewServer(o)
	return o
}

// TokenURL is the token endpoint URL.
func (o *OAuth2) TokenURL() string { return o.srv.URL + "/oauth/token" }

// Clock returns the clock the fake reads.
func (o *OAuth2) Clock() *Clock { return o.clock }

// Close shuts the server down.
func (o *OAuth2) Close() { o.srv.Close() }

// Validate reports the client a bearer token was issued to, if it is known
// and not expired.
func (o *OAuth2) Validate(token string) (client string, ok bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	t, ok := o.tokens[token]
	if !ok || !o.clock.Now().Before(t.expires) {
		return "", false
	}
	return t.client, true
}

// Secrets returns every client secret and token the fake knows.
func (o *OAuth2) Secrets() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return secretList(o.issued, o.cfg.Clients)
}

// RevokeAll makes every issued token invalid.
func (o *OAuth2) RevokeAll() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.tokens = map[string]oaToken{}
}

// ServeHTTP implements the token endpoint.
func (o *OAuth2) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/oauth/token" {
		http.NotFound(w, r)
		return
	}
	o.Requests.Add(1)
	if r.Method != http.MethodPost {
		o.Refused.Add(1)
		oauthError(w, http.StatusMethodNotAllowed, "invalid_request", "use POST")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		o.Refused.Add(1)
		oauthError(w, http.StatusBadRequest, "invalid_request", "malformed form body")
		return
	}
	if !o.allow() {
		o.Limited.Add(1)
		w.Header().Set("Retry-After", strconv.Itoa(int(o.cfg.RateWindow/time.Second)))
		oauthError(w, http.StatusTooManyRequests, "slow_down", "token request rate limit exceeded")
		return
	}
	if g := r.PostForm.Get("grant_type"); g != "client_credentials" {
		o.Refused.Add(1)
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "only client_credentials is supported")
		return
	}
	id, secret, ok := r.BasicAuth()
	if ok {
		// RFC 6749 2.3.1: id and secret are form-encoded inside Basic.
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	want, known := o.cfg.Clients[id]
	if !known || secret == "" || secret != want {
		o.Refused.Add(1)
		w.Header().Set("WWW-Authenticate", `Basic realm="fake-oauth2"`)
		oauthError(w, http.StatusUnauthorized, "invalid_client", "unknown client or wrong secret")
		return
	}
	tok := newToken("at-")
	o.mu.Lock()
	o.tokens[tok] = oaToken{client: id, expires: o.clock.Now().Add(o.cfg.Lifetime)}
	o.issued = append(o.issued, tok)
	o.mu.Unlock()
	o.Issued.Add(1)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": tok,
		"token_type":   "Bearer",
		"expires_in":   int(o.cfg.Lifetime / time.Second),
	})
}

// allow applies the sliding-window rate limit on the fake clock.
func (o *OAuth2) allow() bool {
	if o.cfg.RateLimit <= 0 {
		return true
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	now := o.clock.Now()
	keep := o.recent[:0]
	for _, t := range o.recent {
		if now.Sub(t) < o.cfg.RateWindow {
			keep = append(keep, t)
		}
	}
	o.recent = keep
	if len(o.recent) >= o.cfg.RateLimit {
		return false
	}
	o.recent = append(o.recent, now)
	return true
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}
