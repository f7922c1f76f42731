package fakevendor

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Cookie server paths.
const (
	// CookieStatelessPath serves calls that any session of the identity may
	// serve; a dead cookie with credentials simply opens a new session.
	CookieStatelessPath = "/http/service"
	// CookieStatefulPath serves calls that build server-side state (an
	// exchange): a request whose cookie names a dead session fails with a
	// "state lost" fault even if it carries credentials, because silently
	// starting over would lose the state.
	CookieStatefulPath = "/http/stateful"
)

// CookieCodeStateLost is in the fault string of a stateful call whose
// session ended (the fake's choice of code).
const CookieCodeStateLost = "SESSION_STATE_LOST"

// CookieConfig configures a fake SAP-style cookie session server.
type CookieConfig struct {
	// Users maps Basic-auth user name to password.
	Users map[string]string
	// OAuth, when set, validates Bearer tokens (identity: the client id).
	OAuth *OAuth2
	// Idle ends a session unused for this long (default 30m).
	Idle time.Duration
	// CookieName (default JSESSIONID), CookiePath (default /) and
	// CookieDomain (default none: host-only) shape the session cookie.
	CookieName   string
	CookiePath   string
	CookieDomain string
	Clock        *Clock
	// OnCall, when set, runs inside every accepted business call.
	OnCall func(op string)
	// ResponseNames maps a request element's local name to its response's
	// (SalesOrderByIDQuery_sync → SalesOrderByIDResponse_sync); unlisted
	// requests X are answered with XResponse.
	ResponseNames map[string]string
}

// Cookie is a fake HTTP-session server in the manner of SAP Cloud
// Integration receivers: the first call authenticated by HTTP Basic or an
// OAuth2 bearer token opens a session and sets a cookie; later calls send
// the cookie and skip authentication. A session belongs to the identity
// that opened it.
//
// Business calls: any body element X is answered with XResponse (or the
// name CookieConfig.ResponseNames gives) in its namespace, echoing Text, User, Session (short hash) and Seq. Requests may
// be SOAP 1.1 or SOAP 1.2 (application/soap+xml); each is answered in its
// own version.
type Cookie struct {
	Stats
	// AuthWithCookie counts requests that sent a live cookie and the
	// credentials of the same identity (allowed, but the auth was wasted).
	AuthWithCookie atomic.Int64

	cfg   CookieConfig
	clock *Clock
	srv   *httptest.Server

	mu                       sync.Mutex
	sessionTable[*ckSession] // by cookie value
}

type ckSession struct {
	identity string
	lastUsed time.Time
	seq      int64
}

func (se *ckSession) lastUse() time.Time { return se.lastUsed }

// NewCookie starts a fake cookie-session server. Close it when done.
func NewCookie(cfg CookieConfig) *Cookie {
	if cfg.Idle == 0 {
		cfg.Idle = 30 * time.Minute
	}
	if cfg.CookieName == "" {
		cfg.CookieName = "JSESSIONID"
	}
	if cfg.CookiePath == "" {
		cfg.CookiePath = "/"
	}
	c := &Cookie{cfg: cfg, clock: cfg.Clock.orNew()}
	c.sessionTable = newSessionTable[*ckSession](&c.mu, c.clock, cfg.Idle, cfg.Users)
	c.srv = httptest.NewServer(c)
	return c
}

// URL is the stateless endpoint; StatefulURL the stateful one.
func (c *Cookie) URL() string         { return c.srv.URL + CookieStatelessPath }
func (c *Cookie) StatefulURL() string { return c.srv.URL + CookieStatefulPath }

// Clock returns the clock the fake reads.
func (c *Cookie) Clock() *Clock { return c.clock }

// Close shuts the server down.
func (c *Cookie) Close() { c.srv.Close() }

// Cookies returns the live session cookie values.
func (c *Cookie) Cookies() []string {
	return c.liveNow()
}

// KillAll ends every live session and returns how many there were. Unlike
// the table's KillAll it leaves sessions already idle past the timeout, so
// their next use is still rejected as expired, not as killed.
func (c *Cookie) KillAll() int {
	n := 0
	for _, id := range c.Cookies() {
		if c.KillSession(id) {
			n++
		}
	}
	return n
}

