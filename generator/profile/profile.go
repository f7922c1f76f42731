// Package profile reads session profiles: the YAML files that say how a
// vendor's SOAP session is opened, carried, rotated, lost and ended.
//
// A Profile mirrors the YAML one to one. Parse checks everything that can be
// checked without the WSDL (keys, types, durations, paths, required keys per
// login kind, conflicting settings); binding the profile to a WSDL model and
// compiling it into a impl.Profile literal is the generator's next step
// (see BINDING.md). Every key keeps its line and column so that step can
// report errors at the right place (Profile.Errorf).
package profile

// Version is the only profile format version this package reads.
const Version = 1

// Profile is a parsed session profile. Field order and yaml names follow the
// file format; templates/profile.schema.json describes the same format.
type Profile struct {
	// Version must be 1.
	Version int `yaml:"version"`
	// Name identifies the profile in logs and store keys
	// (impl.Profile.Name).
	Name string `yaml:"name"`
	// Summary is one line for `wsdlsess profiles` and the generated doc
	// comment.
	Summary string `yaml:"summary,omitempty"`
	// Stateful says the server keeps state in the session that a new
	// session would not have (Siebel Stateful, SAP stateful services): a
	// lost session must surface (relogin never) and must not be shared by
	// parallel calls (scope exchange or call).
	Stateful bool `yaml:"stateful,omitempty"`
	// Login says how a session is opened; nil means no login at all.
	Login *Login `yaml:"login,omitempty"`
	// Tokens lists where the session token comes from, first match wins.
	Tokens []TokenSource `yaml:"tokens,omitempty"`
	// Send lists where the session token goes on each request.
	Send []TokenTarget `yaml:"send,omitempty"`
	// Constant lists SOAP header elements with fixed text sent on every
	// request.
	Constant []ConstantHeader `yaml:"constant,omitempty"`
	// Rotate says every response carries a new token that must be sent next.
	Rotate bool `yaml:"rotate,omitempty"`
	// Gone lists the rules by which a response means "session gone".
	Gone []GoneRule `yaml:"gone,omitempty"`
	// Limits are the known session and token lifetimes.
	Limits *Limits `yaml:"limits,omitempty"`
	// Relogin is auto (the default) or never.
	Relogin Relogin `yaml:"relogin,omitempty"`
	// Cookies says which cookies the server sets a session keeps: all
	// (the default) or only those named in tokens.
	Cookies Cookies `yaml:"cookies,omitempty"`
	// Logout says whether and how the session is ended; nil means never.
	Logout *Logout `yaml:"logout,omitempty"`
	// Scope says who shares one session.
	Scope Scope `yaml:"scope"`
	// PoolSize bounds the concurrent sessions of a rotating profile.
	PoolSize int `yaml:"pool-size,omitempty"`
	// Invalidate describes bulk invalidation; nil when not used.
	Invalidate *Invalidate `yaml:"invalidate,omitempty"`

	// File is the file name given to Parse, used in every message.
	File string `yaml:"-"`
	// positions maps a key path ("login.operation.name", "send[0]") to
	// where it appears in File.
	positions map[string]Pos
	// files is the file each key of positions was written in: File, or a
	// profile it extends.
	files map[string]string
	// removed and removedIn: keys a base set and an extending file removed
	// (key: null), where and in which file, so a message about the missing
	// key points at the removal.
	removed   map[string]Pos
	removedIn map[string]string
	// bases is the chain of extends, nearest first.
	bases []string
}

// Login says how a session is opened: exactly one of its fields is set.
type Login struct {
	// Operation: a WSDL operation takes the credentials and returns the
	// session (Salesforce login, vSphere Login).
	Operation *LoginOperation `yaml:"operation,omitempty"`
	// Headers: credential SOAP headers on the first request of a session
	// (Siebel UsernameToken / PasswordText).
	Headers []CredentialHeader `yaml:"headers,omitempty"`
	// WSSecurity: a WS-Security header on the first request of a session;
	// only "usernametoken" (Oracle CRM On Demand).
	WSSecurity WSSecurity `yaml:"wssecurity,omitempty"`
	// HTTP: HTTP authentication on the first request: "basic" or
	// "oauth2-client-credentials" (SAP-style cookie sessions).
	HTTP HTTPAuth `yaml:"http,omitempty"`
	// Borrowed: no login of this API's own; the session is another
	// client's, whose profile logs in with an operation (Salesforce
	// Metadata and Tooling take a Partner or Enterprise session).
	Borrowed *Borrowed `yaml:"borrowed,omitempty"`
}

// Borrowed says where a client that borrows another client's session sends
// its calls (impl.Borrow).
type Borrowed struct {
	// Endpoint names a URL the lender's login lends (its
	// login.operation.lend); omitted, the lender's own endpoint.
	Endpoint string `yaml:"endpoint,omitempty"`
	// Rewrite derives the endpoint from that URL: the first rule whose from
	// occurs in it replaces that occurrence by its to.
	Rewrite []Rewrite `yaml:"rewrite,omitempty"`
}

// Rewrite replaces From by To in a URL.
type Rewrite struct {
	From string `yaml:"from"`
	To   string `yaml:"to"`
}

// Lend is a URL of the login response lent, under Name, to the clients that
// borrow the session (login.borrowed.endpoint).
type Lend struct {
	Name     string `yaml:"name"`
	Endpoint Path   `yaml:"endpoint"`
}

