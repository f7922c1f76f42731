package fakevendor

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Salesforce namespaces (Partner WSDL by default).
const (
	NSSalesforcePartner    = "urn:partner.soap.sforce.com"
	NSSalesforceEnterprise = "urn:enterprise.soap.sforce.com"
)

// SalesforceMaxInvalidate is the number of ids one invalidateSessions call
// accepts.
const SalesforceMaxInvalidate = 200

// SalesforceConfig configures a fake Salesforce org.
type SalesforceConfig struct {
	// Users maps user name to password.
	Users map[string]string
	// Namespace is the API namespace (default NSSalesforcePartner); the
	// fault namespace is derived from it (urn:fault.partner.soap.sforce.com).
	Namespace string
	// LoginPath is the login URL's path (default /services/Soap/u/60.0);
	// serverUrl is LoginPath + "/" + OrgID.
	LoginPath string
	OrgID     string
	// Idle ends a session unused for this long (default 2h).
	Idle time.Duration
	// Clock drives expiry (default: a fresh Clock at Epoch).
	Clock *Clock
	// OnCall, when set, runs inside every accepted business call before it
	// is answered, so tests can hold calls in flight.
	OnCall func(op string)
	// OnRequest, when set, runs for every business call before its session
	// is checked, with the operation and its payload (the query string of a
	// query), so tests can hold a request that carries a soon-to-die
	// session and release it later.
	OnRequest func(op, payload string)
	// OnLogin, when set, runs inside every login request (good or bad
	// credentials) before it is answered, so tests can hold a login in
	// flight.
	OnLogin func(user string)
}

// Salesforce is a fake Salesforce SOAP API: login at the login URL returns
// sessionId and serverUrl; every other call is accepted only at serverUrl
// with a live SessionHeader; same-user logins share the live session;
// logout ends the session for everyone; invalidateSessions ends up to 200.
type Salesforce struct {
	Stats
	// Invalidated counts sessions ended by invalidateSessions; InvalidateCalls
	// the invalidateSessions requests accepted.
	Invalidated     atomic.Int64
	InvalidateCalls atomic.Int64

	cfg   SalesforceConfig
	clock *Clock
	srv   *httptest.Server

	mu                       sync.Mutex
	sessionTable[*sfSession]                   // by session id
	byUser                   map[string]string // user -> live session id
}

type sfSession struct {
	id, user string
	lastUsed time.Time
}

func (se *sfSession) lastUse() time.Time { return se.lastUsed }

// NewSalesforce starts a fake Salesforce on an httptest server. Close it
// when done.
func NewSalesforce(cfg SalesforceConfig) *Salesforce {
	if cfg.Namespace == "" {
		cfg.Namespace = NSSalesforcePartner
	}
	if cfg.LoginPath == "" {
		cfg.LoginPath = "/services/Soap/u/60.0"
	}
	if cfg.OrgID == "" {
		cfg.OrgID = "00Dxx0000001gEH"
	}
	if cfg.Idle == 0 {
		cfg.Idle = 2 * time.Hour
	}
	s := &Salesforce{
		cfg:    cfg,
		clock:  cfg.Clock.orNew(),
		byUser: map[string]string{},
	}
	s.sessionTable = newSessionTable[*sfSession](&s.mu, s.clock, cfg.Idle, cfg.Users)
	s.sessionTable.onEnd = func(id string, se *sfSession) {
		if s.byUser[se.user] == id {
			delete(s.byUser, se.user)
		}
	}
	s.srv = httptest.NewServer(s)
	return s
}

// URL is the login URL (what the WSDL's soap:address points at).
func (s *Salesforce) URL() string { return s.srv.URL + s.cfg.LoginPath }

// ServerURL is the serverUrl login returns.
func (s *Salesforce) ServerURL() string { return s.srv.URL + s.serverPath() }

// Clock returns the clock the fake reads.
func (s *Salesforce) Clock() *Clock { return s.clock }

// Close shuts the server down.
func (s *Salesforce) Close() { s.srv.Close() }

func (s *Salesforce) serverPath() string { return s.cfg.LoginPath + "/" + s.cfg.OrgID }

func (s *Salesforce) faultNS() string {
	return strings.Replace(s.cfg.Namespace, "urn:", "urn:fault.", 1)
}

func (s *Salesforce) objectNS() string {
	return strings.Replace(s.cfg.Namespace, "urn:", "urn:sobject.", 1)
}

// SessionIDs returns the live session ids.
func (s *Salesforce) SessionIDs() []string {
	return s.liveNow()
}

