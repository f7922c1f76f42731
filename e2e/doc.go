// Package e2e drives the generated clients in golden/ (each compiled from a
// testdata/wsdl case and its built-in profile) against the strict fake
// vendors of internal/fakevendor, through the generated API only: the
// scenarios of the runtime's own tests, but with the profile the generator
// compiled and the types it generated. Every test asserts what the server
// counted (logins, calls, duplicates, protocol violations), scans the
// clients' debug logs, events and errors for secrets, and checks for
// goroutine leaks.
package e2e
