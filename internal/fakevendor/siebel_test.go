package fakevendor

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const nsASI = "http://siebel.com/asi/"

func sbHeaders(typ, user, pass, tok string) string {
	var h strings.Builder
	add := func(name, v string) {
		if v != "" {
			h.WriteString(`<` + name + ` xmlns="` + NSSiebel + `">` + v + `</` + name + `>`)
		}
	}
	add("UsernameToken", user)
	add("PasswordText", pass)
	add("SessionType", typ)
	add("SessionToken", tok)
	return h.String()
}

func sbEnv(typ, user, pass, tok, text string) string {
	return envelope(sbHeaders(typ, user, pass, tok), `<AccountQueryPage_Input xmlns="`+nsASI+`"><Text>`+text+`</Text></AccountQueryPage_Input>`)
}

func newSiebel(t *testing.T, cfg SiebelConfig) *Siebel {
	if cfg.Users == nil {
		cfg.Users = map[string]string{"EAIUSER": "eai-pw", "OTHER": "other-pw"}
	}
	s := NewSiebel(cfg)
	t.Cleanup(s.Close)
	return s
}

// token returns the SessionToken of a reply, failing on a fault.
func sbToken(t *testing.T, r reply) string {
	t.Helper()
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	return r.env.child(NSSOAP11, "Header").child(NSSiebel, "SessionToken").text()
}

func sbFaultString(r reply) string {
	_, str := r.fault()
	return str
}

func sbFaultCode(r reply) string {
	_, str := r.fault()
	if i := strings.LastIndex(str, "("); i >= 0 {
		return strings.TrimSuffix(str[i+1:], ")")
	}
	return str
}

func TestSiebelURLRules(t *testing.T) {
	s := newSiebel(t, SiebelConfig{})
	base := strings.TrimSuffix(s.URL(), "&WSSOAP=1")
	env := sbEnv("None", "EAIUSER", "eai-pw", "", "x")
	if r := post(t, nil, base, env, nil); sbFaultCode(r) != SiebelCodeProtocol || s.RejectedFor(ReasonNoWSSOAP) != 1 {
		t.Errorf("no WSSOAP: %s", r.body)
	}
	if r := post(t, nil, s.URL()+"&UserName=EAIUSER&Password=eai-pw", env, nil); sbFaultCode(r) != SiebelCodeProtocol || s.RejectedFor(ReasonQueryCredentials) != 1 {
		t.Errorf("credentials in URL: %s", r.body)
	} else {
		noSecret(t, r.body, "eai-pw")
	}
	wsse := envelope(`<wsse:Security xmlns:wsse="`+NSWSSE+`"/>`+sbHeaders("None", "EAIUSER", "eai-pw", ""), `<A_Input xmlns="urn:x"/>`)
	if r := post(t, nil, s.URL(), wsse, nil); s.RejectedFor(ReasonMixedWSSecurity) != 1 {
		t.Errorf("WS-Security mixed in: %s", r.body)
	}
}

func TestSiebelSessionTypeNone(t *testing.T) {
	s := newSiebel(t, SiebelConfig{})
	for i, typ := range []string{"None", ""} { // no SessionType header means None
		r := post(t, nil, s.URL(), sbEnv(typ, "EAIUSER", "eai-pw", "", "n"+typ), nil)
		if tok := sbToken(t, r); tok != "" {
			t.Errorf("None answered with a token")
		}
		out := r.bodyElem()
		if out.Name != (xmlName(nsASI, "AccountQueryPage_Output")) || out.child("*", "Text").text() != "n"+typ || out.child("*", "User").text() != "EAIUSER" {
			t.Errorf("echo: %s", r.body)
		}
		if s.Logins.Load() != int64(i+1) || s.Logouts.Load() != int64(i+1) {
			t.Errorf("None must log in and out per request: %d/%d", s.Logins.Load(), s.Logouts.Load())
		}
	}
	if r := post(t, nil, s.URL(), sbEnv("None", "", "", "", "x"), nil); s.RejectedFor(ReasonNoSession) != 1 {
		t.Errorf("None without credentials: %s", r.body)
	}
	if r := post(t, nil, s.URL(), sbEnv("None", "EAIUSER", "bad", "", "x"), nil); sbFaultString(r) != SiebelLoginIncorrect {
		t.Errorf("bad password: %s", r.body)
	}
}

