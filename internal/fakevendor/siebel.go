package fakevendor

import (
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// NSSiebel is the namespace of Siebel's session management headers.
const NSSiebel = "http://siebel.com/webservices"

// Siebel session types, as sent in the SessionType header.
const (
	SiebelNone            = "None"
	SiebelStateless       = "Stateless"
	SiebelStateful        = "Stateful"
	SiebelServerDetermine = "ServerDetermine"
)

// The fault strings real Siebel answers with when a session or a login
// fails. Every one of them may also carry the generic "Error Code:
// 10944642", which Siebel puts on wrong passwords too, so a profile tells
// them apart by the message and by which request they answer.
const (
	// SiebelTokenInvalid answers a token that is unknown, superseded by
	// rotation, revoked, idle past SessionTokenTimeout or older than
	// SessionTokenMaxAge (quoted in Oracle support document 757915.1).
	SiebelTokenInvalid = "Error Code: 10944642 Error Message: Error: Inbound SOAP Message - Session Token is missing or invalid or has expired"
	// SiebelTokenEnded answers a token tied to a server task that has
	// finished: here, a Stateful session whose server side was closed
	// (Siebel CRM Integration Platform Technologies: Siebel EAI, "No
	// Session Preference in EAI-SOAP").
	SiebelTokenEnded = "Token might have been expired or logged out by the user. (SBL-UIF-00880)"
	// SiebelLoginIncorrect answers a wrong user name or password.
	SiebelLoginIncorrect = "Error Code: 10944642 Error Message: Error: The user ID or password that you entered is incorrect"
)

// What the built-in profiles' gone rules match in those fault strings.
const (
	SiebelGoneInvalid = "Session Token is missing or invalid or has expired"
	SiebelGoneEnded   = "SBL-UIF-00880"
)

// Siebel error codes of the faults the fake adds beyond the session and
// login ones above; they are the fake's choices, not quoted from Siebel.
const (
	// SiebelCodeNoSessions: the server's session limit is reached.
	SiebelCodeNoSessions = "SBL-SMI-00126"
	// SiebelCodeProtocol: the request breaks the session header protocol
	// (credentials in the URL, WSSOAP missing, WS-Security mixed in,
	// credentials sent with a token, SessionType mismatch).
	SiebelCodeProtocol = "SBL-EAI-04000"
)

// siebelGenericCode is the error code Siebel gives most inbound SOAP
// errors, the session and login ones included.
const siebelGenericCode = "10944642"

// SiebelConfig configures a fake Siebel EAI web service endpoint.
type SiebelConfig struct {
	// Users maps user name to password.
	Users map[string]string
	// Path is the endpoint path (default /eai_enu/start.swe).
	Path string
	// SessionTimeout ends a session idle this long (default 15m).
	SessionTimeout time.Duration
	// TokenTimeout rejects a token idle this long; each use refreshes it
	// (SessionTokenTimeout, default 15m).
	TokenTimeout time.Duration
	// TokenMaxAge rejects a token this long after the login that began its
	// rotation chain, however it is used (SessionTokenMaxAge, default 48h).
	// Rotation does not reset it: a client must log in again before it.
	TokenMaxAge time.Duration
	// TaskAffinity ties a token to the server task that served it, Siebel's
	// default ("No Session Preference in EAI-SOAP" off): once a stateless
	// session's task has ended, its token is rejected with SiebelTokenEnded
	// instead of the session being re-opened transparently.
	TaskAffinity bool
	// MaxSessions bounds the live server sessions (0: unlimited).
	MaxSessions int
	Clock       *Clock
	// OnCall, when set, runs inside every accepted business call while its
	// token is held, so tests can hold calls in flight.
	OnCall func(op string)
}

// Siebel is a fake Siebel EAI endpoint with session management headers:
// SessionType None / Stateless / Stateful / ServerDetermine, a token that
// rotates on every response (only the newest is accepted), the three
// timeouts, transparent server relogin for stateless sessions, lost state for
// stateful ones, and a session limit.
//
// Business calls: any body element named X_Input (any namespace) is answered
// with X_Output in the same namespace, echoing its Text child with User,
// Session (a short hash) and Seq (the call's number in its server session).
type Siebel struct {
	Stats
	// ServerRelogins counts stateless sessions the server re-opened
	// transparently after their server side closed.
	ServerRelogins atomic.Int64

	cfg   SiebelConfig
	clock *Clock
	srv   *httptest.Server

	mu       sync.Mutex
	chains   map[string]*sbChain // by current token
	stale    map[string]bool     // rotated-away tokens
	sessions map[*sbSession]bool // open server sessions
	perCall  int                 // SessionType=None sessions in flight
	issued   []string
}

// sbSession is a server-side session (an object manager task).
type sbSession struct {
	user     string
	typ      string
	lastUsed time.Time
	seq      int64
	closed   bool
}

// sbChain is a rotating token: the current value and the session it leads
// to. Rotation replaces the value, keeps the chain.
type sbChain struct {
	token    string
	user     string
	typ      string
	session  *sbSession
	loginAt  time.Time // start of SessionTokenMaxAge
	lastUse  time.Time // start of SessionTokenTimeout
	inUse    bool
	revoked  bool
	sessHash string
}

// NewSiebel starts a fake Siebel endpoint. Close it when done.
func NewSiebel(cfg SiebelConfig) *Siebel {
	if cfg.Path == "" {
		cfg.Path = "/eai_enu/start.swe"
	}
	if cfg.SessionTimeout == 0 {
		cfg.SessionTimeout = 15 * time.Minute
	}
	if cfg.TokenTimeout == 0 {
		cfg.TokenTimeout = 15 * time.Minute
	}
	if cfg.TokenMaxAge == 0 {
		cfg.TokenMaxAge = 48 * time.Hour
	}
	s := &Siebel{
		cfg:      cfg,
		clock:    cfg.Clock.orNew(),
		chains:   map[string]*sbChain{},
		stale:    map[string]bool{},
		sessions: map[*sbSession]bool{},
	}
	s.srv = httptest.NewServer(s)
	return s
}

// URL is the endpoint URL with WSSOAP=1 and no credentials in the query.
func (s *Siebel) URL() string {
	return s.srv.URL + s.cfg.Path + "?SWEExtSource=WebService&SWEExtCmd=Execute&WSSOAP=1"
}

// Clock returns the clock the fake reads.
func (s *Siebel) Clock() *Clock { return s.clock }

// Close shuts the server down.
func (s *Siebel) Close() { s.srv.Close() }

// Tokens returns the current (newest) token of every live chain.
func (s *Siebel) Tokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for t, c := range s.chains {
		if !c.revoked {
			out = append(out, t)
		}
	}
	return out
}

