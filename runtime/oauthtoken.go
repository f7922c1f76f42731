package runtime

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// oauthCreds caches the client-credentials access token. Token endpoints
// are rate-limited and a token is good for an hour, so the cache follows
// three rules:
//   - expiry is judged on the client's Clock (WithClock), not on the wall
//     clock oauth2.Token.Valid reads, so tests and the session limits
//     agree on what time it is;
//   - one fetch is in flight at a time; other callers wait for it, each
//     with its own ctx, and a waiter giving up does not cancel it;
//   - a token a server refused is dropped (compare-and-drop: a newer token
//     fetched meanwhile survives), so the next request fetches a new one
//     instead of presenting a revoked or early-expired token forever.
//
// The cache belongs to the Credentials value: clients built with the same
// value share one token, and should then share one Clock.
type oauthCreds struct {
	cfg *clientcredentials.Config

	mu       sync.Mutex
	tok      string
	fetched  time.Time     // on the Clock of the client that fetched it
	lifetime time.Duration // expires_in
	fl       *tokenFetch
	// refused is the token endpoint's last refusal (bad client secret,
	// rate limit), answered from memory until refusedUntil on the Clock.
	refused      error
	refusedUntil time.Time
}

// tokenFetch is one token request in flight.
type tokenFetch struct {
	done chan struct{}
	tok  string
	err  error
}

// tokenEnv is what a fetch needs from the client that asks.
type tokenEnv struct {
	hc      *http.Client
	clock   Clock
	margin  time.Duration
	timeout time.Duration
}

const (
	// defaultTokenLifetime applies when the token endpoint gives no
	// expires_in (RFC 6749 makes it optional).
	defaultTokenLifetime = time.Hour
	// minTokenMargin is the least time a token must have left to be sent:
	// the request that carries it takes time too (oauth2's own expiryDelta).
	minTokenMargin = 10 * time.Second
)

// bearer returns the cached token or one fetched for this call (fresh).
// A fresh token the server refuses is not worth fetching again at once.
func (o *oauthCreds) bearer(ctx context.Context, env tokenEnv) (tok string, fresh bool, err error) {
	if o.cfg == nil {
		return "", false, errors.New("runtime: OAuth2ClientCredentials(nil): give a *clientcredentials.Config")
	}
	o.mu.Lock()
	now := env.clock.Now()
	if o.tok != "" && o.usable(now, env.margin) {
		tok := o.tok
		o.mu.Unlock()
		return tok, false, nil
	}
	if o.refused != nil && now.Before(o.refusedUntil) {
		err := o.refused
		o.mu.Unlock()
		return "", false, err
	}
	f := o.fl
	if f == nil {
		f = &tokenFetch{done: make(chan struct{})}
		o.fl = f
		go o.fetch(ctx, env, f)
	}
	o.mu.Unlock()
	select {
	case <-f.done:
		if f.err != nil {
			return "", false, f.err
		}
		return f.tok, true, nil
	case <-ctx.Done():
		return "", false, fmt.Errorf("runtime: waiting for an OAuth2 token for client %q: %w", o.cfg.ClientID, ctx.Err())
	}
}

// usable reports whether the cached token has more than the margin left
// at now. The margin is at least minTokenMargin and at most half the
// lifetime, so a large margin cannot cause a fetch per call.
func (o *oauthCreds) usable(now time.Time, margin time.Duration) bool {
	m := max(margin, minTokenMargin)
	if m > o.lifetime/2 {
		m = o.lifetime / 2
	}
	return now.Before(o.fetched.Add(o.lifetime - m))
}

// fetch runs one token request, detached from the first caller's
// cancellation (other callers wait for it) but bounded by env.timeout.
func (o *oauthCreds) fetch(ctx context.Context, env tokenEnv, f *tokenFetch) {
	fctx, cancel := context.WithTimeout(context.WithValue(context.WithoutCancel(ctx), oauth2.HTTPClient, env.hc), env.timeout)
	defer cancel()
	// The lifetime counts from before the request: a token is never
	// thought to live longer than it does.
	start := env.clock.Now()
	tok, err := o.cfg.Token(fctx)
	if err == nil && tok.AccessToken == "" {
		err = errors.New("the token endpoint answered without an access_token")
	}
	o.mu.Lock()
	o.fl = nil
	if err != nil {
		f.err = tokenError(o.cfg, o.tok, err)
		var refused *tokenRefusedError
		if errors.As(f.err, &refused) {
			o.refused, o.refusedUntil = f.err, env.clock.Now().Add(refused.hold)
		}
	} else {
		o.refused = nil
		f.tok = tok.AccessToken
		o.tok, o.fetched, o.lifetime = tok.AccessToken, start, tokenLifetime(tok)
	}
	o.mu.Unlock()
	close(f.done)
}

// drop forgets tok if it is still the cached token: a server refused it.
func (o *oauthCreds) drop(tok string) {
	o.mu.Lock()
	if o.tok == tok {
		o.tok = ""
	}
	o.mu.Unlock()
}

