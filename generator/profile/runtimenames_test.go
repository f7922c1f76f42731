package profile

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// runtimeDecls reads the names the compiled profile refers to from
// runtime/impl/profile.go and runtime/impl/operation.go without compiling
// package impl (it may be half-written while others work on it): exported
// constants, and the fields of each struct type.
func runtimeDecls(t *testing.T) (consts map[string]bool, structs map[string][]string) {
	t.Helper()
	consts, structs = map[string]bool{}, map[string][]string{}
	fset := token.NewFileSet()
	for _, name := range []string{"profile.go", "operation.go"} {
		f, err := parser.ParseFile(fset, filepath.Join("..", "..", "runtime", "impl", name), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, spec := range g.Specs {
				switch s := spec.(type) {
				case *ast.ValueSpec:
					if g.Tok == token.CONST {
						for _, n := range s.Names {
							consts[n.Name] = true
						}
					}
				case *ast.TypeSpec:
					st, ok := s.Type.(*ast.StructType)
					if !ok {
						continue
					}
					var fields []string
					for _, fl := range st.Fields.List {
						for _, n := range fl.Names {
							fields = append(fields, n.Name)
						}
					}
					sort.Strings(fields)
					structs[s.Name.Name] = fields
				}
			}
		}
	}
	return consts, structs
}

// TestRuntimeNames checks that every impl identifier the emitter will
// write for a setting exists in package runtime/impl, and that each setting
// maps to the identifier of the same meaning.
func TestRuntimeNames(t *testing.T) {
	consts, _ := runtimeDecls(t)
	check := func(got, want string) {
		t.Helper()
		if got != want || !consts[want] {
			t.Errorf("got %s, want %s (present in impl: %v)", got, want, consts[want])
		}
	}
	check(ScopeCall.RuntimeName(), "ScopeCall")
	check(ScopeExchange.RuntimeName(), "ScopeExchange")
	check(ScopeShared.RuntimeName(), "ScopeShared")
	check(Relogin("").RuntimeName(), "ReloginAuto")
	check(ReloginAuto.RuntimeName(), "ReloginAuto")
	check(ReloginNever.RuntimeName(), "ReloginNever")
	check(Cookies("").RuntimeName(), "CookiesAll")
	check(CookiesAll.RuntimeName(), "CookiesAll")
	check(CookiesNamed.RuntimeName(), "CookiesNamed")
	check(LogoutWhen("").RuntimeName(), "LogoutNever")
	check(LogoutNever.RuntimeName(), "LogoutNever")
	check(LogoutOnClose.RuntimeName(), "LogoutOnClose")
	check(CredentialUser.RuntimeName(), "CredentialUser")
	check(CredentialPassword.RuntimeName(), "CredentialPassword")
	for name, want := range map[string]string{
		"none": "LoginNone", "salesforce": "LoginOperation", "siebel-none": "LoginHeaders",
		"oracle-crmod": "LoginHeaders", "cookie": "LoginHTTP", "vsphere": "LoginOperation",
		"salesforce-metadata": "LoginBorrowed", "salesforce-tooling": "LoginBorrowed",
	} {
		p, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		check(p.LoginKind(), want)
	}
	check(TokenSource{Login: Path{"a"}}.RuntimeKind(), "FromLogin")
	check(TokenSource{Header: &Element{Element: "a"}}.RuntimeKind(), "FromResponseHeader")
	check(TokenSource{Cookie: "a"}.RuntimeKind(), "FromCookie")
	check(TokenSource{HTTPHeader: "a"}.RuntimeKind(), "FromHTTPHeader")
	check(TokenTarget{Header: &HeaderTarget{Element: "a"}}.RuntimeKind(), "ToSOAPHeader")
	check(TokenTarget{Cookie: "a"}.RuntimeKind(), "ToCookie")
	check(TokenTarget{HTTPHeader: &HTTPHeaderTarget{Name: "a"}}.RuntimeKind(), "ToHTTPHeader")
}

