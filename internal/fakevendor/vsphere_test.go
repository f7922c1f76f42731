package fakevendor

import (
	"testing"
	"time"
)

func vsLogin(user, pass string) string {
	return envelope("", `<Login xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this><userName>`+user+`</userName><password>`+pass+`</password></Login>`)
}

func vsOp(op string) string {
	return envelope("", `<`+op+` xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></`+op+`>`)
}

func TestVSphere(t *testing.T) {
	v := NewVSphere(VSphereConfig{Users: map[string]string{"root": "vmware-pw"}, Idle: 30 * time.Minute})
	t.Cleanup(v.Close)
	hc := jarClient(t)
	r := post(t, hc, v.URL(), vsOp("RetrieveServiceContent"), nil)
	if r.status != 200 || r.bodyElem().child(NSVim25, "returnval").child(NSVim25, "sessionManager").text() != "SessionManager" {
		t.Errorf("RetrieveServiceContent without a session: %s", r.body)
	}
	if r := post(t, hc, v.URL(), vsOp("CurrentTime"), nil); v.RejectedFor(ReasonNoSession) != 1 {
		t.Errorf("unauthenticated call: %s", r.body)
	}
	if r := post(t, hc, v.URL(), vsLogin("root", "bad"), nil); v.RejectedFor(ReasonBadCredentials) != 1 {
		t.Errorf("bad login: %s", r.body)
	} else if r.bodyElem().child("", "detail").child(NSVim25, "InvalidLoginFault") == nil {
		t.Errorf("no InvalidLoginFault detail: %s", r.body)
	}
	if r := post(t, hc, v.URL(), vsLogin("root", "vmware-pw"), nil); r.status != 200 {
		t.Fatalf("login: %s", r.body)
	}
	if r := post(t, hc, v.URL(), vsOp("CurrentTime"), nil); r.status != 200 || v.Calls.Load() != 1 {
		t.Fatalf("CurrentTime: %s", r.body)
	}
	v.Clock().Advance(31 * time.Minute)
	r = post(t, hc, v.URL(), vsOp("CurrentTime"), nil)
	if r.bodyElem().child("", "detail").child(NSVim25, "NotAuthenticatedFault") == nil || v.RejectedFor(ReasonExpired) != 1 {
		t.Fatalf("expired: %s", r.body)
	}
	post(t, hc, v.URL(), vsLogin("root", "vmware-pw"), nil)
	if r := post(t, hc, v.URL(), vsOp("Logout"), nil); r.status != 200 || v.Logouts.Load() != 1 {
		t.Fatalf("logout: %s", r.body)
	}
	if post(t, hc, v.URL(), vsOp("CurrentTime"), nil); v.RejectedFor(ReasonUnknownSession) != 1 {
		t.Errorf("call after logout accepted")
	}
	for _, s := range v.Secrets() {
		noSecret(t, r.body, s)
	}
}
