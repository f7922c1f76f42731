// Package runtime is what wsdlsess-generated clients run on: the options
// a program builds a client with (WithEndpoint, WithCredentials, WithStore,
// WithLogger, WithEvents, …), the credentials (Password, PasswordFunc,
// OAuth2ClientCredentials), the errors a call returns (*Fault for a SOAP
// fault, *HTTPError for an answer that is not a SOAP envelope, errors that
// wrap ErrSessionLost or ErrNotSent), the session Store a fleet shares, and
// the values of generated structs (Nillable, XSDAnyType, the XSD types).
//
// What a client guarantees (what is resent and when, how sessions are
// shared, renewed and ended, which answers are refused as hostile) is
// stated in the README:
// https://github.com/wsdlsess/wsdlsess#what-is-resent-and-when-the-guarantees
//
// Generated code also imports package runtime/impl, which is not for use
// by hand. runtime imports only the standard library and golang.org/x; a
// test enforces it.
package runtime

// How the engine works, for those who work on it (users: the README states
// the guarantees). Generated code hands an *impl.Operation descriptor and
// typed request/response values to one shared invoke path
// (Client.Invoke), in the manner of smithy-go's generated operations.
// The profile names below (LoginHeaders, ScopeShared, …) are package impl's.
//
// # Calls
//
// Invoke marshals in with encoding/xml as the single Body child, adds the
// profile's header elements (session token, constants, credentials) and
// the caller's typed headers (WithRequestHeaders), and POSTs it (SOAP 1.1:
// text/xml plus a SOAPAction header; SOAP 1.2: application/soap+xml with an
// action parameter). The answer's first Body child is decoded into out. A
// SOAP fault becomes *Fault (typed Detail when the Operation declares the
// detail element); anything that is not a SOAP envelope (a proxy's HTML, a
// wrong content type, an oversized body) becomes *HTTPError.
//
// # Sessions
//
// A slot holds one session and at most one login in flight: callers that
// find no valid session wait for that login, each with its own ctx; the
// login runs detached from the first caller's cancellation, bounded by a
// timeout. Logins by credentials on a business call (LoginHeaders,
// LoginHTTP) are led by one caller whose request carries the credentials;
// the others wait for the session its answer opens, and then send the
// session only (never both: the Oracle rule). A login the server refuses
// reaches every waiter as one error and is answered from memory for a
// second on the Clock, so a bad password causes no storm. Every login
// attempt that opens no session is one EventLoginFailed and one warning
// line (the error names the user, never the secret).
//
// OAuth2 client-credentials tokens are cached for their expires_in on the
// Clock, less the refresh margin (at least 10 s); one token request is in
// flight at a time. A cached token a server refuses (401, or a Gone rule
// on the request that carried it) is dropped and that request sent once
// more with a fresh token.
//
// The resend rule: a call the server may have processed is never sent
// again; only a call the server provably did not process is, at most once
// for each of two reasons:
//
//   - Session gone: its answer matched one of the profile's Gone rules (the
//     server rejected the session, so it did not process the call) and the
//     profile says ReloginAuto. Then exactly the rejected token is
//     invalidated (compare-and-delete: a newer token another caller
//     obtained survives), one login happens, and the call goes again. With
//     ReloginNever the error wraps ErrSessionLost; inside an Exchange the
//     loss is final for that exchange.
//   - Never sent: no connection was ever obtained for the request
//     (httptrace GotConn never fired) and the dial failed with something
//     other than a timeout (connection refused, unreachable, DNS): not a
//     byte can have reached the server. The request goes again once, after
//     100 ms. A dial timeout or an ended ctx is not resent. Every error of
//     a request that never got a connection wraps ErrNotSent, so a caller
//     knows it may send the call again itself.
//
// Everything else is never resent: a reset or EOF after the connection
// was made (even before any answer byte: the server may have read the
// request), a response cut off mid-body, a ctx deadline or
// http.Client.Timeout while waiting for the answer, HTTP errors and any
// other fault; their errors say the call may or may not have been
// processed. net/http may resend by itself only a request whose headers
// it had not yet written (noReplay): an HTTP/2 reset, a GOAWAY or an
// Idempotency-Key never makes it replay a request that left the process.
//
// Hostile answers: a response is refused with an *HTTPError, before
// encoding/xml sees it, when it carries a DTD or any other markup
// declaration (SOAP forbids them; so no entity is ever expanded), nests
// elements deeper than 1000 levels or gives one element more than 1000
// attributes; a header element or fault detail of more than 10,000
// elements fails its decode; a body larger than WithMaxResponseBytes fails
// while it streams, or at once when its Content-Length says so.
//
// Known limits (Limits.Idle, TokenIdle, MaxAge, a login's Lifetime) are
// checked on the Clock before every call; a session within RefreshMargin
// of a limit is replaced before the server would reject it. A login's
// Lifetime is an idle limit, like Limits.Idle: each answered call
// restarts it.
//
// Rotating profiles: the token read from each response replaces the one
// the request carried. A rotating session serves one call at a time; a
// pool of PoolSize sessions (WithPoolSize) gives parallelism. Rotating
// sessions stay in their process (never in the Store).
//
// Scopes: ScopeShared sessions belong to the client and, through the
// Store, to every client or process with the same profile name, endpoint
// and identity (the store key hashes them: never a secret). The protocol is
// Get → valid? use it : Lock → Get again → log in → CompareAndSwap →
// Unlock, so a fleet does one login per expiry. ScopeExchange gives every
// Exchange its own session, and every plain call a session of its own.
// ScopeCall sends the credentials on every request.
//
// Borrowed sessions: an API without a login of its own (Salesforce
// Metadata, Tooling) has a LoginBorrowed profile; its client is built with
// WithSessionFrom(loginClient) and calls on that client's shared session:
// its slot, single flight, Store and credentials. A "session gone" answer
// on either client drops that token once; the next call of either logs in
// once, through the login client. The borrowing client's endpoint comes
// from the session: a URL the login result lent (LoginResult.Lent), or the
// login client's endpoint, rewritten as Borrow says.
//
// Logout is never sent by default; with LogoutOnClose it is sent on Close
// of an exchange, and for the client-wide session when its last user (the
// client and its open exchanges) closes, unless that session is shared
// through a Store given with WithStore (other processes may still use it).
//
// Secrets: passwords, tokens and cookie values never appear in logs,
// events or error strings; sessions are named by the first 8 hex digits of
// the token's SHA-256.
