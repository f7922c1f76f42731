package fakevendor

import (
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"
)

func sfLogin(user, pass string) string {
	return envelope("", `<login xmlns="urn:partner.soap.sforce.com"><username>`+user+`</username><password>`+pass+`</password></login>`)
}

func sfCall(id, body string) string {
	return envelope(`<SessionHeader xmlns="urn:partner.soap.sforce.com"><sessionId>`+id+`</sessionId></SessionHeader>`, body)
}

func sfQuery(id, q string) string {
	return sfCall(id, `<query xmlns="urn:partner.soap.sforce.com"><queryString>`+q+`</queryString></query>`)
}

func newSF(t *testing.T) *Salesforce {
	sf := NewSalesforce(SalesforceConfig{Users: map[string]string{"alice": "alice-pw", "bob": "bob-pw"}, Idle: 30 * time.Minute})
	t.Cleanup(sf.Close)
	return sf
}

// loginSF logs in and returns sessionId and serverUrl.
func loginSF(t *testing.T, sf *Salesforce, user, pass string) (string, string) {
	t.Helper()
	r := post(t, nil, sf.URL(), sfLogin(user, pass), nil)
	if r.status != 200 {
		t.Fatalf("login: %d %s", r.status, r.body)
	}
	res := r.bodyElem().child(NSSalesforcePartner, "result")
	return res.child(NSSalesforcePartner, "sessionId").text(), res.child(NSSalesforcePartner, "serverUrl").text()
}

func TestSalesforceLoginAndCall(t *testing.T) {
	sf := newSF(t)
	id, server := loginSF(t, sf, "alice", "alice-pw")
	if server != sf.ServerURL() || server == sf.URL() {
		t.Fatalf("serverUrl = %q, want %q (not the login URL)", server, sf.ServerURL())
	}
	r := post(t, nil, server, sfQuery(id, "SELECT Id FROM Account"), nil)
	if r.status != 200 {
		t.Fatalf("query: %d %s", r.status, r.body)
	}
	name := r.bodyElem().child(NSSalesforcePartner, "result").child(NSSalesforcePartner, "records").child("urn:sobject.partner.soap.sforce.com", "Name").text()
	if name != "SELECT Id FROM Account" {
		t.Errorf("query echo = %q", name)
	}
	if r.env.child(NSSOAP11, "Header").child(NSSalesforcePartner, "LimitInfoHeader") == nil {
		t.Errorf("query response has no LimitInfoHeader")
	}
	r = post(t, nil, server, sfCall(id, `<getUserInfo xmlns="urn:partner.soap.sforce.com"/>`), nil)
	ui := r.bodyElem().child(NSSalesforcePartner, "result")
	if ui.child(NSSalesforcePartner, "userName").text() != "alice" || ui.child(NSSalesforcePartner, "sessionSecondsValid").text() != "1800" {
		t.Errorf("getUserInfo: %s", r.body)
	}
	// Same user again while alive: the same session.
	id2, _ := loginSF(t, sf, "alice", "alice-pw")
	if id2 != id {
		t.Errorf("second login of alice got a new session")
	}
	idB, _ := loginSF(t, sf, "bob", "bob-pw")
	if idB == id {
		t.Errorf("bob got alice's session")
	}
	if got := sf.Logins.Load(); got != 3 {
		t.Errorf("Logins = %d, want 3", got)
	}
	if got := sf.Calls.Load(); got != 2 {
		t.Errorf("Calls = %d, want 2", got)
	}
}

