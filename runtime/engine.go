package runtime

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// engine is what a client and all its exchanges share: configuration, the
// HTTP client, the profile and the client-wide sessions.
type engine struct {
	cfg          config
	p            *impl.Profile
	profileName  string
	hc           *http.Client
	ownTransport *http.Transport
	// bound limits calls on the runtime's own client whose ctx allows
	// more; nil on a client the caller supplied.
	bound        *callBound
	clock        Clock
	store        Store
	limits       impl.Limits
	margin       time.Duration
	maxResponse  int64
	endpoint     string
	identity     string
	key          string
	loginTimeout time.Duration
	poolSize     int
	// keepHeaders: the profile reads tokens from response SOAP headers.
	keepHeaders bool
	// guard holds back unproven and refused credentials engine-wide.
	guard *credGuard
	// lender is the client whose session a LoginBorrowed profile uses
	// (WithSessionFrom): calls take their session from its pool.
	lender *Client
}

// noProfile is the profile of a service without sessions.
var noProfile = &impl.Profile{Name: "none", Scope: impl.ScopeCall}

func newEngine(svc *impl.Service, cfg config) (*engine, error) {
	e := &engine{cfg: cfg, p: svc.Profile, loginTimeout: time.Minute}
	if e.p == nil {
		e.p = noProfile
	}
	e.profileName = e.p.Name
	e.endpoint = svc.Endpoint
	if cfg.endpoint != "" {
		e.endpoint = cfg.endpoint
	}
	if e.endpoint == "" {
		return nil, fmt.Errorf("runtime.NewClient(%s): no endpoint: the WSDL gives no soap:address for it; pass runtime.WithEndpoint(url)", serviceLabel(svc))
	}
	if cfg.hc != nil {
		e.hc = guardRedirects(cfg.hc)
	} else {
		hc, tr := defaultHTTPClient()
		e.hc, e.ownTransport = guardRedirects(hc), tr
		e.bound = newCallBound(defaultCallTimeout)
	}
	e.clock = cfg.clock
	if e.clock == nil {
		e.clock = systemClock{}
	}
	e.guard = newCredGuard(e.clock)
	e.store = cfg.store
	if e.store == nil {
		e.store = NewMemoryStore()
	}
	e.limits = e.p.Limits
	e.margin = e.limits.RefreshMargin
	if cfg.marginSet {
		e.margin = cfg.refreshMargin
	}
	e.maxResponse = cfg.maxResponse
	if e.maxResponse == 0 {
		e.maxResponse = DefaultMaxResponseBytes
	}
	e.poolSize = e.p.PoolSize
	if cfg.poolSize > 0 {
		e.poolSize = cfg.poolSize
	}
	if e.poolSize < 1 {
		e.poolSize = 1
	}
	for _, t := range e.p.Tokens {
		if t.Kind == impl.FromResponseHeader {
			e.keepHeaders = true
		}
	}
	if err := e.checkProfile(); err != nil {
		return nil, err
	}
	if cfg.lender != nil {
		l, err := e.borrowFrom(cfg.lender)
		if err != nil {
			return nil, err
		}
		e.lender = l
	}
	if cfg.creds != nil {
		e.identity = cfg.creds.identity()
	}
	sum := sha256.Sum256([]byte(e.endpoint + "\x00" + e.identity))
	e.key = "wsdlsess/" + e.profileName + "/" + hex.EncodeToString(sum[:12])
	return e, nil
}

