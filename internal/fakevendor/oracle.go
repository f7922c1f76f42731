package fakevendor

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// NSCRMOD is the namespace of Oracle CRM On Demand's SessionKeepAlive header.
const NSCRMOD = "urn:crmondemand/ws"

// Oracle CRM On Demand error codes in the fake's fault strings (the fake's
// choice, distinct so that profiles match on the code).
const (
	// OracleCodeSession: the JSESSIONID is unknown or expired, and the
	// request has no credentials.
	OracleCodeSession = "SBL-ODU-01006"
	// OracleCodeLogin: the WS-Security credentials are wrong.
	OracleCodeLogin = "SBL-ODU-01007"
)

// OracleConfig configures a fake Oracle CRM On Demand endpoint.
type OracleConfig struct {
	// Users maps user name to password.
	Users map[string]string
	// Path is the endpoint path (default /Services/Integration).
	Path string
	// Idle ends a kept-alive session unused for this long (default 10m).
	Idle  time.Duration
	Clock *Clock
	// OnCall, when set, runs inside every accepted business call.
	OnCall func(op string)
}

// Oracle is a fake Oracle CRM On Demand stateless web service: WS-Security
// UsernameToken (PasswordText) authenticates; SessionKeepAlive=true keeps
// the session and sets a JSESSIONID cookie that later requests send instead
// of credentials; without it the session ends after the request.
//
// Business calls: X_Input (any namespace) is answered with X_Output echoing
// Text, User, Session (short hash) and Seq.
type Oracle struct {
	Stats
	// BothSent counts requests carrying a JSESSIONID cookie and credentials
	// (the client should send one or the other). When the cookie was live
	// the request is also a violation: the server authenticated again and
	// opened a new session, defeating the reuse.
	BothSent atomic.Int64

	cfg   OracleConfig
	clock *Clock
	srv   *httptest.Server

	mu                       sync.Mutex
	sessionTable[*orSession] // by JSESSIONID
}

type orSession struct {
	user     string
	lastUsed time.Time
	seq      int64
}

func (se *orSession) lastUse() time.Time { return se.lastUsed }

// NewOracle starts a fake Oracle CRM On Demand endpoint. Close it when done.
func NewOracle(cfg OracleConfig) *Oracle {
	if cfg.Path == "" {
		cfg.Path = "/Services/Integration"
	}
	if cfg.Idle == 0 {
		cfg.Idle = 10 * time.Minute
	}
	o := &Oracle{cfg: cfg, clock: cfg.Clock.orNew()}
	o.sessionTable = newSessionTable[*orSession](&o.mu, o.clock, cfg.Idle, cfg.Users)
	o.srv = httptest.NewServer(o)
	return o
}

// URL is the endpoint URL.
func (o *Oracle) URL() string { return o.srv.URL + o.cfg.Path }

// Clock returns the clock the fake reads.
func (o *Oracle) Clock() *Clock { return o.clock }

// Close shuts the server down.
func (o *Oracle) Close() { o.srv.Close() }

// Cookies returns the live JSESSIONID values.
func (o *Oracle) Cookies() []string {
	return o.liveNow()
}

// ServeHTTP implements the endpoint.
func (o *Oracle) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != o.cfg.Path {
		http.NotFound(w, r)
		return
	}
	req, ok := readSOAP(w, r, &o.Stats)
	if !ok {
		return
	}
	if !strings.HasSuffix(req.Op.Name.Local, "_Input") {
		o.reject(ReasonUnknownOperation)
		o.fault(w, "soapenv:Client", "no operation "+req.Op.String(), "")
		return
	}
	keepAlive := req.headerElem(NSCRMOD, "SessionKeepAlive").text() == "true"
	ut := req.headerElem(NSWSSE, "Security").child(NSWSSE, "UsernameToken")
	var cookie string
	if c, err := r.Cookie("JSESSIONID"); err == nil {
		cookie = c.Value
	}

	var id string
	var se *orSession
	switch {
	case ut != nil:
		if cookie != "" {
			o.BothSent.Add(1)
			o.mu.Lock()
			_, live := o.sessionTable.live[cookie]
			o.mu.Unlock()
			if live {
				o.Violations.Add(1)
			}
		}
		if id, se = o.login(w, ut, keepAlive); se == nil {
			return
		}
	case cookie != "":
		o.mu.Lock()
		now := o.clock.Now()
		s, reason := o.sessionTable.find(cookie, now)
		if reason == "" {
			s.lastUsed = now
		}
		o.mu.Unlock()
		if reason != "" {
			o.reject(reason)
			o.fault(w, "soapenv:Server", "Invalid session ID or session has expired", OracleCodeSession)
			return
		}
		id, se = cookie, s
	default:
		o.reject(ReasonNoSession)
		o.fault(w, "soapenv:Client", "a request needs a valid JSESSIONID or credentials", OracleCodeSession)
		return
	}

	text := req.Op.child("*", "Text").text()
	if o.cfg.OnCall != nil {
		o.cfg.OnCall(req.Op.Name.Local)
	}
	o.accept(keyOf(req.Op, text))
	o.mu.Lock()
	se.seq++
	seq := se.seq
	o.mu.Unlock()
	if id == "" {
		// No keep-alive: the server logs the session off after the request.
		o.Logouts.Add(1)
	}
	out := strings.TrimSuffix(req.Op.Name.Local, "_Input") + "_Output"
	writeEnvelope(w, http.StatusOK, "", echoBody(req.Op.Name.Space, out, text, se.user, ShortHash(id), seq))
}

// login authenticates a UsernameToken. With keep-alive it opens a session
// and sets its cookie (id != ""); without, the session lives for this
// request only (id == "").
func (o *Oracle) login(w http.ResponseWriter, ut *node, keepAlive bool) (string, *orSession) {
	o.Logins.Add(1)
	user := ut.child(NSWSSE, "Username").text()
	pw := ut.child(NSWSSE, "Password")
	if typ, ok := pw.attr("", "Type"); ok && typ != WSSEPasswordText {
		o.reject(ReasonBadHeader)
		o.fault(w, "soapenv:Client", "only PasswordText UsernameTokens are accepted", OracleCodeLogin)
		return "", nil
	}
	want, known := o.cfg.Users[user]
	if !known || pw.text() == "" || pw.text() != want {
		o.reject(ReasonBadCredentials)
		o.fault(w, "soapenv:Client", "the user name or password is incorrect", OracleCodeLogin)
		return "", nil
	}
	se := &orSession{user: user, lastUsed: o.clock.Now()}
	if !keepAlive {
		return "", se
	}
	id := newToken("")
	o.mu.Lock()
	o.sessionTable.open(id, se)
	o.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: id, Path: "/", HttpOnly: true})
	return id, se
}

func (o *Oracle) fault(w http.ResponseWriter, code, msg, crmCode string) {
	str := msg
	if crmCode != "" {
		str += " (" + crmCode + ")"
	}
	writeFault(w, http.StatusInternalServerError, code, str, "")
}