func TestSiebelRotation(t *testing.T) {
	s := newSiebel(t, SiebelConfig{})
	t1 := sbToken(t, post(t, nil, s.URL(), sbEnv("Stateless", "EAIUSER", "eai-pw", "", "a"), nil))
	if t1 == "" {
		t.Fatal("no token after opening a session")
	}
	t2 := sbToken(t, post(t, nil, s.URL(), sbEnv("Stateless", "", "", t1, "b"), nil))
	if t2 == "" || t2 == t1 {
		t.Fatal("token did not rotate")
	}
	// The old token is stale now.
	r := post(t, nil, s.URL(), sbEnv("Stateless", "", "", t1, "c"), nil)
	if sbFaultString(r) != SiebelTokenInvalid || s.Stale.Load() != 1 || s.RejectedFor(ReasonStaleToken) != 1 {
		t.Fatalf("stale token: %s", r.body)
	}
	noSecret(t, r.body, t1, t2)
	// The newest still works, and the session keeps counting.
	r = post(t, nil, s.URL(), sbEnv("Stateless", "", "", t2, "d"), nil)
	t3 := sbToken(t, r)
	if seq := r.bodyElem().child("*", "Seq").text(); seq != "3" {
		t.Errorf("Seq = %s, want 3", seq)
	}
	// Rules: same SessionType as the session; no credentials with a token.
	if r := post(t, nil, s.URL(), sbEnv("Stateful", "", "", t3, "e"), nil); s.RejectedFor(ReasonTypeMismatch) != 1 {
		t.Errorf("type mismatch accepted: %s", r.body)
	}
	if r := post(t, nil, s.URL(), sbEnv("Stateless", "EAIUSER", "eai-pw", t3, "f"), nil); s.RejectedFor(ReasonCredentialsAndToken) != 1 {
		t.Errorf("credentials with token accepted: %s", r.body)
	}
	if s.Violations.Load() != 2 || s.Logins.Load() != 1 || s.Calls.Load() != 3 {
		t.Errorf("violations %d logins %d calls %d", s.Violations.Load(), s.Logins.Load(), s.Calls.Load())
	}
}

func TestSiebelTimeouts(t *testing.T) {
	s := newSiebel(t, SiebelConfig{SessionTimeout: 10 * time.Minute, TokenTimeout: 15 * time.Minute, TokenMaxAge: 40 * time.Minute})
	c := s.Clock()
	open := func(typ string) string {
		return sbToken(t, post(t, nil, s.URL(), sbEnv(typ, "EAIUSER", "eai-pw", "", ""), nil))
	}
	use := func(typ, tok string) reply { return post(t, nil, s.URL(), sbEnv(typ, "", "", tok, ""), nil) }

	// Token idle: refreshed on use, rejected past the limit.
	tok := open("Stateless")
	c.Advance(9 * time.Minute)
	tok = sbToken(t, use("Stateless", tok))
	c.Advance(9 * time.Minute)
	tok = sbToken(t, use("Stateless", tok))
	c.Advance(16 * time.Minute)
	if r := use("Stateless", tok); sbFaultString(r) != SiebelTokenInvalid || s.RejectedFor(ReasonTokenTimeout) != 1 {
		t.Fatalf("token idle: %s", r.body)
	}

	// Max age: absolute from the login, however often the token rotates.
	tok = open("Stateless")
	for range 4 {
		c.Advance(9 * time.Minute)
		tok = sbToken(t, use("Stateless", tok))
	}
	c.Advance(5 * time.Minute) // 41 minutes after login
	if r := use("Stateless", tok); sbFaultString(r) != SiebelTokenInvalid || s.RejectedFor(ReasonTokenMaxAge) != 1 {
		t.Fatalf("max age: %s", r.body)
	}

	// Session idle, token alive: stateless re-logs in on the server side.
	tok = open("Stateless")
	c.Advance(11 * time.Minute)
	r := use("Stateless", tok)
	sbToken(t, r)
	if s.ServerRelogins.Load() != 1 || r.bodyElem().child("*", "Seq").text() != "1" {
		t.Errorf("stateless transparent relogin: relogins %d, %s", s.ServerRelogins.Load(), r.body)
	}
	// Stateful: the state is gone, and the error says so.
	tok = open("Stateful")
	c.Advance(11 * time.Minute)
	if r := use("Stateful", tok); sbFaultString(r) != SiebelTokenEnded || s.RejectedFor(ReasonStateLost) != 1 {
		t.Errorf("stateful loss: %s", r.body)
	}
}