// TestRuntimeProfileCovered fails when impl.Profile (or one of its
// parts) gains or loses a field, so the profile format and BINDING.md are
// revisited with it. Each field is listed with the profile key(s) it comes
// from.
func TestRuntimeProfileCovered(t *testing.T) {
	_, structs := runtimeDecls(t)
	for typ, keys := range map[string]map[string]string{
		"Profile": {
			"Name": "name", "Login": "login", "Tokens": "tokens", "Send": "send", "Constant": "constant",
			"Rotate": "rotate", "Gone": "gone", "Limits": "limits", "Relogin": "relogin", "Cookies": "cookies",
			"Logout": "logout.operation", "LogoutOn": "logout.when", "Scope": "scope",
			"PoolSize": "pool-size", "Invalidate": "invalidate",
		},
		"Login": {
			"Kind": "login.*", "Operation": "login.operation.name", "Request": "login.operation.user/password/set",
			"NewResponse": "login.operation.name", "Result": "tokens[].login, login.operation.endpoint/lifetime",
			"Headers": "login.headers", "WSSecurity": "login.wssecurity", "Borrow": "login.borrowed",
			"LifetimeHeader": "login.operation.lifetime-header", "LifetimePath": "login.operation.lifetime-header.path",
		},
		"LoginResult":      {"Token": "tokens[].login", "Endpoint": "login.operation.endpoint", "Lifetime": "login.operation.lifetime", "Lent": "login.operation.lend"},
		"Borrow":           {"Endpoint": "endpoint", "Rewrite": "rewrite"},
		"Rewrite":          {"From": "from", "To": "to"},
		"TokenSource":      {"Kind": "tokens[].*", "Header": "header.namespace/element", "Path": "header.path", "Name": "cookie, http-header"},
		"TokenTarget":      {"Kind": "send[].*", "Header": "header.namespace/element", "Path": "header.path", "Name": "cookie, http-header.name", "Prefix": "http-header.prefix", "MustUnderstand": "header.must-understand"},
		"HeaderValue":      {"Name": "namespace/element", "Path": "path", "Value": "value"},
		"CredentialHeader": {"Name": "namespace/element", "Path": "path", "Value": "credential"},
		"GoneRule":         {"FaultCode": "fault-code", "FaultString": "fault-string", "Detail": "detail", "HTTPStatus": "http-status"},
		"Limits":           {"Idle": "idle", "TokenIdle": "token-idle", "MaxAge": "max-age", "RefreshMargin": "refresh-margin"},
		"Logout":           {"Operation": "operation", "Request": "set", "NewResponse": "operation"},
		"Invalidate":       {"Operation": "operation", "MaxBatch": "max-batch", "Request": "ids", "NewResponse": "operation", "Results": "results/success/error-code/error-message"},
	} {
		var want []string
		for k := range keys {
			want = append(want, k)
		}
		sort.Strings(want)
		if diff := cmp.Diff(want, structs[typ]); diff != "" {
			t.Errorf("impl.%s fields changed (-mapped here +impl); update the profile format, this map and BINDING.md:\n%s", typ, diff)
		}
	}
}

func TestRefs(t *testing.T) {
	p, err := Load("testdata/good/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	wantOps := []OperationRef{
		{RoleLogin, "login", "login.operation.name"},
		{RoleLogout, "logout", "logout.operation"},
		{RoleInvalidate, "invalidateSessions", "invalidate.operation"},
	}
	if diff := cmp.Diff(wantOps, p.Operations()); diff != "" {
		t.Errorf("Operations (-want +got):\n%s", diff)
	}
	wantHeaders := []HeaderRef{
		{UseTokenSource, "urn:example", "SessionToken", Path{"value"}, "tokens[1].header", 1},
		{UseTokenTarget, "urn:example", "SessionHeader", Path{"sessionId"}, "send[0].header", 0},
		{UseConstant, "urn:example", "SessionType", nil, "constant[0]", 0},
		{UseConstant, "", "KeepAlive", Path{"flag"}, "constant[1]", 1},
	}
	if diff := cmp.Diff(wantHeaders, p.Headers()); diff != "" {
		t.Errorf("Headers (-want +got):\n%s", diff)
	}
	for _, h := range p.Headers() {
		if p.Pos(h.Key).Line == 0 {
			t.Errorf("%s: no position", h.Key)
		}
	}
	s, _ := Load("siebel-stateless")
	if hs := s.Headers(); len(hs) != 5 || hs[0].Use != UseCredential || hs[0].Element != "UsernameToken" || !hs[2].Use.Response() {
		t.Errorf("siebel-stateless headers: %+v", hs)
	}
}