// identity authenticates the request's Authorization header: "" with
// ok=true when there is none, ok=false when it is wrong (then it has
// answered 401).
func (c *Cookie) identity(w http.ResponseWriter, r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", true
	}
	if user, pass, ok := r.BasicAuth(); ok {
		if want, known := c.cfg.Users[user]; known && pass != "" && pass == want {
			return "basic:" + user, true
		}
		c.reject(ReasonBadCredentials)
		c.unauthorized(w, "wrong user name or password")
		return "", false
	}
	if tok, ok := strings.CutPrefix(h, "Bearer "); ok && c.cfg.OAuth != nil {
		if client, ok := c.cfg.OAuth.Validate(tok); ok {
			return "oauth:" + client, true
		}
		c.reject(ReasonBadToken)
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		http.Error(w, "invalid or expired bearer token", http.StatusUnauthorized)
		return "", false
	}
	c.reject(ReasonBadCredentials)
	c.unauthorized(w, "unsupported Authorization scheme")
	return "", false
}

func (c *Cookie) unauthorized(w http.ResponseWriter, msg string) {
	w.Header().Set("WWW-Authenticate", `Basic realm="fake-sap"`)
	http.Error(w, msg, http.StatusUnauthorized)
}

// ServeHTTP implements both endpoints.
func (c *Cookie) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	stateful := r.URL.Path == CookieStatefulPath
	if !stateful && r.URL.Path != CookieStatelessPath {
		http.NotFound(w, r)
		return
	}
	req, ok := readSOAPAny(w, r, &c.Stats)
	if !ok {
		return
	}
	ident, ok := c.identity(w, r)
	if !ok {
		return
	}
	var cookie string
	if ck, err := r.Cookie(c.cfg.CookieName); err == nil {
		cookie = ck.Value
	}

	c.mu.Lock()
	now := c.clock.Now()
	se, deadReason := c.sessionTable.find(cookie, now)
	live := deadReason == ""
	if cookie == "" {
		// No cookie is no dead session: the reason is decided below.
		deadReason = ""
	}
	switch {
	case live && ident != "" && ident != se.identity:
		c.mu.Unlock()
		c.Violations.Add(1)
		c.reject(ReasonOtherUser)
		http.Error(w, "the session belongs to another identity", http.StatusForbidden)
		return
	case live:
		if ident != "" {
			c.AuthWithCookie.Add(1)
		}
	case stateful && cookie != "":
		c.mu.Unlock()
		c.reject(ReasonStateLost)
		req.fault(w, true, "the session of this exchange ended ("+deadReason+"); its state is lost ("+CookieCodeStateLost+")")
		return
	case ident == "":
		c.mu.Unlock()
		if deadReason == "" {
			deadReason = ReasonNoSession
		}
		c.reject(deadReason)
		c.unauthorized(w, "authentication required")
		return
	default:
		c.Logins.Add(1)
		cookie = newToken("")
		se = &ckSession{identity: ident}
		c.sessionTable.open(cookie, se)
		http.SetCookie(w, &http.Cookie{Name: c.cfg.CookieName, Value: cookie, Path: c.cfg.CookiePath, Domain: c.cfg.CookieDomain, HttpOnly: true})
	}
	se.lastUsed = now
	c.mu.Unlock()

	text := req.Op.child("*", "Text").text()
	if c.cfg.OnCall != nil {
		c.cfg.OnCall(req.Op.Name.Local)
	}
	c.accept(keyOf(req.Op, text))
	c.mu.Lock()
	se.seq++
	seq := se.seq
	c.mu.Unlock()
	user := se.identity[strings.IndexByte(se.identity, ':')+1:]
	resp := req.Op.Name.Local + "Response"
	if n, ok := c.cfg.ResponseNames[req.Op.Name.Local]; ok {
		resp = n
	}
	req.reply(w, http.StatusOK, "", echoBody(req.Op.Name.Space, resp, text, user, ShortHash(cookie), seq))
}
