package profile

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Validate checks everything about p that does not need the WSDL: required
// keys, formats of names, and settings that contradict each other. Parse
// calls it; call it again after changing a Profile in code. The error, when
// not nil, is an Errors value.
func (p *Profile) Validate() error {
	v := &validator{p: p}
	v.header()
	v.login()
	v.scope()
	v.tokens()
	v.send()
	v.constant()
	v.requestHeaders()
	v.rotation()
	v.state()
	v.gone()
	v.limits()
	v.logout()
	v.invalidate()
	return v.errs.sortedIn(p.File)
}

type validator struct {
	p    *Profile
	errs Errors
}

func (v *validator) errorf(key, format string, args ...any) {
	v.errs = append(v.errs, v.p.Errorf(key, format, args...))
}

// has reports whether key is written in the file. Profiles built in code
// have no positions; for them "written" means "not the zero value", which
// the callers check themselves.
func (v *validator) has(key string) bool {
	_, ok := v.p.positions[key]
	return ok
}

// also says where key, which a message about the key at depends on, was
// set, when another file of an extends chain set it: the fix may be in
// either file.
func (v *validator) also(at, key string) string {
	file, pos := v.p.Where(key)
	atFile, _ := v.p.Where(at)
	if _, ok := v.p.positions[key]; !ok || file == atFile {
		return ""
	}
	return fmt.Sprintf(" (%s is set by %s:%d)", key, file, pos.Line)
}

func (v *validator) match(key, value string, re *regexp.Regexp, what string) {
	if value != "" && !re.MatchString(value) {
		v.errorf(key, "%q is not %s", value, what)
	}
}

const (
	xmlName  = "an XML local name (a letter or _, then letters, digits, '.', '-', '_'; no prefix)"
	httpName = "an HTTP token (letters, digits and !#$%&'*+.^_`|~-)"
)

func (v *validator) element(key, ns, name string) {
	if name == "" {
		v.errorf(key, "element is missing; give the header element's local name (and its namespace)")
	}
	v.match(key+".element", name, nameRE, xmlName)
	v.match(key+".namespace", ns, namespaceRE, "a namespace URI (no spaces)")
}

func (v *validator) header() {
	p := v.p
	switch {
	case !v.has("version") && p.Version == 0:
		v.errorf("version", "missing; start the file with version: 1")
	case p.Version != Version:
		v.errorf("version", "%d is not supported; this wsdlsess reads version %d", p.Version, Version)
	}
	if p.Name == "" {
		v.errorf("name", "missing; name the profile (like acme-crm): it appears in logs and session store keys")
	}
	v.match("name", p.Name, profileNameRE, "a profile name (lower-case letters, digits and '-', like acme-crm)")
	if p.Scope == "" {
		v.errorf("scope", "missing; choose call (no session kept), exchange (one session per unit of work) or shared (one session for the client)")
	}
}

// kinds lists the names of the non-empty alternatives, for "exactly one of"
// rules.
func kinds(alts ...any) []string {
	var out []string
	for i := 0; i+1 < len(alts); i += 2 {
		if alts[i+1].(bool) {
			out = append(out, alts[i].(string))
		}
	}
	return out
}

func (v *validator) login() {
	l := v.p.Login
	if l == nil {
		return
	}
	k := kinds("operation", l.Operation != nil, "headers", len(l.Headers) > 0,
		"wssecurity", l.WSSecurity != "", "http", l.HTTP != "", "borrowed", l.Borrowed != nil)
	switch {
	case len(k) == 0:
		v.errorf("login", "empty; choose one of operation, headers, wssecurity, http, borrowed (or remove login for calls without a session)")
	case len(k) > 1:
		v.errorf("login", "gives %s; choose one: a vendor takes credentials one way (Siebel's headers are never mixed with WS-Security)", strings.Join(k, " and "))
	}
	if o := l.Operation; o != nil {
		if o.Name == "" {
			v.errorf("login.operation.name", "missing; give the WSDL operation that logs in (like login)")
		}
		v.match("login.operation.name", o.Name, nameRE, xmlName)
		if len(o.User) == 0 {
			v.errorf("login.operation.user", "missing; give the request path the user name goes to (like username)")
		}
		if len(o.Password) == 0 {
			v.errorf("login.operation.password", "missing; give the request path the password goes to (like password)")
		}
		if len(o.User) > 0 && o.User.String() == o.Password.String() {
			v.errorf("login.operation.password", "same path as user (%s); user name and password go to different fields", o.User)
		}
		if len(o.Lifetime) > 0 && o.LifetimeHeader != nil {
			v.errorf("login.operation.lifetime-header", "the lifetime is read from the body already (login.operation.lifetime); give one of them")
		}
		if h := o.LifetimeHeader; h != nil {
			v.element("login.operation.lifetime-header", h.Namespace, h.Element)
		}
		for _, f := range o.Set {
			if s := f.Path.String(); s == o.User.String() || s == o.Password.String() {
				v.errorf("login.operation.set."+s, "this path receives a credential; a fixed value would overwrite it, remove it")
			}
		}
		v.lend(o.Lend)
	}
	if l.Borrowed != nil {
		v.borrowed(l.Borrowed)
	}
	if hs := l.Headers; len(hs) > 0 {
		users, passwords := 0, 0
		for i, h := range hs {
			key := fmt.Sprintf("login.headers[%d]", i)
			v.element(key, h.Namespace, h.Element)
			switch h.Credential {
			case CredentialUser:
				users++
			case CredentialPassword:
				passwords++
			case "":
				v.errorf(key+".credential", "missing; say which credential this header carries: user or password")
			}
		}
		if users != 1 || passwords != 1 {
			v.errorf("login.headers", "has %d user and %d password headers; give exactly one of each (Siebel: UsernameToken and PasswordText)", users, passwords)
		}
	}
}