func TestSalesforceRejects(t *testing.T) {
	sf := newSF(t)
	id, server := loginSF(t, sf, "alice", "alice-pw")
	cases := []struct {
		name, url, env, code, reason string
	}{
		{"bad password", sf.URL(), sfLogin("alice", "nope"), "sf:INVALID_LOGIN", ReasonBadCredentials},
		{"call at login URL", sf.URL(), sfQuery(id, "q"), "sf:INVALID_OPERATION", ReasonWrongEndpoint},
		{"no header", server, envelope("", `<getUserInfo xmlns="urn:partner.soap.sforce.com"/>`), "sf:INVALID_SESSION_ID", ReasonNoSession},
		{"header in wrong namespace", server, envelope(`<SessionHeader xmlns="urn:enterprise.soap.sforce.com"><sessionId>`+id+`</sessionId></SessionHeader>`, `<getUserInfo xmlns="urn:partner.soap.sforce.com"/>`), "sf:INVALID_SESSION_ID", ReasonNoSession},
		{"unqualified sessionId", server, envelope(`<p:SessionHeader xmlns:p="urn:partner.soap.sforce.com"><sessionId>`+id+`</sessionId></p:SessionHeader>`, `<getUserInfo xmlns="urn:partner.soap.sforce.com"/>`), "sf:INVALID_SESSION_ID", ReasonBadHeader},
		{"unknown session", server, sfQuery("00Dbogus", "q"), "sf:INVALID_SESSION_ID", ReasonUnknownSession},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := sf.RejectedFor(c.reason)
			r := post(t, nil, c.url, c.env, nil)
			code, str := r.fault()
			if r.status != 500 || code != c.code {
				t.Fatalf("got %d %q %q, want 500 %s", r.status, code, str, c.code)
			}
			if sf.RejectedFor(c.reason) != before+1 {
				t.Errorf("reason %s not counted: %v", c.reason, sf.Reasons())
			}
			noSecret(t, r.body, "alice-pw", "nope", id)
		})
	}
	// The detail names the exception code as UnexpectedErrorFault does.
	r := post(t, nil, server, sfQuery("00Dbogus", "q"), nil)
	ex := r.bodyElem().child("", "detail").child("urn:fault.partner.soap.sforce.com", "UnexpectedErrorFault").child("urn:fault.partner.soap.sforce.com", "exceptionCode").text()
	if ex != "INVALID_SESSION_ID" {
		t.Errorf("detail exceptionCode = %q\n%s", ex, r.body)
	}
	// Framing: a missing SOAPAction is refused.
	r = post(t, nil, server, sfQuery(id, "q"), func(req *http.Request) { req.Header.Del("SOAPAction") })
	if r.status == 200 || sf.RejectedFor(ReasonNoSOAPAction) != 1 {
		t.Errorf("missing SOAPAction accepted: %d", r.status)
	}
}

func TestSalesforceIdleExpiry(t *testing.T) {
	sf := newSF(t)
	id, server := loginSF(t, sf, "alice", "alice-pw")
	sf.Clock().Advance(29 * time.Minute)
	if r := post(t, nil, server, sfQuery(id, "a"), nil); r.status != 200 {
		t.Fatalf("call within idle limit rejected: %s", r.body)
	}
	// Use refreshed the idle timer.
	sf.Clock().Advance(29 * time.Minute)
	if r := post(t, nil, server, sfQuery(id, "b"), nil); r.status != 200 {
		t.Fatalf("call after refresh rejected: %s", r.body)
	}
	sf.Clock().Advance(31 * time.Minute)
	r := post(t, nil, server, sfQuery(id, "c"), nil)
	if code, _ := r.fault(); code != "sf:INVALID_SESSION_ID" || sf.RejectedFor(ReasonExpired) != 1 {
		t.Fatalf("expired session: %q, reasons %v", code, sf.Reasons())
	}
	id2, _ := loginSF(t, sf, "alice", "alice-pw")
	if id2 == id {
		t.Errorf("login after expiry returned the dead session")
	}
}

func TestSalesforceLogoutEndsForEveryone(t *testing.T) {
	sf := newSF(t)
	id, server := loginSF(t, sf, "alice", "alice-pw")
	r := post(t, nil, server, sfCall(id, `<logout xmlns="urn:partner.soap.sforce.com"/>`), nil)
	if r.status != 200 || sf.Logouts.Load() != 1 {
		t.Fatalf("logout: %d %s", r.status, r.body)
	}
	// A neighbour still holding the id is now broken.
	r = post(t, nil, server, sfQuery(id, "neighbour"), nil)
	if code, _ := r.fault(); code != "sf:INVALID_SESSION_ID" {
		t.Fatalf("neighbour after logout: %q", code)
	}
}