// LiveSessions returns the number of open server sessions (idle-expired
// ones excluded).
func (s *Siebel) LiveSessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.liveLocked(s.clock.Now())
}

// Secrets returns every password and token the fake knows.
func (s *Siebel) Secrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return secretList(s.issued, s.cfg.Users)
}

// KillSession closes the server session behind token (its current value):
// a stateless token stays valid and the server re-logs in (unless
// TaskAffinity); a stateful one has lost its state. It reports whether
// there was such a session.
func (s *Siebel) KillSession(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chains[token]
	if !ok || c.session.closed {
		return false
	}
	s.closeLocked(c.session)
	return true
}

// RevokeToken invalidates token's chain: its next use is rejected and the
// client must log in again.
func (s *Siebel) RevokeToken(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chains[token]
	if !ok || c.revoked {
		return false
	}
	c.revoked = true
	return true
}

// KillAll closes every server session and returns how many were open.
func (s *Siebel) KillAll() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for se := range s.sessions {
		s.closeLocked(se)
		n++
	}
	return n
}

// KillRandom closes the server session of one live token picked with r.
func (s *Siebel) KillRandom(r *mrand.Rand) bool {
	t, ok := pickRandom(s.Tokens(), r)
	return ok && s.KillSession(t)
}

// RevokeRandom revokes one live token picked with r.
func (s *Siebel) RevokeRandom(r *mrand.Rand) bool {
	t, ok := pickRandom(s.Tokens(), r)
	return ok && s.RevokeToken(t)
}

func (s *Siebel) closeLocked(se *sbSession) {
	se.closed = true
	delete(s.sessions, se)
}

func (s *Siebel) liveLocked(now time.Time) int {
	n := s.perCall
	for se := range s.sessions {
		if now.Sub(se.lastUsed) > s.cfg.SessionTimeout {
			s.closeLocked(se)
			continue
		}
		n++
	}
	return n
}