func (v *validator) scope() {
	p := v.p
	switch p.Scope {
	case ScopeCall:
		// Everything below describes a kept session; with none kept it
		// would be silently ignored, which hides a mistake.
		for _, k := range []struct {
			key string
			set bool
		}{
			{"stateful", p.Stateful}, {"tokens", v.has("tokens") || len(p.Tokens) > 0},
			{"send", v.has("send") || len(p.Send) > 0}, {"rotate", p.Rotate},
			{"gone", v.has("gone") || len(p.Gone) > 0}, {"limits", v.has("limits") || p.Limits != nil},
			{"relogin", v.has("relogin") || p.Relogin != ""}, {"pool-size", v.has("pool-size") || p.PoolSize != 0},
			{"cookies", v.has("cookies") || p.Cookies != ""},
			{"invalidate", v.has("invalidate") || p.Invalidate != nil},
		} {
			if k.set {
				v.errorf(k.key, "scope call keeps no session, so %s has nothing to act on; remove it, or use scope exchange or shared", k.key)
			}
		}
		if p.Login != nil && p.Login.Operation != nil {
			v.errorf("login.operation", "scope call would run the login operation before every call and never reuse the session; use scope exchange or shared")
		}
	case ScopeExchange, ScopeShared:
		if p.Login == nil {
			v.errorf("scope", "scope %s keeps a session, but login is missing: say how one is opened (login.operation, login.headers, login.wssecurity, login.http or login.borrowed), or use scope call", p.Scope)
		}
		if len(p.Tokens) == 0 && !p.borrows() {
			v.errorf("tokens", "missing; scope %s keeps a session, so say where its token comes from (login, header, cookie or http-header)", p.Scope)
		}
		if len(p.Send) == 0 {
			v.errorf("send", "missing; scope %s keeps a session, so say where its token goes (header, cookie or http-header)", p.Scope)
		}
		if len(p.Gone) == 0 {
			v.errorf("gone", "missing; say which responses mean the session is gone (like fault-code: INVALID_SESSION_ID, or http-status: 401), or a lost session is never noticed")
		}
	}
}

func (v *validator) tokens() {
	p := v.p
	fromLogin := -1
	for i, t := range p.Tokens {
		key := fmt.Sprintf("tokens[%d]", i)
		if len(t.Login) > 0 {
			if fromLogin >= 0 {
				v.errorf(key+".login", "tokens[%d] already reads the token from the login response, which holds one; remove one of them", fromLogin)
			}
			fromLogin = i
		}
		k := kinds("login", len(t.Login) > 0, "header", t.Header != nil, "cookie", t.Cookie != "", "http-header", t.HTTPHeader != "")
		switch {
		case len(k) == 0:
			v.errorf(key, "empty; give one of login, header, cookie, http-header")
		case len(k) > 1:
			v.errorf(key, "gives %s; one entry names one source, write one entry each", strings.Join(k, " and "))
		}
		if len(t.Login) > 0 && (p.Login == nil || p.Login.Operation == nil) {
			v.errorf(key+".login", "reads the login operation's response, but login.operation is missing; use a header, cookie or http-header source, or log in with an operation")
		}
		if h := t.Header; h != nil {
			v.element(key+".header", h.Namespace, h.Element)
		}
		v.match(key+".cookie", t.Cookie, tokenRE, "a cookie name, "+httpName)
		v.match(key+".http-header", t.HTTPHeader, tokenRE, "an HTTP header name, "+httpName)
		if t.Cookie != "" && !p.sendsCookie(t.Cookie) {
			v.errorf(key+".cookie", "the cookie %s is captured but never sent; add `- cookie: %s` to send", t.Cookie, t.Cookie)
		}
	}
}

