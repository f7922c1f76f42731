// Package fakevendor holds strict fake vendor SOAP servers for tests: each one
// enforces the session rules of VENDORS.md (Salesforce, Siebel EAI, Oracle
// CRM On Demand, SAP-style cookie sessions with an OAuth2 client-credentials
// token endpoint, vSphere), counts every login, accepted and rejected call,
// stale token and protocol violation with atomic counters, offers kill
// switches, and reads time from an injectable Clock so tests never sleep.
//
// The fakes parse and write SOAP 1.1 envelopes with their own encoding/xml
// code and deliberately do not import the runtime package: the runtime is
// what they test, so it must not be tested with itself.
//
// Every fake follows one shape:
//
//	sf := fakevendor.NewSalesforce(fakevendor.SalesforceConfig{
//		Users: map[string]string{"alice": "secret"},
//		Clock: clock, // optional *fakevendor.Clock, shared with the client
//	})
//	defer sf.Close()
//	... point a client at sf.URL() ...
//	sf.Logins.Load(); sf.Calls.Load(); sf.RejectedFor(fakevendor.ReasonExpired)
//	sf.KillAll(); sf.KillRandom(rand.New(rand.NewPCG(1, 2)))
//	sf.Clock().Advance(31 * time.Minute)
//	for _, s := range sf.Secrets() { /* must not appear in logs */ }
//
// Stats (embedded in every SOAP fake) counts Logins, Logouts, accepted
// Calls, Rejected (and RejectedFor each Reason constant), Stale tokens,
// protocol Violations and Duplicates (a payload accepted twice, i.e. a call
// resent although the server had processed it). Business calls echo their
// Text with the User the server attributed the call to, a short hash of the
// Session that served it and its Seq number in that session, so tests can
// check who served what without ever seeing a token.
//
// Fault strings never contain passwords, tokens or cookie values, so a test
// can scan every error a client returns for secrets. Where VENDORS.md
// quotes a vendor's fault text (Siebel's token and wrong-password texts),
// the fake answers with exactly that text (SiebelTokenInvalid, …); error
// codes it does not name are the fakes' own choices, exported as constants
// (OracleCodeSession, …) and used by the built-in profiles in templates/.
//
// Hooks (OnCall, OnLogin) run inside a request before it is answered so
// that tests can hold requests in flight deterministically.
package fakevendor
