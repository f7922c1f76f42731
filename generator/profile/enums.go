package profile

// The enumerated string values of a profile. Each type lists its values so
// the parser can reject anything else and suggest the nearest one.

// enum is implemented by every enumerated string type.
type enum interface {
	values() []string
}

// Scope says who shares one session (impl.Scope).
type Scope string

const (
	// ScopeCall: credentials on every request, no session kept.
	ScopeCall Scope = "call"
	// ScopeExchange: one dedicated session per Exchange.
	ScopeExchange Scope = "exchange"
	// ScopeShared: one session for the client and, through a Store, a fleet.
	ScopeShared Scope = "shared"
)

func (Scope) values() []string { return []string{"call", "exchange", "shared"} }

// Relogin says what happens when a session is gone (impl.Relogin).
type Relogin string

const (
	// ReloginAuto (the default when omitted): log in once, resend once.
	ReloginAuto Relogin = "auto"
	// ReloginNever: the caller gets runtime.ErrSessionLost.
	ReloginNever Relogin = "never"
)

func (Relogin) values() []string { return []string{"auto", "never"} }

// Cookies says which cookies a session keeps (impl.CookiePolicy).
type Cookies string

const (
	// CookiesAll (the default when omitted): every cookie the server sets
	// on a session's responses is kept in the session's own jar and sent
	// back where its domain, path and Secure flag allow (a load
	// balancer's affinity cookie, a JSESSIONID the profile never names).
	CookiesAll Cookies = "all"
	// CookiesNamed: only the cookies tokens names are kept; every other
	// Set-Cookie is ignored.
	CookiesNamed Cookies = "named"
)

func (Cookies) values() []string { return []string{"all", "named"} }

// LogoutWhen says when the session engine logs out (impl.LogoutWhen).
type LogoutWhen string

const (
	// LogoutNever: let the server expire idle sessions.
	LogoutNever LogoutWhen = "never"
	// LogoutOnClose: log out when the last user of the session closes it.
	LogoutOnClose LogoutWhen = "on-close"
)

func (LogoutWhen) values() []string { return []string{"never", "on-close"} }

// Credential names which credential a header carries (impl.Credential).
type Credential string

const (
	CredentialUser     Credential = "user"
	CredentialPassword Credential = "password"
)

func (Credential) values() []string { return []string{"user", "password"} }

// WSSecurity names a WS-Security token profile.
type WSSecurity string

// WSSecurityUsernameToken is a UsernameToken with a PasswordText password.
const WSSecurityUsernameToken WSSecurity = "usernametoken"

func (WSSecurity) values() []string { return []string{"usernametoken"} }

// HTTPAuth names an HTTP authentication scheme.
type HTTPAuth string

const (
	// HTTPBasic: Authorization: Basic, from runtime.Password credentials.
	HTTPBasic HTTPAuth = "basic"
	// HTTPOAuth2ClientCredentials: a bearer token from
	// runtime.OAuth2ClientCredentials, cached for its lifetime.
	HTTPOAuth2ClientCredentials HTTPAuth = "oauth2-client-credentials"
)

func (HTTPAuth) values() []string { return []string{"basic", "oauth2-client-credentials"} }