func TestSiebelKillAndRevoke(t *testing.T) {
	s := newSiebel(t, SiebelConfig{})
	tok := sbToken(t, post(t, nil, s.URL(), sbEnv("Stateless", "EAIUSER", "eai-pw", "", ""), nil))
	if !s.KillSession(tok) {
		t.Fatal("KillSession found nothing")
	}
	tok = sbToken(t, post(t, nil, s.URL(), sbEnv("Stateless", "", "", tok, ""), nil))
	if s.ServerRelogins.Load() != 1 {
		t.Errorf("killed stateless session not re-opened")
	}
	if !s.RevokeToken(tok) {
		t.Fatal("RevokeToken found nothing")
	}
	if r := post(t, nil, s.URL(), sbEnv("Stateless", "", "", tok, ""), nil); sbFaultString(r) != SiebelTokenInvalid || s.RejectedFor(ReasonKilled) != 1 {
		t.Errorf("revoked token: %s", r.body)
	}
	stf := sbToken(t, post(t, nil, s.URL(), sbEnv("Stateful", "EAIUSER", "eai-pw", "", ""), nil))
	if n := s.KillAll(); n != 2 {
		t.Errorf("KillAll = %d, want 2 (the revoked chain's session lives on)", n)
	}
	if r := post(t, nil, s.URL(), sbEnv("Stateful", "", "", stf, ""), nil); sbFaultString(r) != SiebelTokenEnded {
		t.Errorf("killed stateful: %s", r.body)
	}
}

func TestSiebelSessionLimit(t *testing.T) {
	s := newSiebel(t, SiebelConfig{MaxSessions: 2, SessionTimeout: time.Minute})
	for range 2 {
		sbToken(t, post(t, nil, s.URL(), sbEnv("Stateless", "EAIUSER", "eai-pw", "", ""), nil))
	}
	r := post(t, nil, s.URL(), sbEnv("Stateless", "EAIUSER", "eai-pw", "", ""), nil)
	if sbFaultCode(r) != SiebelCodeNoSessions || s.RejectedFor(ReasonTooManySessions) != 1 {
		t.Fatalf("third session: %s", r.body)
	}
	s.Clock().Advance(2 * time.Minute) // idle sessions close and free their slots
	sbToken(t, post(t, nil, s.URL(), sbEnv("Stateless", "EAIUSER", "eai-pw", "", ""), nil))
	if s.LiveSessions() != 1 {
		t.Errorf("LiveSessions = %d", s.LiveSessions())
	}
}

// Two requests with one token at once: the second is a concurrency
// violation, whatever the order the server sees them in.
func TestSiebelConcurrentTokenUse(t *testing.T) {
	entered := make(chan struct{})
	release := make(chan struct{})
	var armed atomic.Bool // hold only the first call after arming
	s := newSiebel(t, SiebelConfig{OnCall: func(string) {
		if armed.CompareAndSwap(true, false) {
			close(entered)
			<-release
		}
	}})
	tok := sbToken(t, post(t, nil, s.URL(), sbEnv("Stateless", "EAIUSER", "eai-pw", "", ""), nil))
	armed.Store(true)
	done := make(chan reply)
	go func() { done <- post(t, nil, s.URL(), sbEnv("Stateless", "", "", tok, "1"), nil) }()
	<-entered
	r := post(t, nil, s.URL(), sbEnv("Stateless", "", "", tok, "2"), nil)
	close(release)
	sbToken(t, <-done)
	if s.Violations.Load() != 1 || s.RejectedFor(ReasonConcurrentToken) != 1 || sbFaultString(r) != SiebelTokenInvalid {
		t.Errorf("concurrent use not flagged: %d %v %s", s.Violations.Load(), s.Reasons(), r.body)
	}
}