// checkProfile rejects a profile the engine cannot run, naming the field.
func (e *engine) checkProfile() error {
	p := e.p
	where := "runtime.NewClient: profile " + p.Name
	needsCreds := p.Login.Kind != impl.LoginNone && p.Login.Kind != impl.LoginBorrowed
	if needsCreds && e.cfg.creds == nil {
		return fmt.Errorf("%s logs in but no credentials were given: pass runtime.WithCredentials", where)
	}
	switch p.Login.Kind {
	case impl.LoginNone, impl.LoginHeaders, impl.LoginHTTP:
	case impl.LoginOperation:
		if p.Login.Operation == nil || p.Login.Request == nil || p.Login.NewResponse == nil || p.Login.Result == nil {
			return fmt.Errorf("%s: Login.Kind is LoginOperation but Login.Operation, Request, NewResponse or Result is nil", where)
		}
		if _, ok := e.cfg.creds.(*passwordCreds); !ok {
			return fmt.Errorf("%s logs in with an operation, which needs runtime.Password or runtime.PasswordFunc credentials", where)
		}
	case impl.LoginBorrowed:
		if e.cfg.lender == nil {
			return fmt.Errorf("%s borrows the session of a client that logs in, but none was given: pass runtime.WithSessionFrom(loginClient)", where)
		}
		if e.cfg.creds != nil {
			return fmt.Errorf("%s borrows its session: give runtime.WithCredentials to the client passed to runtime.WithSessionFrom, not to this one", where)
		}
		if p.Scope != impl.ScopeShared || p.Rotate {
			return fmt.Errorf("%s: Login.Kind LoginBorrowed needs Scope ScopeShared and no Rotate: the lender's one session is shared", where)
		}
	default:
		return fmt.Errorf("%s: unknown Login.Kind %d", where, p.Login.Kind)
	}
	if needsCreds && p.Scope != impl.ScopeCall && len(p.Tokens) == 0 {
		return fmt.Errorf("%s keeps sessions but lists no Tokens source", where)
	}
	if p.LogoutOn == impl.LogoutOnClose && p.Logout != nil && (p.Logout.Operation == nil || p.Logout.Request == nil) {
		return fmt.Errorf("%s: Logout.Operation or Logout.Request is nil", where)
	}
	return nil
}

// ttl is how long the Store keeps a session: until its known maximum age
// or the idle deadline of a login's Lifetime (touchStore pushes that one
// forward while the session is used), else unbounded (the engine checks
// Limits.Idle itself).
func (e *engine) ttl(s *session) time.Duration {
	var d time.Duration
	if e.limits.MaxAge > 0 {
		d = s.issued.Add(e.limits.MaxAge).Sub(e.clock.Now())
	}
	if s.lifetime > 0 {
		if l := s.last().Add(s.lifetime).Sub(e.clock.Now()); d == 0 || l < d {
			d = l
		}
	}
	if d < 0 {
		d = time.Second
	}
	return d
}

