// Package runtime is what every wsdlsess-generated client imports: SOAP 1.1
// and 1.2 envelopes, faults, the HTTP transport and the session engine that
// logs in, injects, rotates and re-logs in by the rules of a compiled
// session Profile.
//
// Generated code hands an *Operation descriptor and typed request/response
// values to one shared invoke path (Client.Invoke), in the manner of
// smithy-go's generated operations. The package imports only the standard
// library and golang.org/x; a test enforces that.
package runtime