func TestSalesforceInvalidateSessions(t *testing.T) {
	sf := newSF(t)
	id, server := loginSF(t, sf, "alice", "alice-pw")
	idB, _ := loginSF(t, sf, "bob", "bob-pw")
	var ids strings.Builder
	for _, x := range []string{idB, "00Dnope"} {
		ids.WriteString("<sessionIds>" + x + "</sessionIds>")
	}
	r := post(t, nil, server, sfCall(id, `<invalidateSessions xmlns="urn:partner.soap.sforce.com">`+ids.String()+`</invalidateSessions>`), nil)
	res := r.bodyElem().all(NSSalesforcePartner, "result")
	if len(res) != 2 {
		t.Fatalf("want 2 results, got %s", r.body)
	}
	if res[0].child(NSSalesforcePartner, "success").text() != "true" || res[1].child(NSSalesforcePartner, "success").text() != "false" {
		t.Errorf("results: %s", r.body)
	}
	if sc := res[1].child(NSSalesforcePartner, "errors").child(NSSalesforcePartner, "statusCode").text(); sc == "" {
		t.Errorf("failed result has no statusCode")
	}
	if sf.Invalidated.Load() != 1 || sf.InvalidateCalls.Load() != 1 {
		t.Errorf("counts: %d %d", sf.Invalidated.Load(), sf.InvalidateCalls.Load())
	}
	if r := post(t, nil, server, sfQuery(idB, "x"), nil); r.status == 200 {
		t.Errorf("invalidated session still accepted")
	}
	ids.Reset()
	for i := range 201 {
		fmt.Fprintf(&ids, "<sessionIds>x%d</sessionIds>", i)
	}
	r = post(t, nil, server, sfCall(id, `<invalidateSessions xmlns="urn:partner.soap.sforce.com">`+ids.String()+`</invalidateSessions>`), nil)
	if code, _ := r.fault(); code != "sf:EXCEEDED_ID_LIMIT" || sf.RejectedFor(ReasonTooManyIDs) != 1 {
		t.Errorf("201 ids: %q", code)
	}
}

func TestSalesforceKillSwitches(t *testing.T) {
	sf := newSF(t)
	id, server := loginSF(t, sf, "alice", "alice-pw")
	loginSF(t, sf, "bob", "bob-pw")
	if !sf.KillRandom(mrand.New(mrand.NewPCG(1, 2))) || len(sf.SessionIDs()) != 1 {
		t.Fatalf("KillRandom did not kill one session")
	}
	if n := sf.KillAll(); n != 1 {
		t.Fatalf("KillAll = %d", n)
	}
	r := post(t, nil, server, sfQuery(id, "q"), nil)
	if code, _ := r.fault(); code != "sf:INVALID_SESSION_ID" || sf.RejectedFor(ReasonKilled) != 1 {
		t.Fatalf("killed session: %q %v", code, sf.Reasons())
	}
}

// OnRequest runs before the session check, so a held request meets the
// session as it is when released.
func TestSalesforceOnRequestBeforeSessionCheck(t *testing.T) {
	hold := make(chan struct{})
	entered := make(chan struct{})
	sf := NewSalesforce(SalesforceConfig{Users: map[string]string{"alice": "alice-pw"}, OnRequest: func(op, payload string) {
		if payload == "held" {
			close(entered)
			<-hold
		}
	}})
	t.Cleanup(sf.Close)
	id, server := loginSF(t, sf, "alice", "alice-pw")
	done := make(chan reply, 1)
	go func() { done <- post(t, nil, server, sfQuery(id, "held"), nil) }()
	<-entered
	sf.KillAll()
	close(hold)
	if code, _ := (<-done).fault(); code != "sf:INVALID_SESSION_ID" {
		t.Errorf("held request met the killed session with %q", code)
	}
}