// adopt returns the Store's session under sl.key if it is still valid and
// not one sl saw rejected, and the stored token (for the compare-and-swap
// that replaces it).
func (e *engine) adopt(ctx context.Context, sl *slot) (*session, string, error) {
	var st *SessionState
	err := storeCall(ctx, "Store.Get", nil, func() (err error) {
		st, err = e.store.Get(ctx, sl.key)
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("runtime: session store get: %w", err)
	}
	if st == nil || st.Token == "" {
		return nil, "", nil
	}
	if sl.wasRejected(st.Token) {
		// Its compare-and-delete failed or has not landed yet: stale, to
		// be replaced like an expired one.
		return nil, st.Token, nil
	}
	s := sessionFrom(st)
	if !e.valid(s, e.clock.Now()) {
		return nil, st.Token, nil
	}
	return s, st.Token, nil
}

// adoptOrLock implements the cross-client protocol: Get → valid? use it :
// Lock → Get again (another holder may have logged in) → caller logs in.
func (e *engine) adoptOrLock(ctx context.Context, sl *slot) (*session, Lease, string, error) {
	if s, _, err := e.adopt(ctx, sl); err != nil || s != nil {
		return s, nil, "", err
	}
	var lease Lease
	err := storeCall(ctx, "Store.Lock", nil, func() (err error) {
		lease, err = e.store.Lock(ctx, sl.key+"/login", e.loginTimeout)
		return err
	})
	if err == nil && lease == nil {
		err = errors.New("Store.Lock returned no Lease")
	}
	if err != nil {
		return nil, nil, "", fmt.Errorf("runtime: session store lock: %w", err)
	}
	s, old, err := e.adopt(ctx, sl)
	if err != nil || s != nil {
		e.unlock(ctx, lease)
		return s, nil, "", err
	}
	return nil, lease, old, nil
}

// publish stores a new session over the stale token it replaces, within
// ctx: the login's (a login operation) or the call's that carried the
// credentials.
//
// The stale token may be deleted between the read that found it and this
// swap (another call's or process's compare-and-delete of the rejected
// token landing late); the swap then fails on an empty key. publish reads
// again and replaces what is there only if it is still stale (nothing, a
// token this slot saw rejected, or an expired session): otherwise the rest of the fleet would
// find no session and log in again. A valid session stored meanwhile is
// left alone.
func (e *engine) publish(ctx context.Context, sl *slot, old string, s *session) {
	st, ttl := s.state(), e.ttl(s)
	for range 3 {
		var ok bool
		err := storeCall(ctx, "Store.CompareAndSwap", s.secrets(), func() (err error) {
			ok, err = e.store.CompareAndSwap(ctx, sl.key, old, st, ttl)
			return err
		})
		if err != nil {
			e.warn(ctx, "wsdlsess session store compare-and-swap failed: the new session is not shared, other clients will log in again", "session", s.hash, "err", err.Error())
			return
		}
		if ok {
			return
		}
		var cur *SessionState
		err = storeCall(ctx, "Store.Get", s.secrets(), func() (err error) {
			cur, err = e.store.Get(ctx, sl.key)
			return err
		})
		switch {
		case err != nil:
			e.warn(ctx, "wsdlsess session store get failed: the new session is not shared, other clients will log in again", "session", s.hash, "err", err.Error())
			return
		case cur == nil || cur.Token == "":
			old = ""
		case cur.Token == s.token:
			return
		case sl.wasRejected(cur.Token) || !e.valid(sessionFrom(cur), e.clock.Now()):
			old = cur.Token
		default:
			e.debug(ctx, "wsdlsess store already held a newer session", "session", s.hash)
			return
		}
	}
}

// loginOperation opens a session with the profile's login operation.
func (e *engine) loginOperation(ctx context.Context, sl *slot) (*session, error) {
	var lease Lease
	var old string
	if sl.key != "" {
		s, l, o, err := e.adoptOrLock(ctx, sl)
		if err != nil || s != nil {
			return s, err
		}
		lease, old = l, o
		defer e.unlock(ctx, lease)
	}
	lg := e.p.Login
	user := e.cfg.creds.(*passwordCreds).user
	pass, err := e.cfg.creds.(*passwordCreds).resolve(ctx)
	if err != nil {
		return nil, fmt.Errorf("runtime: %s login as %q: password callback: %w", e.profileName, user, err)
	}
	s := &session{jar: newJar()}
	out := lg.NewResponse()
	x := &exchange{url: e.endpoint, op: lg.Operation, env: envelope{version: lg.Operation.SOAP, body: lg.Request(user, pass)},
		jar: s.jar, out: out, keepHeaders: e.keepHeaders || lg.LifetimeHeader.Local != ""}
	x.secret(pass)
	rep, err := e.roundTrip(ctx, x)
	if err != nil {
		var f *Fault
		var h *HTTPError
		return nil, &loginError{profile: e.profileName, user: user, err: err, refused: errors.As(err, &f) || errors.As(err, &h)}
	}
	res, err := lg.Result(out)
	if err != nil {
		return nil, &loginError{profile: e.profileName, user: user, err: err}
	}
	if res.Lifetime == 0 && lg.LifetimeHeader.Local != "" {
		res.Lifetime = headerSeconds(rep, lg.LifetimeHeader, lg.LifetimePath)
	}
	now := e.clock.Now()
	s.token = e.tokenFrom(rep, res.Token)
	if s.token == "" {
		return nil, &loginError{profile: e.profileName, user: user, err: fmt.Errorf("the %s response carried no session token where the profile's Tokens look", lg.Operation.Name)}
	}
	s.endpoint, s.lifetime, s.issued, s.tokenIssued, s.hash = res.Endpoint, res.Lifetime, now, now, shortHash(s.token)
	s.lent = maps.Clone(res.Lent)
	s.cookies = storedCookies(e.endpoint, rep.cookies)
	s.touch(now)
	s.storedAt.Store(now.UnixNano())
	if sl.key != "" {
		e.publish(ctx, sl, old, s)
	}
	return s, nil
}

// resolve calls the password func, which is user code: a panic there is
// the login's error.
func (p *passwordCreds) resolve(ctx context.Context) (pass string, err error) {
	if perr := guard("PasswordFunc", nil, func() { pass, err = p.password(ctx) }); perr != nil {
		return "", perr
	}
	return pass, err
}

// headerSeconds reads a whole number of seconds from the text at path
// below the response header element name; 0 when there is none.
func headerSeconds(rep *reply, name xml.Name, path []string) time.Duration {
	if rep == nil {
		return 0
	}
	for i := range rep.headers {
		if !nameMatches(rep.headers[i].XMLName, name) {
			continue
		}
		n := rep.headers[i].find(path)
		if n == nil {
			return 0
		}
		// Bounded so the product cannot overflow: a century is no lifetime.
		secs, err := strconv.ParseInt(strings.TrimSpace(n.Text), 10, 64)
		if err != nil || secs <= 0 || secs > 100*365*24*3600 {
			return 0
		}
		return time.Duration(secs) * time.Second
	}
	return 0
}

// loginError reports a failed login; it names the user, never the secret.
type loginError struct {
	profile, user string
	err           error
	// refused: the server refused the credentials (see refusedByServer).
	refused bool
}

func (e *loginError) Error() string {
	return fmt.Sprintf("runtime: %s login failed for %q: %v", e.profile, e.user, e.err)
}
func (e *loginError) Unwrap() error { return e.err }

// tokenFrom reads the session token from a response by the profile's
// Tokens, first non-empty wins; fromLogin is a login operation's result.
func (e *engine) tokenFrom(rep *reply, fromLogin string) string {
	for _, t := range e.p.Tokens {
		var v string
		switch t.Kind {
		case impl.FromLogin:
			v = fromLogin
		case impl.FromResponseHeader:
			if rep == nil {
				continue
			}
			for i := range rep.headers {
				if nameMatches(rep.headers[i].XMLName, t.Header) {
					if n := rep.headers[i].find(t.Path); n != nil {
						v = strings.TrimSpace(n.Text)
					}
					break
				}
			}
		case impl.FromCookie:
			if rep == nil {
				continue
			}
			for _, c := range rep.cookies {
				if c.Name == t.Name && cookieLive(c) {
					v = c.Value
				}
			}
		case impl.FromHTTPHeader:
			if rep != nil {
				v = rep.http.Get(t.Name)
			}
		}
		if v != "" {
			return v
		}
	}
	return ""
}

// constants returns the profile's constant header elements.
func (e *engine) constants(into []headerElem) []headerElem {
	for _, c := range e.p.Constant {
		into = append(into, headerElem{name: c.Name, path: c.Path, text: c.Value})
	}
	return into
}

// sentBearer is the OAuth2 token a request carried ("" for none), and
// whether it was fetched for this request rather than taken from the cache.
type sentBearer struct {
	tok   string
	fresh bool
}

// withCredentials makes x carry the credentials (LoginHeaders, LoginHTTP).
func (e *engine) withCredentials(ctx context.Context, x *exchange) (sentBearer, error) {
	lg := e.p.Login
	switch lg.Kind {
	case impl.LoginHeaders:
		pc, ok := e.cfg.creds.(*passwordCreds)
		if !ok {
			return sentBearer{}, fmt.Errorf("runtime: profile %s sends credential headers, which need runtime.Password or runtime.PasswordFunc credentials", e.profileName)
		}
		pass, err := pc.resolve(ctx)
		if err != nil {
			return sentBearer{}, fmt.Errorf("runtime: %s: password callback for %q: %w", e.profileName, pc.user, err)
		}
		x.secret(pass)
		for _, h := range lg.Headers {
			v := pc.user
			if h.Value == impl.CredentialPassword {
				v = pass
			}
			x.env.profile = append(x.env.profile, headerElem{name: h.Name, path: h.Path, text: v})
		}
		if lg.WSSecurity {
			x.env.wsse, x.env.wsseUser, x.env.wssePass = true, pc.user, pass
		}
	case impl.LoginHTTP:
		if x.headers == nil {
			x.headers = http.Header{}
		}
		switch c := e.cfg.creds.(type) {
		case *passwordCreds:
			pass, err := c.resolve(ctx)
			if err != nil {
				return sentBearer{}, fmt.Errorf("runtime: %s: password callback for %q: %w", e.profileName, c.user, err)
			}
			basic := base64.StdEncoding.EncodeToString([]byte(c.user + ":" + pass))
			x.secret(pass)
			x.secret(basic)
			x.headers.Set("Authorization", "Basic "+basic)
		case *oauthCreds:
			tok, fresh, err := c.bearer(ctx, tokenEnv{hc: e.hc, clock: e.clock, margin: e.margin, timeout: e.loginTimeout})
			if err != nil {
				var refused *tokenRefusedError
				if errors.As(err, &refused) {
					// Held back like a refused login: the token endpoint
					// is rate-limited.
					return sentBearer{}, &loginError{profile: e.profileName, user: e.userName(), err: err, refused: true}
				}
				return sentBearer{}, err
			}
			x.secret(tok)
			x.headers.Set("Authorization", "Bearer "+tok)
			return sentBearer{tok: tok, fresh: fresh}, nil
		}
	}
	return sentBearer{}, nil
}

// sent is one request that carried the credentials, and its outcome.
type sent struct {
	x   *exchange
	rep *reply
	err error
}

// sendCredentialed sends the request build makes, carrying the
// credentials; credErr reports credentials that could not be resolved
// (nothing was sent). A cached OAuth2 token the server refuses (401, or a
// Gone rule: the request was not processed) is dropped and the request
// sent once more with a fresh token; a fresh token refused is dropped too,
// and the refusal is the answer.
func (e *engine) sendCredentialed(ctx context.Context, build func() *exchange) (out sent, credErr error) {
	for try := 0; ; try++ {
		x := build()
		b, err := e.withCredentials(ctx, x)
		if err != nil {
			return sent{}, err
		}
		rep, err := e.roundTrip(ctx, x)
		if b.tok != "" && err != nil && rep != nil && (rep.status == http.StatusUnauthorized || gone(e.p.Gone, rep.status, err)) {
			e.cfg.creds.(*oauthCreds).drop(b.tok)
			e.debug(ctx, "wsdlsess OAuth2 token refused by the server; dropped", "token", shortHash(b.tok), "fresh", b.fresh)
			if !b.fresh && try == 0 {
				continue
			}
		}
		return sent{x: x, rep: rep, err: err}, nil
	}
}

// userName names the credentials in errors: the user, or the client id.
func (e *engine) userName() string {
	switch c := e.cfg.creds.(type) {
	case *passwordCreds:
		return c.user
	case *oauthCreds:
		if c.cfg != nil {
			return c.cfg.ClientID
		}
	}
	return ""
}

// withSession makes x carry session s as the profile's Send says.
func (e *engine) withSession(x *exchange, s *session) {
	if s.endpoint != "" {
		x.url = s.endpoint
	}
	x.jar = s.jar
	x.secret(s.token)
	for _, t := range e.p.Send {
		switch t.Kind {
		case impl.ToSOAPHeader:
			x.env.profile = append(x.env.profile, headerElem{name: t.Header, path: t.Path, text: s.token, mustUnderstand: t.MustUnderstand})
		case impl.ToHTTPHeader:
			if x.headers == nil {
				x.headers = http.Header{}
			}
			x.headers.Set(t.Name, t.Prefix+s.token)
		case impl.ToCookie:
			// A cookie the server set lives in the session's jar, which
			// sends it only where its domain, path and Secure flag allow.
			// A token learnt elsewhere (a login result, a header) is sent
			// as this cookie when the jar has none of that name.
			if !e.cookieFromServer(t.Name) {
				x.cookieName, x.cookieValue = t.Name, s.token
			}
		}
	}
}

// keptCookies returns the Set-Cookies of a response a session keeps, by
// the profile's Cookies policy. Filtering here, where the reply is made,
// keeps a dropped cookie out of the jar, the token sources and the Store
// alike.
func (e *engine) keptCookies(cs []*http.Cookie) []*http.Cookie {
	if e.p == nil || e.p.Cookies != impl.CookiesNamed || len(cs) == 0 {
		return cs
	}
	kept := cs[:0]
	for _, c := range cs {
		if e.cookieFromServer(c.Name) {
			kept = append(kept, c)
		}
	}
	return kept
}

// cookieFromServer reports whether the profile reads the token from the
// Set-Cookie of that name (so the jar, not the engine, decides where it
// goes).
func (e *engine) cookieFromServer(name string) bool {
	for _, t := range e.p.Tokens {
		if t.Kind == impl.FromCookie && t.Name == name {
			return true
		}
	}
	return false
}

// cookieDeleted reports a Set-Cookie that deletes the cookie (RFC 6265
// 5.2.2, 5.3): "Max-Age=0" or less, or an Expires in the past, the form
// Java servers send on logout ("JSESSIONID=deleted; Expires=Thu, 01 Jan
// 1970 …"). Past is judged on the wall clock, as the cookie jar that
// carries the cookie judges it.
func cookieDeleted(c *http.Cookie) bool {
	return c.MaxAge < 0 || (!c.Expires.IsZero() && !c.Expires.After(time.Now()))
}

// cookieLive reports whether a Set-Cookie sets a session: not a deletion,
// not empty.
func cookieLive(c *http.Cookie) bool {
	return !cookieDeleted(c) && c.Value != ""
}
