package fakevendor

import (
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"
)

const nsSAP = "urn:fakevendor:sap"

func ckEnv(text string) string {
	return envelope("", `<Echo xmlns="`+nsSAP+`"><Text>`+text+`</Text></Echo>`)
}

func basic(user, pass string) func(*http.Request) {
	return func(r *http.Request) { r.SetBasicAuth(user, pass) }
}

func newCookie(t *testing.T, cfg CookieConfig) *Cookie {
	if cfg.Users == nil {
		cfg.Users = map[string]string{"alice": "alice-pw", "bob": "bob-pw"}
	}
	c := NewCookie(cfg)
	t.Cleanup(c.Close)
	return c
}

func jarClient(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar}
}

func TestCookieSessionReuse(t *testing.T) {
	c := newCookie(t, CookieConfig{CookiePath: "/http"})
	hc := jarClient(t)
	r := post(t, hc, c.URL(), ckEnv("a"), basic("alice", "alice-pw"))
	if r.status != 200 || c.Logins.Load() != 1 {
		t.Fatalf("first call: %d %s", r.status, r.body)
	}
	// Later calls: the jar sends the cookie, no auth needed.
	for i, text := range []string{"b", "c"} {
		r = post(t, hc, c.URL(), ckEnv(text), nil)
		if r.status != 200 || r.bodyElem().child("*", "Seq").text() != string(rune('2'+i)) || r.bodyElem().child("*", "User").text() != "alice" {
			t.Fatalf("cookie call: %d %s", r.status, r.body)
		}
	}
	if c.Logins.Load() != 1 || c.Calls.Load() != 3 {
		t.Errorf("logins %d calls %d", c.Logins.Load(), c.Calls.Load())
	}
	// Same identity with cookie and auth: allowed, counted.
	post(t, hc, c.URL(), ckEnv("d"), basic("alice", "alice-pw"))
	if c.AuthWithCookie.Load() != 1 || c.Logins.Load() != 1 {
		t.Errorf("auth with cookie: %d, logins %d", c.AuthWithCookie.Load(), c.Logins.Load())
	}
	// Another identity with alice's cookie: a violation, refused.
	r = post(t, hc, c.URL(), ckEnv("e"), basic("bob", "bob-pw"))
	if r.status != http.StatusForbidden || c.Violations.Load() != 1 || c.RejectedFor(ReasonOtherUser) != 1 {
		t.Errorf("other user: %d", r.status)
	}
}

func TestCookieRejects(t *testing.T) {
	c := newCookie(t, CookieConfig{Idle: time.Minute})
	hc := jarClient(t)
	if r := post(t, hc, c.URL(), ckEnv("x"), nil); r.status != 401 || c.RejectedFor(ReasonNoSession) != 1 {
		t.Errorf("no auth: %d", r.status)
	}
	if r := post(t, hc, c.URL(), ckEnv("x"), basic("alice", "nope")); r.status != 401 || c.RejectedFor(ReasonBadCredentials) != 1 {
		t.Errorf("bad password: %d", r.status)
	} else {
		noSecret(t, r.body, "nope", "alice-pw")
	}
	post(t, hc, c.URL(), ckEnv("x"), basic("alice", "alice-pw"))
	c.Clock().Advance(2 * time.Minute)
	if r := post(t, hc, c.URL(), ckEnv("y"), nil); r.status != 401 || c.RejectedFor(ReasonExpired) != 1 {
		t.Errorf("expired cookie without auth: %d", r.status)
	}
	// Stateless: an expired cookie with auth opens a new session.
	if r := post(t, hc, c.URL(), ckEnv("z"), basic("alice", "alice-pw")); r.status != 200 || c.Logins.Load() != 2 {
		t.Errorf("re-auth: %d logins %d", r.status, c.Logins.Load())
	}
}

func TestCookieStateful(t *testing.T) {
	c := newCookie(t, CookieConfig{})
	hc := jarClient(t)
	if r := post(t, hc, c.StatefulURL(), ckEnv("1"), basic("alice", "alice-pw")); r.status != 200 {
		t.Fatalf("open: %s", r.body)
	}
	r := post(t, hc, c.StatefulURL(), ckEnv("2"), nil)
	if r.bodyElem().child("*", "Seq").text() != "2" {
		t.Fatalf("state not kept: %s", r.body)
	}
	if c.KillAll() != 1 {
		t.Fatal("KillAll")
	}
	// Even with credentials, a dead exchange session is not silently replaced.
	r = post(t, hc, c.StatefulURL(), ckEnv("3"), basic("alice", "alice-pw"))
	if code, str := r.fault(); r.status != 500 || code != "soapenv:Server" || !strings.Contains(str, CookieCodeStateLost) || c.RejectedFor(ReasonStateLost) != 1 {
		t.Errorf("stateful loss: %d %s", r.status, r.body)
	}
}

