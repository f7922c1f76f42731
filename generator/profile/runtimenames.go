package profile

// The emitter writes the compiled profile as an impl.Profile literal
// (package runtime/impl). The generator does not import it (generating code
// must not pull in the code it generates), so these methods give the names
// of the impl identifiers each setting compiles to; a test checks every
// name against runtime/impl/profile.go, so a rename there fails here first.

// RuntimeName is the impl.Scope constant for s.
func (s Scope) RuntimeName() string {
	switch s {
	case ScopeCall:
		return "ScopeCall"
	case ScopeExchange:
		return "ScopeExchange"
	}
	return "ScopeShared"
}

// RuntimeName is the impl.Relogin constant for r ("" means auto).
func (r Relogin) RuntimeName() string {
	if r == ReloginNever {
		return "ReloginNever"
	}
	return "ReloginAuto"
}

// RuntimeName is the impl.CookiePolicy constant for c ("" means all).
func (c Cookies) RuntimeName() string {
	if c == CookiesNamed {
		return "CookiesNamed"
	}
	return "CookiesAll"
}

// RuntimeName is the impl.LogoutWhen constant for w ("" means never).
func (w LogoutWhen) RuntimeName() string {
	if w == LogoutOnClose {
		return "LogoutOnClose"
	}
	return "LogoutNever"
}

// RuntimeName is the impl.Credential constant for c.
func (c Credential) RuntimeName() string {
	if c == CredentialPassword {
		return "CredentialPassword"
	}
	return "CredentialUser"
}

// LoginKind is the impl.LoginKind constant for p's login.
func (p *Profile) LoginKind() string {
	switch l := p.Login; {
	case l == nil:
		return "LoginNone"
	case l.Operation != nil:
		return "LoginOperation"
	case l.HTTP != "":
		return "LoginHTTP"
	case l.Borrowed != nil:
		return "LoginBorrowed"
	}
	return "LoginHeaders" // headers or wssecurity
}

// RuntimeKind is the impl.SourceKind constant for t.
func (t TokenSource) RuntimeKind() string {
	switch {
	case len(t.Login) > 0:
		return "FromLogin"
	case t.Header != nil:
		return "FromResponseHeader"
	case t.Cookie != "":
		return "FromCookie"
	}
	return "FromHTTPHeader"
}

// RuntimeKind is the impl.TargetKind constant for t.
func (t TokenTarget) RuntimeKind() string {
	switch {
	case t.Header != nil:
		return "ToSOAPHeader"
	case t.Cookie != "":
		return "ToCookie"
	}
	return "ToHTTPHeader"
}
