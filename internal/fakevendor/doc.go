// Package fakevendor holds strict fake vendor SOAP servers for tests: each one
// enforces the session rules of /work/shared/VENDORS.md (Salesforce, Siebel
// EAI, Oracle CRM On Demand, SAP-style cookie sessions with an OAuth2
// client-credentials token endpoint, vSphere), counts every login, accepted
// and rejected call, stale token and protocol violation with atomic
// counters, offers kill switches, and reads time from an injectable Clock so
// tests never sleep.
//
// The fakes parse and write SOAP 1.1 envelopes with their own encoding/xml
// code and deliberately do not import the runtime package: the runtime is
// what they test, so it must not be tested with itself.
//
// Fault strings never contain passwords, tokens or cookie values, so a test
// can scan every error a client returns for secrets.
package fakevendor
