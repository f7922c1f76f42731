package impl

import (
	"encoding/xml"
	"time"
)

// Profile is a compiled session profile: how a vendor's session is opened,
// where its token comes from and goes to, when it rotates, what means "session
// gone", and when it ends. The generator compiles a YAML profile into a
// Profile literal in the generated package; the runtime never parses YAML.
//
// Typed parts (building a login request, reading a login response) are
// closures the generator writes against the generated types, so the runtime
// needs no reflection over paths.
type Profile struct {
	// Name identifies the profile in logs and store keys ("salesforce").
	Name string

	// Login says how credentials are presented.
	Login Login

	// Tokens lists where the session token comes from. The first source that
	// yields a non-empty value on a response wins.
	Tokens []TokenSource

	// Send lists where the session token goes on each request that carries
	// the session.
	Send []TokenTarget

	// Constant lists SOAP header elements with fixed text sent on every
	// request (Siebel SessionType, Oracle SessionKeepAlive).
	Constant []HeaderValue

	// Rotate is true when every response carries a new token that must be
	// sent next (Siebel). A rotating session serves one call at a time.
	Rotate bool

	// Gone lists the rules by which a response means "this session is gone".
	// Any matching rule counts.
	Gone []GoneRule

	// Limits are the session and token lifetimes the client knows, so it can
	// log in again before a predictable expiry.
	Limits Limits

	// Relogin says whether a lost session is replaced transparently.
	Relogin Relogin

	// Cookies says which cookies a session keeps.
	Cookies CookiePolicy

	// Logout describes the logout operation, if the WSDL has one; LogoutOn
	// says when it is called.
	Logout   *Logout
	LogoutOn LogoutWhen

	// Scope says who shares one session.
	Scope Scope

	// PoolSize bounds the number of concurrent sessions of a rotating
	// profile (0 means 1).
	PoolSize int

	// Invalidate describes bulk invalidation (Salesforce invalidateSessions),
	// nil when the WSDL has none.
	Invalidate *Invalidate
}

// LoginKind says how credentials reach the server.
type LoginKind int

const (
	// LoginNone: no session at all; calls go out bare.
	LoginNone LoginKind = iota
	// LoginOperation: a WSDL operation takes the credentials and returns the
	// session (Salesforce login, vSphere Login).
	LoginOperation
	// LoginHeaders: credential SOAP headers on the first request of a
	// session (Siebel UsernameToken/PasswordText; WS-Security UsernameToken
	// for Oracle CRM On Demand). The response opens the session.
	LoginHeaders
	// LoginHTTP: HTTP authentication (Basic, or an OAuth2 bearer token) on
	// the first request; the server answers with a session cookie.
	LoginHTTP
	// LoginBorrowed: the session is another client's, given with
	// WithSessionFrom: that client's login operation opens it, and this one
	// sends the same token to an endpoint the login names (Salesforce
	// Metadata, Tooling and Apex APIs, which have no login of their own).
	LoginBorrowed
)

// Login says how a session is opened.
type Login struct {
	Kind LoginKind

	// For LoginOperation.
	Operation *Operation
	// Request builds the login request body from resolved credentials.
	Request func(user, password string) any
	// NewResponse allocates the login response body.
	NewResponse func() any
	// Result reads the session out of the decoded login response.
	Result func(resp any) (LoginResult, error)
	// LifetimeHeader, when its Local is set, is a SOAP header element of
	// the login response whose text at LifetimePath below it is the
	// session's lifetime in seconds, for services that send it there
	// rather than in the body (<SessionToken><expiresIn>900</…></…>). It
	// means what LoginResult.Lifetime means and is read when Result gave
	// none; a missing, non-numeric or non-positive value leaves the
	// lifetime unknown.
	LifetimeHeader xml.Name
	LifetimePath   []string

	// For LoginHeaders: SOAP header elements whose text is a credential.
	Headers []CredentialHeader
	// WSSecurity adds a WS-Security UsernameToken (PasswordText) header.
	WSSecurity bool

	// For LoginBorrowed: where calls go; nil means the lender's endpoint.
	Borrow *Borrow
}

// Borrow says where a client that borrows another client's session sends
// its calls: a URL the lender's login result gives, rewritten.
type Borrow struct {
	// Endpoint names a URL of the lender's LoginResult.Lent ("metadata":
	// Salesforce metadataServerUrl); "" means the lender's own endpoint
	// (Salesforce serverUrl).
	Endpoint string
	// Rewrite, when set, derives the endpoint from that URL: the first rule
	// whose From occurs in it replaces that occurrence by To (Salesforce
	// Tooling: /services/Soap/u/ by /services/Soap/T/). A URL no rule
	// matches is an error: a call must not go to the lender's API.
	Rewrite []Rewrite
}

// Rewrite replaces From by To in a URL.
type Rewrite struct{ From, To string }

// LoginResult is what a login operation returns.
type LoginResult struct {
	// Token is the session id.
	Token string
	// Endpoint, when set, is where every later call goes (Salesforce
	// serverUrl).
	Endpoint string
	// Lifetime, when known from the response, is an inactivity limit: the
	// server ends the session when it has carried no call for this long
	// (Salesforce userInfo/sessionSecondsValid, the org's session timeout).
	// Like Limits.Idle, every call the server answers restarts it, so a
	// busy session is never replaced for its age; an idle one is replaced
	// before its next call once it has been idle for Lifetime less the
	// refresh margin. An absolute limit belongs in Limits.MaxAge.
	Lifetime time.Duration
	// Lent holds named URLs the login result gives the clients that borrow
	// this session (Salesforce metadataServerUrl as "metadata"; see
	// Borrow.Endpoint).
	Lent map[string]string
}