func (p *Profile) sendsCookie(name string) bool {
	for _, s := range p.Send {
		if s.Cookie == name {
			return true
		}
	}
	return false
}

func (p *Profile) capturesCookie(name string) bool {
	for _, t := range p.Tokens {
		if t.Cookie == name {
			return true
		}
	}
	return false
}

func (v *validator) send() {
	p := v.p
	for i, s := range p.Send {
		key := fmt.Sprintf("send[%d]", i)
		k := kinds("header", s.Header != nil, "cookie", s.Cookie != "", "http-header", s.HTTPHeader != nil)
		switch {
		case len(k) == 0:
			v.errorf(key, "empty; give one of header, cookie, http-header")
		case len(k) > 1:
			v.errorf(key, "gives %s; one entry names one target, write one entry each", strings.Join(k, " and "))
		}
		if h := s.Header; h != nil {
			v.element(key+".header", h.Namespace, h.Element)
		}
		v.match(key+".cookie", s.Cookie, tokenRE, "a cookie name, "+httpName)
		if s.Cookie != "" && !p.capturesCookie(s.Cookie) {
			v.errorf(key+".cookie", "the cookie %s is sent but never captured; add `- cookie: %s` to tokens", s.Cookie, s.Cookie)
		}
		if h := s.HTTPHeader; h != nil {
			if h.Name == "" {
				v.errorf(key+".http-header.name", "missing; give the request HTTP header the token goes to (like Authorization)")
			}
			v.match(key+".http-header.name", h.Name, tokenRE, "an HTTP header name, "+httpName)
		}
	}
}

func (v *validator) constant() {
	for i, c := range v.p.Constant {
		key := fmt.Sprintf("constant[%d]", i)
		v.element(key, c.Namespace, c.Element)
		if c.Value == "" && v.p.positions != nil && !v.has(key+".value") {
			// "" is a meaningful value (Oracle reads an empty
			// SessionKeepAlive as false), so it must be written out.
			v.errorf(key+".value", "missing; give the element's text (value: \"\" for an empty element)")
		}
	}
}

// requestHeaders rejects a request header element given twice (as a
// credential, a token target or a constant): the request would carry two
// copies, or one value would silently win.
func (v *validator) requestHeaders() {
	first := map[string]string{}
	for _, h := range v.p.Headers() {
		if h.Use.Response() {
			continue
		}
		id := "{" + h.Namespace + "}" + h.Element + "/" + h.Path.String()
		if prev, dup := first[id]; dup {
			v.errorf(h.Key, "the request header %s%s is also set by %s; a header is sent once, remove one", h.Element, pathSuffix(h.Path), prev)
			continue
		}
		first[id] = h.Key
	}
}

func pathSuffix(p Path) string {
	if len(p) == 0 {
		return ""
	}
	return "/" + p.String()
}

func (v *validator) rotation() {
	p := v.p
	if p.Rotate {
		fromResponse := false
		for _, t := range p.Tokens {
			if len(t.Login) == 0 {
				fromResponse = true
			}
		}
		if len(p.Tokens) > 0 && !fromResponse {
			v.errorf("rotate", "a rotating token arrives on every response, but the only token source is the login response; add a header, cookie or http-header source to tokens")
		}
		if p.Scope == ScopeShared && p.PoolSize == 0 {
			v.errorf("rotate", "a rotating session serves one call at a time, so scope shared%s needs a pool; set pool-size (like 4, within the sessions the server allows), or use scope exchange", v.also("rotate", "scope"))
		}
	}
	if v.has("pool-size") || p.PoolSize != 0 {
		if p.PoolSize < 1 || p.PoolSize > 1000 {
			v.errorf("pool-size", "%d is out of range; give 1 to 1000", p.PoolSize)
		}
		if !p.Rotate && p.Scope != ScopeCall {
			v.errorf("pool-size", "a pool bounds the sessions of a rotating profile; without rotate: true one session serves calls in parallel, remove pool-size")
		}
	}
}

