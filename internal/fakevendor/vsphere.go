package fakevendor

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// NSVim25 is the vSphere API namespace.
const NSVim25 = "urn:vim25"

// VSphereConfig configures a fake vSphere SDK endpoint.
type VSphereConfig struct {
	Users map[string]string
	// Idle ends a session unused for this long (default 30m).
	Idle  time.Duration
	Clock *Clock
}

// VSphere is a small fake vim25 endpoint at /sdk: RetrieveServiceContent
// needs no session, SessionManager Login sets the vmware_soap_session
// cookie, CurrentTime needs it, Logout ends it, and an expired or unknown
// cookie yields a NotAuthenticated fault.
type VSphere struct {
	Stats

	cfg   VSphereConfig
	clock *Clock
	srv   *httptest.Server

	mu       sync.Mutex
	sessions map[string]*vsSession
	issued   []string
}

type vsSession struct {
	user     string
	lastUsed time.Time
}

// NewVSphere starts a fake vSphere endpoint. Close it when done.
func NewVSphere(cfg VSphereConfig) *VSphere {
	if cfg.Idle == 0 {
		cfg.Idle = 30 * time.Minute
	}
	v := &VSphere{cfg: cfg, clock: cfg.Clock.orNew(), sessions: map[string]*vsSession{}}
	v.srv = httptest.NewServer(v)
	return v
}

// URL is the SDK endpoint.
func (v *VSphere) URL() string { return v.srv.URL + "/sdk" }

// Clock returns the clock the fake reads.
func (v *VSphere) Clock() *Clock { return v.clock }

// Close shuts the server down.
func (v *VSphere) Close() { v.srv.Close() }

// Secrets returns every password and cookie value the fake knows.
func (v *VSphere) Secrets() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return secretList(v.issued, v.cfg.Users)
}

// KillAll ends every session and returns how many there were.
func (v *VSphere) KillAll() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	n := len(v.sessions)
	v.sessions = map[string]*vsSession{}
	return n
}

// ServeHTTP implements the endpoint.
func (v *VSphere) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/sdk" {
		http.NotFound(w, r)
		return
	}
	req, ok := readSOAP(w, r, &v.Stats)
	if !ok {
		return
	}
	if req.Op.Name.Space != NSVim25 {
		v.reject(ReasonUnknownOperation)
		v.fault(w, "no operation "+req.Op.String(), "InvalidRequest")
		return
	}
	switch req.Op.Name.Local {
	case "Login":
		v.login(w, req)
		return
	case "RetrieveServiceContent":
		// Clients call it before logging in, to find the SessionManager.
		writeEnvelope(w, http.StatusOK, "", `<RetrieveServiceContentResponse xmlns="urn:vim25"><returnval>`+
			`<rootFolder type="Folder">group-d1</rootFolder><propertyCollector type="PropertyCollector">propertyCollector</propertyCollector>`+
			`<about><name>Fake vCenter Server</name><fullName>Fake vCenter Server 8.0.2</fullName><vendor>fakevendor</vendor>`+
			`<version>8.0.2</version><build>0</build><apiType>VirtualCenter</apiType><apiVersion>8.0.2.0</apiVersion></about>`+
			`<sessionManager type="SessionManager">SessionManager</sessionManager></returnval></RetrieveServiceContentResponse>`)
		return
	}
	var cookie string
	if c, err := r.Cookie("vmware_soap_session"); err == nil {
		cookie = c.Value
	}
	v.mu.Lock()
	now := v.clock.Now()
	se, live := v.sessions[cookie]
	reason := ReasonNoSession
	if cookie != "" {
		reason = ReasonUnknownSession
	}
	if live && now.Sub(se.lastUsed) > v.cfg.Idle {
		delete(v.sessions, cookie)
		live, reason = false, ReasonExpired
	}
	if live {
		se.lastUsed = now
	}
	v.mu.Unlock()
	if !live {
		v.reject(reason)
		v.fault(w, "The session is not authenticated.", "NotAuthenticated")
		return
	}
	switch req.Op.Name.Local {
	case "Logout":
		v.mu.Lock()
		delete(v.sessions, cookie)
		v.mu.Unlock()
		v.Logouts.Add(1)
		writeEnvelope(w, http.StatusOK, "", `<LogoutResponse xmlns="urn:vim25"/>`)
	case "CurrentTime":
		v.accept("")
		writeEnvelope(w, http.StatusOK, "", `<CurrentTimeResponse xmlns="urn:vim25"><returnval>`+now.Format(time.RFC3339Nano)+`</returnval></CurrentTimeResponse>`)
	default:
		v.reject(ReasonUnknownOperation)
		v.fault(w, "operation "+req.Op.Name.Local+" is not served by this fake", "InvalidRequest")
	}
}

func (v *VSphere) login(w http.ResponseWriter, req *soapRequest) {
	v.Logins.Add(1)
	user := req.Op.child(NSVim25, "userName").text()
	pass := req.Op.child(NSVim25, "password").text()
	if this := req.Op.child(NSVim25, "_this"); this.text() == "" {
		v.reject(ReasonBadEnvelope)
		v.fault(w, "Login needs _this (the SessionManager reference)", "InvalidRequest")
		return
	}
	want, known := v.cfg.Users[user]
	if !known || pass == "" || pass != want {
		v.reject(ReasonBadCredentials)
		v.fault(w, "Cannot complete login due to an incorrect user name or password.", "InvalidLogin")
		return
	}
	id := newToken("")
	now := v.clock.Now()
	v.mu.Lock()
	v.sessions[id] = &vsSession{user: user, lastUsed: now}
	v.issued = append(v.issued, id)
	v.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: "vmware_soap_session", Value: id, Path: "/", HttpOnly: true})
	writeEnvelope(w, http.StatusOK, "", `<LoginResponse xmlns="urn:vim25"><returnval><key>`+ShortHash(id)+
		`</key><userName>`+esc(user)+`</userName><fullName>`+esc(user)+`</fullName><loginTime>`+now.Format(time.RFC3339)+
		`</loginTime><lastActiveTime>`+now.Format(time.RFC3339)+`</lastActiveTime><locale>en</locale><messageLocale>en</messageLocale></returnval></LoginResponse>`)
}

// fault answers like vim25: faultcode ServerFaultCode, the fault type in a
// typed detail element.
func (v *VSphere) fault(w http.ResponseWriter, msg, typ string) {
	inner := ""
	if typ == "NotAuthenticated" {
		inner = `<object type="Folder">group-d1</object><privilegeId>System.View</privilegeId>`
	}
	writeFault(w, http.StatusInternalServerError, "ServerFaultCode", msg,
		`<`+typ+`Fault xmlns="urn:vim25" xsi:type="`+typ+`">`+inner+`</`+typ+`Fault>`)
}