// Credential names which credential a header element carries.
type Credential int

const (
	CredentialUser Credential = iota + 1
	CredentialPassword
)

// CredentialHeader is a SOAP header element at Path under Name whose text is
// a credential (Siebel: {http://siebel.com/webservices}UsernameToken).
type CredentialHeader struct {
	Name  xml.Name
	Path  []string
	Value Credential
}

// SourceKind says where a token is read from.
type SourceKind int

const (
	// FromLogin: LoginResult.Token of a login operation.
	FromLogin SourceKind = iota + 1
	// FromResponseHeader: the text of SOAP response header element Header,
	// at Path below it.
	FromResponseHeader
	// FromCookie: the value of the cookie Name set by the server.
	FromCookie
	// FromHTTPHeader: the value of response HTTP header Name.
	FromHTTPHeader
)

// TokenSource is one place a session token comes from.
type TokenSource struct {
	Kind   SourceKind
	Header xml.Name
	Path   []string
	Name   string
}

// TargetKind says where a token is sent.
type TargetKind int

const (
	// ToSOAPHeader: a SOAP header element Header with the token as the text
	// of the child at Path (<SessionHeader><sessionId>tok</…></…>); an
	// empty Path puts the token in Header's own text.
	ToSOAPHeader TargetKind = iota + 1
	// ToCookie: the cookie Name, kept in the session's own cookie jar with
	// the domain and path the server set.
	ToCookie
	// ToHTTPHeader: request HTTP header Name with value Prefix+token.
	ToHTTPHeader
)

// TokenTarget is one place a session token is sent.
type TokenTarget struct {
	Kind   TargetKind
	Header xml.Name
	Path   []string
	Name   string
	Prefix string
	// MustUnderstand sets soap:mustUnderstand on a SOAP header target.
	MustUnderstand bool
}

// HeaderValue is a SOAP header element with fixed text.
type HeaderValue struct {
	Name  xml.Name
	Path  []string
	Value string
}

// GoneRule matches a response that means "session gone". Every non-empty
// field must match for the rule to match.
type GoneRule struct {
	// FaultCode matches when a fault's code or any subcode, with its prefix
	// removed, equals or ends with this text ("INVALID_SESSION_ID" matches
	// "sf:INVALID_SESSION_ID").
	FaultCode string
	// FaultString matches when the fault string / reason contains this text
	// (Siebel puts its error code there: "SBL-UIF-00880").
	FaultString string
	// Detail matches when the fault detail contains this text in its
	// character data, an element's local name or an attribute value (with
	// a QName prefix removed), so a fault type named only by its element or
	// xsi:type (vSphere <NotAuthenticatedFault xsi:type="NotAuthenticated">)
	// matches too.
	Detail string
	// HTTPStatus matches the HTTP status of the response.
	HTTPStatus int
}

// Limits are known session lifetimes. Zero means unknown or unlimited.
type Limits struct {
	// Idle: the server ends a session unused for this long.
	Idle time.Duration
	// TokenIdle: a token unused for this long is rejected (Siebel
	// SessionTokenTimeout); each use refreshes it.
	TokenIdle time.Duration
	// MaxAge: a token older than this is rejected however it is used
	// (Siebel SessionTokenMaxAge).
	MaxAge time.Duration
	// RefreshMargin: log in again this long before a known limit is reached.
	RefreshMargin time.Duration
}

// Relogin says what happens when a session is gone.
type Relogin int

const (
	// ReloginAuto: invalidate the rejected token, log in once, resend once.
	ReloginAuto Relogin = iota
	// ReloginNever: surface ErrSessionLost; server-side state was lost.
	ReloginNever
)

// CookiePolicy says which cookies the server sets a session keeps. Each
// session has a cookie jar of its own (never shared between sessions or
// identities); a cookie it keeps is sent back on the session's later
// requests where its domain, path, expiry and Secure flag allow, survives
// token rotation, is dropped with the session (a relogin starts an empty
// jar), and, when set on the response that opened the session, is saved
// with it in the Store. Scope call keeps no session, so no cookie.
type CookiePolicy int

const (
	// CookiesAll: every cookie the server sets is kept, whether the
	// profile names it or not (a load balancer's affinity cookie, a
	// JSESSIONID an application server adds).
	CookiesAll CookiePolicy = iota
	// CookiesNamed: only the cookies the profile's Tokens name
	// (FromCookie) are kept; every other Set-Cookie is ignored.
	CookiesNamed
)

// LogoutWhen says when the session engine logs out.
type LogoutWhen int

const (
	// LogoutNever: let the server expire idle sessions (the Salesforce
	// lesson: a logout ends the session for every concurrent user of it).
	LogoutNever LogoutWhen = iota
	// LogoutOnClose: log out when the last user of the session closes it.
	LogoutOnClose
)

// Logout describes a logout operation.
type Logout struct {
	Operation   *Operation
	Request     func() any
	NewResponse func() any
}

// Scope says who shares one session.
type Scope int

const (
	// ScopeShared: one session for all calls of the client and, through a
	// Store, of every process with the same endpoint and identity.
	ScopeShared Scope = iota
	// ScopeExchange: one dedicated session per Exchange; plain client calls
	// each get a session of their own.
	ScopeExchange
	// ScopeCall: credentials on every request, no session kept.
	ScopeCall
)

// Invalidate describes a bulk session invalidation operation.
type Invalidate struct {
	Operation *Operation
	// MaxBatch is the number of ids one call accepts (Salesforce: 200).
	MaxBatch    int
	Request     func(ids []string) any
	NewResponse func() any
	// Results returns one error (nil for success) per id, in request order.
	Results func(resp any) []error
}
