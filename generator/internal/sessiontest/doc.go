// Package sessiontest drives the golden gen-session client (a profile of
// our own, bound to a WSDL built to exercise the binder) against a small
// Acme server over real HTTP, so every closure the binder compiles is
// executed: nested and optional request fields, named simple types, an
// enumeration fixed by the profile, an attribute, the endpoint switch, the
// lifetime, the session header with mustUnderstand, a "session gone"
// fault, bulk invalidation with converted ids and per-id results, and the
// logout on Close. The vendor profiles are covered end to end in e2e/.
package sessiontest