// ServeHTTP implements the endpoint.
func (s *Siebel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != s.cfg.Path {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	if q.Has("UserName") || q.Has("Password") {
		s.reject(ReasonQueryCredentials)
		s.fault(w, SiebelCodeProtocol, "with session management, remove UserName and Password from the URL and send them as SOAP headers")
		return
	}
	if q.Get("WSSOAP") != "1" {
		s.reject(ReasonNoWSSOAP)
		s.fault(w, SiebelCodeProtocol, "session management headers need WSSOAP=1 in the URL")
		return
	}
	req, ok := readSOAP(w, r, &s.Stats)
	if !ok {
		return
	}
	if req.headerElem(NSWSSE, "Security") != nil {
		s.reject(ReasonMixedWSSecurity)
		s.fault(w, SiebelCodeProtocol, "the Siebel session header cannot be combined with WS-Security")
		return
	}
	if !strings.HasSuffix(req.Op.Name.Local, "_Input") {
		s.reject(ReasonUnknownOperation)
		s.fault(w, SiebelCodeProtocol, "no business service method "+req.Op.String())
		return
	}
	typ := req.headerElem(NSSiebel, "SessionType").text()
	if typ == "" {
		typ = SiebelNone
	}
	switch typ {
	case SiebelNone, SiebelStateless, SiebelStateful, SiebelServerDetermine:
	default:
		s.reject(ReasonBadHeader)
		s.fault(w, SiebelCodeProtocol, "unknown SessionType "+typ)
		return
	}
	user := req.headerElem(NSSiebel, "UsernameToken").text()
	pass := req.headerElem(NSSiebel, "PasswordText").text()
	tok := req.headerElem(NSSiebel, "SessionToken").text()
	hasCreds := user != "" || pass != ""

	if typ == SiebelNone {
		if tok != "" {
			s.Violations.Add(1)
			s.reject(ReasonTypeMismatch)
			s.fault(w, SiebelCodeProtocol, "a SessionToken was sent with SessionType None")
			return
		}
		s.perCallRequest(w, req, user, pass)
		return
	}
	if tok != "" && hasCreds {
		s.Violations.Add(1)
		s.reject(ReasonCredentialsAndToken)
		s.fault(w, SiebelCodeProtocol, "send UsernameToken and PasswordText only to open a session, not with a SessionToken")
		return
	}
	var c *sbChain
	if tok == "" {
		if !hasCreds {
			s.reject(ReasonNoSession)
			s.faultText(w, siebelGenericCode, SiebelTokenInvalid)
			return
		}
		if c = s.open(w, typ, user, pass); c == nil {
			return
		}
	} else if c = s.take(w, typ, tok); c == nil {
		return
	}
	s.serve(w, req, c)
}

// open logs in and opens a session with a new chain, holding its token.
func (s *Siebel) open(w http.ResponseWriter, typ, user, pass string) *sbChain {
	s.Logins.Add(1)
	if !s.checkLogin(w, user, pass) {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	if s.cfg.MaxSessions > 0 && s.liveLocked(now) >= s.cfg.MaxSessions {
		s.reject(ReasonTooManySessions)
		s.fault(w, SiebelCodeNoSessions, "no more sessions are available on the EAI Object Manager")
		return nil
	}
	se := &sbSession{user: user, typ: typ, lastUsed: now}
	s.sessions[se] = true
	c := &sbChain{user: user, typ: typ, session: se, loginAt: now, lastUse: now, inUse: true}
	c.token = newToken("")
	c.sessHash = ShortHash(c.token)
	s.issued = append(s.issued, c.token)
	s.chains[c.token] = c
	return c
}

// take validates tok and holds its chain, re-opening a closed stateless
// session; nil means it answered with a fault.
func (s *Siebel) take(w http.ResponseWriter, typ, tok string) *sbChain {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	c, ok := s.chains[tok]
	switch {
	case !ok && s.stale[tok]:
		s.Stale.Add(1)
		return s.tokenFault(w, ReasonStaleToken)
	case !ok:
		return s.tokenFault(w, ReasonUnknownSession)
	case c.revoked:
		return s.tokenFault(w, ReasonKilled)
	case now.Sub(c.lastUse) > s.cfg.TokenTimeout:
		return s.tokenFault(w, ReasonTokenTimeout)
	case now.Sub(c.loginAt) > s.cfg.TokenMaxAge:
		return s.tokenFault(w, ReasonTokenMaxAge)
	case typ != c.typ:
		s.Violations.Add(1)
		s.reject(ReasonTypeMismatch)
		s.fault(w, SiebelCodeProtocol, "SessionType "+typ+" differs from "+c.typ+", the type that opened the session")
		return nil
	case c.inUse:
		// Two requests with one token: they race for the next one.
		s.Violations.Add(1)
		return s.tokenFault(w, ReasonConcurrentToken)
	}
	se := c.session
	if se.closed || now.Sub(se.lastUsed) > s.cfg.SessionTimeout {
		s.closeLocked(se)
		if c.typ == SiebelStateful || s.cfg.TaskAffinity {
			delete(s.chains, tok)
			s.reject(ReasonStateLost)
			s.faultText(w, SiebelGoneEnded, SiebelTokenEnded)
			return nil
		}
		if s.cfg.MaxSessions > 0 && s.liveLocked(now) >= s.cfg.MaxSessions {
			s.reject(ReasonTooManySessions)
			s.fault(w, SiebelCodeNoSessions, "no more sessions are available on the EAI Object Manager")
			return nil
		}
		// Stateless: the token still vouches for the user; log in again.
		s.ServerRelogins.Add(1)
		c.session = &sbSession{user: c.user, typ: c.typ, lastUsed: now}
		s.sessions[c.session] = true
	}
	c.inUse = true
	return c
}

// tokenFault rejects a token as Siebel does, with one text whatever the
// reason (which the fake records for tests).
func (s *Siebel) tokenFault(w http.ResponseWriter, reason string) *sbChain {
	s.reject(reason)
	s.faultText(w, siebelGenericCode, SiebelTokenInvalid)
	return nil
}

// serve runs the business call on the held chain, rotates its token and
// answers with the new one.
func (s *Siebel) serve(w http.ResponseWriter, req *soapRequest, c *sbChain) {
	text := req.Op.child("*", "Text").text()
	if s.cfg.OnCall != nil {
		s.cfg.OnCall(req.Op.Name.Local)
	}
	s.accept(keyOf(req.Op, text))
	s.mu.Lock()
	now := s.clock.Now()
	c.session.seq++
	seq := c.session.seq
	c.session.lastUsed = now
	delete(s.chains, c.token)
	s.stale[c.token] = true
	c.token = newToken("")
	s.issued = append(s.issued, c.token)
	s.chains[c.token] = c
	c.lastUse = now
	c.inUse = false
	next, hash, user := c.token, c.sessHash, c.user
	s.mu.Unlock()
	out := strings.TrimSuffix(req.Op.Name.Local, "_Input") + "_Output"
	writeEnvelope(w, http.StatusOK,
		`<siebel-header:SessionToken xmlns:siebel-header="`+NSSiebel+`">`+esc(next)+`</siebel-header:SessionToken>`,
		echoBody(req.Op.Name.Space, out, text, user, hash, seq))
}

// perCallRequest serves SessionType None: log in, serve, log out.
func (s *Siebel) perCallRequest(w http.ResponseWriter, req *soapRequest, user, pass string) {
	if user == "" && pass == "" {
		s.reject(ReasonNoSession)
		s.faultText(w, siebelGenericCode, SiebelLoginIncorrect)
		return
	}
	s.Logins.Add(1)
	if !s.checkLogin(w, user, pass) {
		return
	}
	s.mu.Lock()
	if s.cfg.MaxSessions > 0 && s.liveLocked(s.clock.Now()) >= s.cfg.MaxSessions {
		s.mu.Unlock()
		s.reject(ReasonTooManySessions)
		s.fault(w, SiebelCodeNoSessions, "no more sessions are available on the EAI Object Manager")
		return
	}
	s.perCall++
	s.mu.Unlock()
	text := req.Op.child("*", "Text").text()
	if s.cfg.OnCall != nil {
		s.cfg.OnCall(req.Op.Name.Local)
	}
	s.accept(keyOf(req.Op, text))
	s.mu.Lock()
	s.perCall--
	s.mu.Unlock()
	s.Logouts.Add(1)
	out := strings.TrimSuffix(req.Op.Name.Local, "_Input") + "_Output"
	writeEnvelope(w, http.StatusOK, "", echoBody(req.Op.Name.Space, out, text, user, "", 1))
}

func (s *Siebel) checkLogin(w http.ResponseWriter, user, pass string) bool {
	want, ok := s.cfg.Users[user]
	if !ok || pass == "" || pass != want {
		s.reject(ReasonBadCredentials)
		s.faultText(w, siebelGenericCode, SiebelLoginIncorrect)
		return false
	}
	return true
}

// fault answers one of the fake's own errors the way Siebel words its
// inbound SOAP errors: the generic code, the message, the specific code.
func (s *Siebel) fault(w http.ResponseWriter, code, msg string) {
	s.faultText(w, code, "Error Code: "+siebelGenericCode+" Error Message: Error: "+msg+"("+code+")")
}

// faultText answers like Siebel: str as the fault string, and code with
// str in a siebdetail error stack.
func (s *Siebel) faultText(w http.ResponseWriter, code, str string) {
	writeFaultNS(w, http.StatusInternalServerError, "", "soapenv:Server", str,
		`<siebelf:siebdetail xmlns:siebelf="http://www.siebel.com/ws/fault"><siebelf:logfilename>EAIObjMgr_enu_0001.log</siebelf:logfilename>`+
			`<siebelf:errorstack><siebelf:error><siebelf:errorcode>`+esc(code)+`</siebelf:errorcode><siebelf:errormsg>`+esc(str)+
			`</siebelf:errormsg></siebelf:error></siebelf:errorstack></siebelf:siebdetail>`)
}

// keyOf identifies a business payload for duplicate detection.
func keyOf(op *node, text string) string {
	if text == "" {
		// A request without the echo's Text child (a generated client's
		// own request type): its whole content is the payload.
		text = op.content()
	}
	if text == "" {
		return ""
	}
	return op.Name.Local + ":" + text
}