func (v *validator) state() {
	p := v.p
	if !p.Stateful {
		return
	}
	switch p.Relogin {
	case ReloginAuto:
		v.errorf("relogin", "auto with stateful: true%s would replace a lost session silently and lose its server-side state; use relogin: never (the caller gets runtime.ErrSessionLost)", v.also("relogin", "stateful"))
	case "":
		if p.Scope != ScopeCall {
			v.errorf("stateful", "stateful: true needs relogin: never (the default, auto, would hide lost server-side state); add relogin: never")
		}
	}
	if p.Scope == ScopeShared {
		v.errorf("scope", "shared with stateful: true%s mixes the server-side state of parallel callers in one session; use scope exchange", v.also("scope", "stateful"))
	}
}

func (v *validator) gone() {
	for i, g := range v.p.Gone {
		key := fmt.Sprintf("gone[%d]", i)
		if g == (GoneRule{}) && !v.has(key+".http-status") {
			v.errorf(key, "empty; give fault-code, fault-string, detail or http-status (all given must match)")
		}
		if v.has(key+".http-status") || g.HTTPStatus != 0 {
			if g.HTTPStatus < 100 || g.HTTPStatus > 599 {
				v.errorf(key+".http-status", "%d is not an HTTP status; give 100 to 599 (like 401)", g.HTTPStatus)
			}
		}
	}
}

func (v *validator) limits() {
	p := v.p
	l := p.Limits
	if l == nil {
		return
	}
	if *l == (Limits{}) && !v.has("limits.idle") && !v.has("limits.token-idle") && !v.has("limits.max-age") && !v.has("limits.refresh-margin") {
		v.errorf("limits", "empty; give idle, token-idle, max-age or refresh-margin, or remove limits")
		return
	}
	if !v.has("limits.refresh-margin") && l.RefreshMargin == 0 {
		return
	}
	lifetime := p.Login != nil && p.Login.Operation != nil && (len(p.Login.Operation.Lifetime) > 0 || p.Login.Operation.LifetimeHeader != nil)
	known := map[string]Duration{"idle": l.Idle, "token-idle": l.TokenIdle, "max-age": l.MaxAge}
	smallest, which := Duration(0), ""
	for _, k := range []string{"idle", "token-idle", "max-age"} {
		if d := known[k]; (d > 0 || v.has("limits."+k)) && (which == "" || d < smallest) {
			smallest, which = d, k
		}
	}
	switch {
	case which == "" && !lifetime:
		v.errorf("limits.refresh-margin", "no limit is known to refresh before; give idle, token-idle or max-age (or login.operation.lifetime), or remove refresh-margin")
	case which != "" && l.RefreshMargin >= smallest:
		v.errorf("limits.refresh-margin", "%s is not less than %s %s, so every call would log in again; make it a small part of it (like %s)",
			l.RefreshMargin, which, smallest, Duration(time.Duration(smallest)/10).String())
	}
}

func (v *validator) logout() {
	p := v.p
	l := p.Logout
	if l == nil {
		return
	}
	if l.When == "" {
		v.errorf("logout.when", "missing; give never (let the server expire sessions) or on-close")
	}
	if l.Operation == "" && len(l.Set) > 0 {
		v.errorf("logout.set", "sets fields of a logout request, but logout.operation is missing; add it or remove set")
	}
	v.match("logout.operation", l.Operation, nameRE, xmlName)
	if l.When == LogoutOnClose {
		if p.Scope == ScopeCall {
			v.errorf("logout.when", "on-close needs a session to end, but scope call keeps none; use when: never, or scope exchange or shared")
		} else if l.Operation == "" {
			v.errorf("logout.operation", "missing; logout on-close needs the WSDL operation that logs out (like logout); a session without one cannot be ended, use when: never")
		}
	}
}

func (v *validator) invalidate() {
	in := v.p.Invalidate
	if in == nil {
		return
	}
	if in.Operation == "" {
		v.errorf("invalidate.operation", "missing; give the WSDL operation that ends sessions by id (like invalidateSessions)")
	}
	v.match("invalidate.operation", in.Operation, nameRE, xmlName)
	if in.MaxBatch < 1 {
		v.errorf("invalidate.max-batch", "missing or below 1; give the number of ids one call accepts (Salesforce: 200)")
	}
	for _, f := range []struct {
		key  string
		path Path
		like string
	}{{"ids", in.IDs, "sessionIds"}, {"results", in.Results, "result"}, {"success", in.Success, "success"}} {
		if len(f.path) == 0 {
			v.errorf("invalidate."+f.key, "missing; give the path (like %s)", f.like)
		}
	}
}