// LoginOperation names the login operation and the paths of its credential
// and result fields. Request paths are relative to the operation's input
// body element, response paths to its output body element.
type LoginOperation struct {
	Name string `yaml:"name"`
	// User and Password are request paths the credentials are written to.
	User     Path `yaml:"user"`
	Password Path `yaml:"password"`
	// Endpoint is a response path holding the URL every later call goes to
	// (Salesforce result/serverUrl).
	Endpoint Path `yaml:"endpoint,omitempty"`
	// Lifetime is a response path holding the session's inactivity timeout
	// in seconds (Salesforce result/userInfo/sessionSecondsValid): the
	// runtime treats it as an idle limit that every call restarts
	// (impl.LoginResult.Lifetime).
	Lifetime Path `yaml:"lifetime,omitempty"`
	// LifetimeHeader is a SOAP response header element of the login
	// operation, with the path below it, whose text is the same lifetime
	// in seconds, for services that send it there (SessionToken/expiresIn);
	// give lifetime or lifetime-header, not both.
	LifetimeHeader *Element `yaml:"lifetime-header,omitempty"`
	// Set gives request fields a fixed value (vSphere _this =
	// SessionManager).
	Set Fields `yaml:"set,omitempty"`
	// Lend lists response paths of URLs given, by name, to the clients
	// that borrow this session (Salesforce result/metadataServerUrl as
	// metadata).
	Lend []Lend `yaml:"lend,omitempty"`
}

// CredentialHeader is a SOAP header element whose text is a credential.
type CredentialHeader struct {
	// Namespace may be omitted when the WSDL declares the element as a
	// binding header; the binder then takes the declared one.
	Namespace  string     `yaml:"namespace,omitempty"`
	Element    string     `yaml:"element"`
	Path       Path       `yaml:"path,omitempty"`
	Credential Credential `yaml:"credential"`
}

// TokenSource is one place the session token comes from: exactly one field
// is set.
type TokenSource struct {
	// Login is a response path of the login operation.
	Login Path `yaml:"login,omitempty"`
	// Header is a SOAP response header element.
	Header *Element `yaml:"header,omitempty"`
	// Cookie is the name of a cookie the server sets.
	Cookie string `yaml:"cookie,omitempty"`
	// HTTPHeader is the name of a response HTTP header.
	HTTPHeader string `yaml:"http-header,omitempty"`
}

// Element is a SOAP header element, with an optional path below it to the
// element whose text is meant.
type Element struct {
	Namespace string `yaml:"namespace,omitempty"`
	Element   string `yaml:"element"`
	Path      Path   `yaml:"path,omitempty"`
}

// TokenTarget is one place the session token is sent: exactly one field is
// set.
type TokenTarget struct {
	Header     *HeaderTarget     `yaml:"header,omitempty"`
	Cookie     string            `yaml:"cookie,omitempty"`
	HTTPHeader *HTTPHeaderTarget `yaml:"http-header,omitempty"`
}

// HeaderTarget is a SOAP request header element carrying the token.
type HeaderTarget struct {
	Namespace      string `yaml:"namespace,omitempty"`
	Element        string `yaml:"element"`
	Path           Path   `yaml:"path,omitempty"`
	MustUnderstand bool   `yaml:"must-understand,omitempty"`
}

// HTTPHeaderTarget is a request HTTP header carrying Prefix + token.
type HTTPHeaderTarget struct {
	Name   string `yaml:"name"`
	Prefix string `yaml:"prefix,omitempty" profile:"empty"`
}

// ConstantHeader is a SOAP header element with fixed text.
type ConstantHeader struct {
	Namespace string `yaml:"namespace,omitempty"`
	Element   string `yaml:"element"`
	Path      Path   `yaml:"path,omitempty"`
	Value     string `yaml:"value" profile:"empty"`
}

// GoneRule matches a response meaning "session gone"; every key given must
// match.
type GoneRule struct {
	// FaultCode matches the fault code or any SOAP 1.2 subcode, prefix
	// removed, by equality or suffix.
	FaultCode string `yaml:"fault-code,omitempty"`
	// FaultString matches when the fault string / reason contains it.
	FaultString string `yaml:"fault-string,omitempty"`
	// Detail matches when the fault detail contains it.
	Detail string `yaml:"detail,omitempty"`
	// HTTPStatus matches the response's HTTP status.
	HTTPStatus int `yaml:"http-status,omitempty"`
}

// Limits are known lifetimes; an omitted one is unknown or unlimited.
type Limits struct {
	Idle          Duration `yaml:"idle,omitempty"`
	TokenIdle     Duration `yaml:"token-idle,omitempty"`
	MaxAge        Duration `yaml:"max-age,omitempty"`
	RefreshMargin Duration `yaml:"refresh-margin,omitempty"`
}

// Logout says when the session is ended and by which operation.
type Logout struct {
	When      LogoutWhen `yaml:"when"`
	Operation string     `yaml:"operation,omitempty"`
	Set       Fields     `yaml:"set,omitempty"`
}

// Invalidate describes a bulk invalidation operation (Salesforce
// invalidateSessions). Ids is a request path; Results a response path to
// the repeated per-id result; Success, ErrorCode and ErrorMessage are paths
// inside one result.
type Invalidate struct {
	Operation    string `yaml:"operation"`
	MaxBatch     int    `yaml:"max-batch"`
	IDs          Path   `yaml:"ids"`
	Results      Path   `yaml:"results"`
	Success      Path   `yaml:"success"`
	ErrorCode    Path   `yaml:"error-code,omitempty"`
	ErrorMessage Path   `yaml:"error-message,omitempty"`
}