// ServeHTTP implements the fake's endpoints.
func (s *Salesforce) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if a, ok := s.apiAt(r.URL.Path); ok {
		s.serveAPI(w, r, a)
		return
	}
	atLogin := r.URL.Path == s.cfg.LoginPath
	if !atLogin && r.URL.Path != s.serverPath() {
		http.NotFound(w, r)
		return
	}
	req, ok := readSOAP(w, r, &s.Stats)
	if !ok {
		return
	}
	ns := s.cfg.Namespace
	if req.Op.Name.Space != ns {
		s.reject(ReasonUnknownOperation)
		s.fault(w, "UNKNOWN_EXCEPTION", "no operation "+req.Op.String()+"; operations are in namespace "+ns)
		return
	}
	if req.Op.Name.Local == "login" {
		s.login(w, req)
		return
	}
	if atLogin {
		s.reject(ReasonWrongEndpoint)
		s.fault(w, "INVALID_OPERATION", "call "+req.Op.Name.Local+" at the serverUrl returned by login, not at the login URL")
		return
	}
	if s.cfg.OnRequest != nil {
		s.cfg.OnRequest(req.Op.Name.Local, req.Op.child(ns, "queryString").text())
	}
	se, reason := s.session(req)
	if se == nil {
		s.reject(reason)
		s.fault(w, "INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader: Illegal Session ("+reason+")")
		return
	}
	switch req.Op.Name.Local {
	case "logout":
		s.mu.Lock()
		s.sessionTable.end(se.id, ReasonKilled)
		s.mu.Unlock()
		s.Logouts.Add(1)
		writeEnvelope(w, http.StatusOK, "", `<logoutResponse xmlns="`+ns+`"/>`)
	case "invalidateSessions":
		s.invalidate(w, req)
	case "query":
		q := req.Op.child(ns, "queryString").text()
		s.call(req.Op.Name.Local, q)
		limit := `<LimitInfoHeader xmlns="` + ns + `"><limitInfo><current>` + itoa(s.Calls.Load()) +
			`</current><limit>15000</limit><type>API REQUESTS</type></limitInfo></LimitInfoHeader>`
		writeEnvelope(w, http.StatusOK, limit, `<queryResponse xmlns="`+ns+`" xmlns:sf="`+s.objectNS()+`"><result xsi:type="QueryResult">`+
			`<done>true</done><queryLocator xsi:nil="true"/>`+
			`<records xsi:type="sf:sObject"><sf:type>Account</sf:type><sf:Id>001xx000003DGb0AAG</sf:Id><sf:Name>`+esc(q)+`</sf:Name></records>`+
			`<size>1</size></result></queryResponse>`)
	case "getUserInfo":
		s.call(req.Op.Name.Local, "")
		writeEnvelope(w, http.StatusOK, "", `<getUserInfoResponse xmlns="`+ns+`"><result>`+s.userInfo(se.user)+`</result></getUserInfoResponse>`)
	default:
		s.reject(ReasonUnknownOperation)
		s.fault(w, "UNKNOWN_EXCEPTION", "operation "+req.Op.Name.Local+" is not served by this fake")
	}
}

func (s *Salesforce) call(op, key string) {
	if s.cfg.OnCall != nil {
		s.cfg.OnCall(op)
	}
	if key != "" {
		key = op + ":" + key
	}
	s.accept(key)
}

// session returns the live session named by the request's SessionHeader,
// refreshing its idle timer, or the reason there is none.
func (s *Salesforce) session(req *soapRequest) (*sfSession, string) {
	return s.sessionIn(req, s.cfg.Namespace)
}

// sessionIn is session with the SessionHeader of namespace ns (the
// Metadata and Tooling APIs have their own).
func (s *Salesforce) sessionIn(req *soapRequest, ns string) (*sfSession, string) {
	h := req.headerElem(ns, "SessionHeader")
	if h == nil {
		return nil, ReasonNoSession
	}
	idn := h.child(ns, "sessionId")
	if idn == nil {
		return nil, ReasonBadHeader
	}
	id := idn.text()
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	se, why := s.sessionTable.find(id, now)
	if why != "" {
		return nil, why
	}
	se.lastUsed = now
	return se, ""
}