func TestSiebelRejectsFraming(t *testing.T) {
	s := newSiebel(t, SiebelConfig{})
	r := post(t, nil, s.URL(), sbEnv("None", "EAIUSER", "eai-pw", "", ""), func(req *http.Request) { req.Header.Set("Content-Type", "application/soap+xml") })
	if r.status != http.StatusUnsupportedMediaType || s.RejectedFor(ReasonBadContentType) != 1 {
		t.Errorf("SOAP 1.2 content type: %d", r.status)
	}
	r = post(t, nil, s.URL(), `<x/>`, nil)
	if s.RejectedFor(ReasonBadEnvelope) != 1 {
		t.Errorf("not an envelope: %s", r.body)
	}
}

// ServerDetermine sessions rotate like Stateless ones, and their type must
// be kept too.
func TestSiebelServerDetermine(t *testing.T) {
	s := newSiebel(t, SiebelConfig{})
	tok := sbToken(t, post(t, nil, s.URL(), sbEnv(SiebelServerDetermine, "EAIUSER", "eai-pw", "", "a"), nil))
	tok2 := sbToken(t, post(t, nil, s.URL(), sbEnv(SiebelServerDetermine, "", "", tok, "b"), nil))
	if tok2 == "" || tok2 == tok {
		t.Fatal("no rotation")
	}
	if r := post(t, nil, s.URL(), sbEnv(SiebelStateless, "", "", tok2, "c"), nil); s.RejectedFor(ReasonTypeMismatch) != 1 {
		t.Errorf("Stateless with a ServerDetermine token accepted: %s", r.body)
	}
	if r := post(t, nil, s.URL(), sbEnv("Bogus", "EAIUSER", "eai-pw", "", "d"), nil); s.RejectedFor(ReasonBadHeader) != 1 {
		t.Errorf("unknown SessionType accepted: %s", r.body)
	}
}

// The fake answers with real Siebel's texts: a wrong password opening a
// Stateless or Stateful session gets the generic error code with the
// wrong-password message (no token), and the texts hold what the built-in
// profiles match.
func TestSiebelRealTexts(t *testing.T) {
	s := newSiebel(t, SiebelConfig{})
	for _, typ := range []string{SiebelStateless, SiebelStateful} {
		r := post(t, nil, s.URL(), sbEnv(typ, "EAIUSER", "wrong", "", "x"), nil)
		if sbFaultString(r) != SiebelLoginIncorrect || r.env.child(NSSOAP11, "Header").child(NSSiebel, "SessionToken").text() != "" {
			t.Errorf("%s with a wrong password: %s", typ, r.body)
		}
		noSecret(t, r.body, "wrong")
	}
	if r := post(t, nil, s.URL(), sbEnv(SiebelStateless, "", "", "", "x"), nil); sbFaultString(r) != SiebelTokenInvalid {
		t.Errorf("no token, no credentials: %s", r.body)
	}
	if !strings.Contains(SiebelTokenInvalid, SiebelGoneInvalid) || !strings.Contains(SiebelTokenEnded, SiebelGoneEnded) ||
		strings.Contains(SiebelLoginIncorrect, SiebelGoneInvalid) || strings.Contains(SiebelLoginIncorrect, SiebelGoneEnded) {
		t.Error("the gone texts do not tell the token faults from the wrong password")
	}
	if s.RejectedFor(ReasonBadCredentials) != 2 {
		t.Errorf("bad credentials rejected %d times, want 2", s.RejectedFor(ReasonBadCredentials))
	}
}

// With TaskAffinity (Siebel's default) a stateless token whose server task
// ended is rejected with SBL-UIF-00880 instead of re-opened.
func TestSiebelTaskAffinity(t *testing.T) {
	s := newSiebel(t, SiebelConfig{TaskAffinity: true})
	tok := sbToken(t, post(t, nil, s.URL(), sbEnv(SiebelStateless, "EAIUSER", "eai-pw", "", ""), nil))
	if !s.KillSession(tok) {
		t.Fatal("KillSession found nothing")
	}
	if r := post(t, nil, s.URL(), sbEnv(SiebelStateless, "", "", tok, ""), nil); sbFaultString(r) != SiebelTokenEnded || s.ServerRelogins.Load() != 0 {
		t.Errorf("killed stateless session with task affinity: %s", r.body)
	}
}