func TestCookieOAuth2Bearer(t *testing.T) {
	o := NewOAuth2(OAuth2Config{Clients: map[string]string{"svc": "s"}})
	t.Cleanup(o.Close)
	c := newCookie(t, CookieConfig{OAuth: o, Clock: o.Clock()})
	_, body := tokenRequest(t, o, "svc", "s", true)
	tok := body["access_token"].(string)
	hc := jarClient(t)
	bearer := func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
	r := post(t, hc, c.URL(), ckEnv("a"), bearer)
	if r.status != 200 || r.bodyElem().child("*", "User").text() != "svc" {
		t.Fatalf("bearer call: %d %s", r.status, r.body)
	}
	if r := post(t, nil, c.URL(), ckEnv("b"), func(r *http.Request) { r.Header.Set("Authorization", "Bearer nope") }); r.status != 401 || c.RejectedFor(ReasonBadToken) != 1 {
		t.Errorf("bad bearer: %d", r.status)
	}
}

// SOAP 1.2 requests are served and answered in SOAP 1.2; mixing the
// versions' framing is refused.
func TestCookieSOAP12(t *testing.T) {
	c := newCookie(t, CookieConfig{})
	hc := jarClient(t)
	env12 := `<e:Envelope xmlns:e="` + NSSOAP12 + `"><e:Body><Echo xmlns="` + nsSAP + `"><Text>v12</Text></Echo></e:Body></e:Envelope>`
	as12 := func(r *http.Request) {
		r.Header.Del("SOAPAction")
		r.Header.Set("Content-Type", `application/soap+xml; charset=utf-8; action="urn:fakevendor:sap#Echo"`)
		r.SetBasicAuth("alice", "alice-pw")
	}
	r := post(t, hc, c.URL(), env12, as12)
	if r.status != 200 || r.env.Name.Space != NSSOAP12 || r.env.child(NSSOAP12, "Body").Children[0].child("*", "Text").text() != "v12" {
		t.Fatalf("SOAP 1.2 call: %d %s", r.status, r.body)
	}
	r = post(t, jarClient(t), c.StatefulURL(), env12, func(req *http.Request) { as12(req); req.Header.Del("Authorization") })
	if r.status != 401 {
		t.Fatalf("no auth: %d", r.status)
	}
	post(t, hc, c.StatefulURL(), env12, as12)
	c.KillAll()
	r = post(t, hc, c.StatefulURL(), env12, as12)
	f := r.env.child(NSSOAP12, "Body").child(NSSOAP12, "Fault")
	if f.child(NSSOAP12, "Code").child(NSSOAP12, "Value").text() != "env:Receiver" ||
		!strings.Contains(f.child(NSSOAP12, "Reason").child(NSSOAP12, "Text").text(), CookieCodeStateLost) {
		t.Errorf("SOAP 1.2 fault: %s", r.body)
	}
	// A SOAP 1.1 envelope sent as SOAP 1.2, and a SOAPAction header on 1.2.
	if r := post(t, hc, c.URL(), ckEnv("x"), as12); r.status == 200 {
		t.Errorf("1.1 envelope with a 1.2 content type accepted")
	}
	if r := post(t, hc, c.URL(), env12, func(req *http.Request) { as12(req); req.Header.Set("SOAPAction", "x") }); r.status != 400 {
		t.Errorf("SOAPAction on SOAP 1.2: %d", r.status)
	}
}

func TestCookieResponseNames(t *testing.T) {
	c := newCookie(t, CookieConfig{ResponseNames: map[string]string{"Query_sync": "Response_sync"}})
	r := post(t, jarClient(t), c.URL(), envelope("", `<Query_sync xmlns="urn:x"><Text>t</Text></Query_sync>`), basic("alice", "alice-pw"))
	if r.bodyElem().Name != xmlName("urn:x", "Response_sync") {
		t.Errorf("response element %v", r.bodyElem().Name)
	}
}