// tokenLifetime reads expires_in (oauth2 keeps it for JSON answers; for
// form-encoded ones only the wall-clock Expiry it derived from it).
func tokenLifetime(tok *oauth2.Token) time.Duration {
	switch {
	case tok.ExpiresIn > 0:
		return time.Duration(tok.ExpiresIn) * time.Second
	case !tok.Expiry.IsZero():
		if d := time.Until(tok.Expiry); d > 0 {
			return d
		}
		return 0
	}
	return defaultTokenLifetime
}

// tokenRefusedError is a token request the endpoint answered with a 4xx
// (bad client secret, rate limit): like a refused login, it is answered
// from memory for hold instead of asking again.
type tokenRefusedError struct {
	err  error
	hold time.Duration
}

func (e *tokenRefusedError) Error() string { return e.err.Error() }
func (e *tokenRefusedError) Unwrap() error { return e.err }

// maxTokenHold bounds how long a Retry-After keeps the client from asking.
const maxTokenHold = 10 * time.Minute

// tokenError names the client (never its secret). oauth2's error quotes
// the token endpoint's answer, up to a megabyte of it, and a WAF or gateway
// page may echo the token request there: client_secret=… in the form, the
// Basic header, a token. The error keeps a scrubbed start of the body (see
// tokenEndpointError). A refusal is held for the login backoff, or as long
// as the endpoint's Retry-After asks (rate limits), up to maxTokenHold.
func tokenError(cfg *clientcredentials.Config, cached string, err error) error {
	secrets := tokenSecrets(cfg, cached)
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil {
		return fmt.Errorf("runtime: OAuth2 token request for client %q failed: %w", cfg.ClientID,
			&scrubbedError{msg: scrubSecretsString(err.Error(), secrets), err: redactURL(err)})
	}
	// oauth2 leaves the status out when the body is a JSON error.
	err = fmt.Errorf("runtime: OAuth2 token request for client %q failed with HTTP %d: %w", cfg.ClientID, re.Response.StatusCode,
		tokenEndpointError(re, secrets))
	if re.Response.StatusCode/100 != 4 {
		return err
	}
	hold := loginBackoff
	if secs, perr := strconv.Atoi(re.Response.Header.Get("Retry-After")); perr == nil && secs > 0 {
		hold = min(max(hold, time.Duration(secs)*time.Second), maxTokenHold)
	}
	return &tokenRefusedError{err: err, hold: hold}
}

// tokenSecrets are what a token request sends and its answer may echo:
// the client secret, the Basic header oauth2 builds from it (both with
// and without its URL-escaping of id and secret), and the token this
// client holds.
func tokenSecrets(cfg *clientcredentials.Config, cached string) []string {
	var s []string
	if cfg.ClientSecret != "" {
		s = append(s, cfg.ClientSecret,
			base64.StdEncoding.EncodeToString([]byte(cfg.ClientID+":"+cfg.ClientSecret)),
			base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(cfg.ClientID)+":"+url.QueryEscape(cfg.ClientSecret))))
	}
	if cached != "" {
		s = append(s, cached)
	}
	return s
}

// credentialFields matches the value of a form or JSON field that holds a
// credential, as a token endpoint or a page echoing the token request
// writes it: the client secret, an assertion, a token of any kind.
var credentialFields = regexp.MustCompile(`(?i)((?:client_secret|client_assertion|assertion|password|access_token|refresh_token|id_token)(?:"|&quot;|&#34;)?\s*[:=]\s*(?:"|&quot;|&#34;)?)([^"&\s<>,;}]+)`)

// tokenEndpointError is a RetrieveError safe to print and to unwrap: its
// body cut to the start a human needs (snippetMax) and scrubbed of the
// secrets and of every credential field, its descriptions scrubbed, and a
// Response without the Request (whose header and body carried the secret).
func tokenEndpointError(re *oauth2.RetrieveError, secrets []string) error {
	clean := func(s string) string {
		return credentialFields.ReplaceAllString(scrubSecretsString(s, secrets), "${1}"+redacted)
	}
	resp := *re.Response
	resp.Request, resp.Body, resp.TLS = nil, http.NoBody, nil
	safe := &oauth2.RetrieveError{Response: &resp, ErrorCode: clean(re.ErrorCode),
		ErrorDescription: clean(re.ErrorDescription), ErrorURI: clean(re.ErrorURI)}
	// Scrubbed whole, then cut: a secret across the cut is not left half.
	safe.Body = []byte(snippet([]byte(clean(string(re.Body)))))
	msg := safe.Error()
	if safe.ErrorCode == "" {
		msg = "oauth2: cannot fetch token: " + resp.Status
		if len(safe.Body) > 0 {
			msg += ": " + string(safe.Body)
		}
	}
	return &scrubbedError{msg: msg, err: safe}
}

// scrubbedError is an error whose text was scrubbed of secrets; err is
// what it wraps, itself safe to print.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }
