package fakevendor

import (
	"net/http"
	"testing"
	"time"
)

const nsAccount = "urn:crmondemand/ws/ecbs/account/10/2004"

func orHeaders(user, pass string, keepAlive bool) string {
	h := ""
	if keepAlive {
		h += `<crmod:SessionKeepAlive xmlns:crmod="urn:crmondemand/ws">true</crmod:SessionKeepAlive>`
	}
	if user != "" {
		h += `<wsse:Security xmlns:wsse="` + NSWSSE + `"><wsse:UsernameToken><wsse:Username>` + user +
			`</wsse:Username><wsse:Password Type="` + WSSEPasswordText + `">` + pass + `</wsse:Password></wsse:UsernameToken></wsse:Security>`
	}
	return h
}

func orEnv(user, pass string, keepAlive bool, text string) string {
	return envelope(orHeaders(user, pass, keepAlive), `<AccountWS_AccountQueryPage_Input xmlns="`+nsAccount+`"><Text>`+text+`</Text></AccountWS_AccountQueryPage_Input>`)
}

func withCookie(v string) func(*http.Request) {
	return func(r *http.Request) { r.AddCookie(&http.Cookie{Name: "JSESSIONID", Value: v}) }
}

func newOracle(t *testing.T) *Oracle {
	o := NewOracle(OracleConfig{Users: map[string]string{"crm@example.com": "crm-pw"}, Idle: 10 * time.Minute})
	t.Cleanup(o.Close)
	return o
}

func jsession(t *testing.T, r reply) string {
	t.Helper()
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "JSESSIONID" {
			return c.Value
		}
	}
	return ""
}

func TestOracleKeepAlive(t *testing.T) {
	o := newOracle(t)
	id := jsession(t, post(t, nil, o.URL(), orEnv("crm@example.com", "crm-pw", true, "a"), nil))
	if id == "" {
		t.Fatal("no JSESSIONID with SessionKeepAlive")
	}
	// The cookie alone authenticates.
	r := post(t, nil, o.URL(), orEnv("", "", true, "b"), withCookie(id))
	if r.status != 200 || r.bodyElem().child("*", "Seq").text() != "2" || r.bodyElem().child("*", "User").text() != "crm@example.com" {
		t.Fatalf("cookie call: %s", r.body)
	}
	if o.Logins.Load() != 1 || o.Calls.Load() != 2 {
		t.Errorf("logins %d calls %d", o.Logins.Load(), o.Calls.Load())
	}
	// Cookie and credentials: authenticated again, a new session, counted.
	id2 := jsession(t, post(t, nil, o.URL(), orEnv("crm@example.com", "crm-pw", true, "c"), withCookie(id)))
	if id2 == "" || id2 == id || o.BothSent.Load() != 1 || o.Violations.Load() != 1 || o.Logins.Load() != 2 {
		t.Errorf("cookie+credentials: both %d violations %d logins %d", o.BothSent.Load(), o.Violations.Load(), o.Logins.Load())
	}
}

func TestOracleNoKeepAlive(t *testing.T) {
	o := newOracle(t)
	r := post(t, nil, o.URL(), orEnv("crm@example.com", "crm-pw", false, "a"), nil)
	if id := jsession(t, r); id != "" {
		t.Errorf("cookie set without keep-alive")
	}
	if o.Logouts.Load() != 1 {
		t.Errorf("session not logged off after the request")
	}
}

func TestOracleRejects(t *testing.T) {
	o := newOracle(t)
	id := jsession(t, post(t, nil, o.URL(), orEnv("crm@example.com", "crm-pw", true, ""), nil))
	o.Clock().Advance(11 * time.Minute)
	r := post(t, nil, o.URL(), orEnv("", "", true, ""), withCookie(id))
	if _, str := r.fault(); r.status != 500 || o.RejectedFor(ReasonExpired) != 1 {
		t.Fatalf("expired cookie: %d %q", r.status, str)
	}
	noSecret(t, r.body, id)
	// After expiry the client authenticates again with credentials only.
	if jsession(t, post(t, nil, o.URL(), orEnv("crm@example.com", "crm-pw", true, ""), nil)) == "" {
		t.Fatal("re-authentication set no cookie")
	}
	if r := post(t, nil, o.URL(), orEnv("crm@example.com", "wrong", true, ""), nil); o.RejectedFor(ReasonBadCredentials) != 1 {
		t.Errorf("bad password: %s", r.body)
	} else {
		noSecret(t, r.body, "wrong", "crm-pw")
	}
	if post(t, nil, o.URL(), orEnv("", "", true, ""), nil); o.RejectedFor(ReasonNoSession) != 1 {
		t.Errorf("no cookie, no credentials accepted")
	}
	live := o.Cookies()
	if len(live) != 1 || !o.KillSession(live[0]) {
		t.Fatalf("live cookies %d", len(live))
	}
	if post(t, nil, o.URL(), orEnv("", "", true, ""), withCookie(live[0])); o.RejectedFor(ReasonKilled) != 1 {
		t.Errorf("killed session accepted")
	}
}