func (s *Salesforce) login(w http.ResponseWriter, req *soapRequest) {
	ns := s.cfg.Namespace
	user := req.Op.child(ns, "username").text()
	pass := req.Op.child(ns, "password").text()
	s.Logins.Add(1)
	if s.cfg.OnLogin != nil {
		s.cfg.OnLogin(user)
	}
	want, known := s.cfg.Users[user]
	if !known || pass != want || pass == "" {
		s.reject(ReasonBadCredentials)
		msg := "INVALID_LOGIN: Invalid username, password, security token; or user locked out."
		writeFaultNS(w, http.StatusInternalServerError, `xmlns:sf="`+s.faultNS()+`"`, "sf:INVALID_LOGIN", msg,
			`<sf:LoginFault xsi:type="sf:LoginFault"><sf:exceptionCode>INVALID_LOGIN</sf:exceptionCode><sf:exceptionMessage>`+esc(msg)+`</sf:exceptionMessage></sf:LoginFault>`)
		return
	}
	s.mu.Lock()
	now := s.clock.Now()
	id, live := s.byUser[user]
	var se *sfSession
	if live {
		se, _ = s.sessionTable.find(id, now) // nil when idle: find ended it
	}
	if se == nil {
		id = newToken(s.cfg.OrgID + "!AQ")
		se = &sfSession{id: id, user: user}
		s.sessionTable.open(id, se)
		s.byUser[user] = id
	}
	se.lastUsed = now
	s.mu.Unlock()
	writeEnvelope(w, http.StatusOK, "", `<loginResponse xmlns="`+ns+`"><result>`+
		`<metadataServerUrl>`+esc(s.MetadataURL())+`</metadataServerUrl>`+
		`<passwordExpired>false</passwordExpired><sandbox>false</sandbox>`+
		`<serverUrl>`+esc(s.ServerURL())+`</serverUrl><sessionId>`+esc(id)+`</sessionId>`+
		`<userId>`+userID(user)+`</userId><userInfo>`+s.userInfo(user)+`</userInfo>`+
		`</result></loginResponse>`)
}

func (s *Salesforce) invalidate(w http.ResponseWriter, req *soapRequest) {
	ns := s.cfg.Namespace
	ids := req.Op.all(ns, "sessionIds")
	if len(ids) > SalesforceMaxInvalidate {
		s.reject(ReasonTooManyIDs)
		s.fault(w, "EXCEEDED_ID_LIMIT", "invalidateSessions accepts at most 200 session ids")
		return
	}
	s.InvalidateCalls.Add(1)
	var b strings.Builder
	b.WriteString(`<invalidateSessionsResponse xmlns="` + ns + `">`)
	s.mu.Lock()
	for _, n := range ids {
		if s.sessionTable.end(n.text(), ReasonKilled) {
			s.Invalidated.Add(1)
			b.WriteString(`<result><success>true</success></result>`)
			continue
		}
		b.WriteString(`<result><errors><message>session not found</message><statusCode>INVALID_SESSION_ID</statusCode></errors><success>false</success></result>`)
	}
	s.mu.Unlock()
	b.WriteString(`</invalidateSessionsResponse>`)
	writeEnvelope(w, http.StatusOK, "", b.String())
}

// fault answers with a Salesforce API fault: faultcode sf:CODE, detail an
// UnexpectedErrorFault carrying the same exceptionCode.
func (s *Salesforce) fault(w http.ResponseWriter, code, msg string) {
	str := code + ": " + msg
	writeFaultNS(w, http.StatusInternalServerError, `xmlns:sf="`+s.faultNS()+`"`, "sf:"+code, str,
		`<sf:UnexpectedErrorFault xsi:type="sf:UnexpectedErrorFault"><sf:exceptionCode>`+esc(code)+
			`</sf:exceptionCode><sf:exceptionMessage>`+esc(str)+`</sf:exceptionMessage></sf:UnexpectedErrorFault>`)
}

// userID is an 18-character Salesforce user id derived from the name.
func userID(user string) string { return "005xx000001Sv6" + ShortHash(user)[:4] }

// userInfo is a GetUserInfoResult (the Partner WSDL's field order), with
// sessionSecondsValid telling the client the org's idle timeout.
func (s *Salesforce) userInfo(user string) string {
	org := s.cfg.OrgID
	if len(org) == 15 {
		org += "AAA"
	}
	return `<accessibilityMode>false</accessibilityMode><currencySymbol>€</currencySymbol>` +
		`<orgAttachmentFileSizeLimit>5242880</orgAttachmentFileSizeLimit><orgDefaultCurrencyIsoCode>EUR</orgDefaultCurrencyIsoCode>` +
		`<orgDisallowHtmlAttachments>false</orgDisallowHtmlAttachments><organizationId>` + esc(org) + `</organizationId>` +
		`<organizationMultiCurrency>false</organizationMultiCurrency><organizationName>Fake Org</organizationName>` +
		`<profileId>00exx000001AbCdAAK</profileId><roleId xsi:nil="true"/>` +
		`<sessionSecondsValid>` + itoa(int64(s.cfg.Idle/time.Second)) + `</sessionSecondsValid>` +
		`<userEmail>` + esc(user) + `</userEmail><userFullName>` + esc(user) + `</userFullName><userId>` + userID(user) + `</userId>` +
		`<userLanguage>en_US</userLanguage><userLocale>en_US</userLocale><userName>` + esc(user) + `</userName>` +
		`<userTimeZone>Europe/Berlin</userTimeZone><userType>Standard</userType><userUiSkin>Theme3</userUiSkin>`
}
