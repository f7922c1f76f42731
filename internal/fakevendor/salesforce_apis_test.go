package fakevendor

import "testing"

func mdList(ns, id, typ string) string {
	return envelope(`<SessionHeader xmlns="`+ns+`"><sessionId>`+id+`</sessionId></SessionHeader>`,
		`<listMetadata xmlns="`+NSSalesforceMetadata+`"><queries><type>`+typ+`</type></queries><asOfVersion>60</asOfVersion></listMetadata>`)
}

// The Metadata endpoint is the login result's metadataServerUrl; it takes
// the Partner login's session in its own SessionHeader, ends with it, and
// has no login of its own.
func TestSalesforceMetadataSharesSessions(t *testing.T) {
	sf := newSF(t)
	r := post(t, nil, sf.URL(), sfLogin("alice", "alice-pw"), nil)
	res := r.bodyElem().child(NSSalesforcePartner, "result")
	id := res.child(NSSalesforcePartner, "sessionId").text()
	if got := res.child(NSSalesforcePartner, "metadataServerUrl").text(); got != sf.MetadataURL() {
		t.Fatalf("metadataServerUrl = %q, want %q", got, sf.MetadataURL())
	}
	r = post(t, nil, sf.MetadataURL(), mdList(NSSalesforceMetadata, id, "CustomObject"), nil)
	if r.status != 200 || r.bodyElem().child(NSSalesforceMetadata, "result").child(NSSalesforceMetadata, "fullName").text() != "CustomObject" {
		t.Fatalf("listMetadata: %d %s", r.status, r.body)
	}
	// The Partner namespace's SessionHeader is not the Metadata API's.
	r = post(t, nil, sf.MetadataURL(), mdList(NSSalesforcePartner, id, "x"), nil)
	if code, _ := r.fault(); code != "sf:INVALID_SESSION_ID" {
		t.Errorf("Partner SessionHeader at the Metadata endpoint: fault %q, want sf:INVALID_SESSION_ID", code)
	}
	if r := post(t, nil, sf.MetadataURL(), sfLogin("alice", "alice-pw"), nil); r.status == 200 {
		t.Errorf("login at the Metadata endpoint answered 200")
	}
	sf.KillAll()
	r = post(t, nil, sf.MetadataURL(), mdList(NSSalesforceMetadata, id, "y"), nil)
	if code, _ := r.fault(); code != "sf:INVALID_SESSION_ID" {
		t.Errorf("killed session at the Metadata endpoint: fault %q, want sf:INVALID_SESSION_ID", code)
	}
	if sf.Calls.Load() != 1 || sf.RejectedFor(ReasonKilled) != 1 || sf.RejectedFor(ReasonNoSession) != 1 {
		t.Errorf("calls %d, rejections %v", sf.Calls.Load(), sf.Reasons())
	}
}
