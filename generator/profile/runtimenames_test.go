package profile

import (
	"reflect"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wsdlsess/wsdlsess/runtime"
)

// runtimeConsts maps the names RuntimeName/RuntimeKind return to the
// runtime's values, so a renamed or renumbered constant fails this test.
var runtimeConsts = map[string]any{
	"ScopeCall": runtime.ScopeCall, "ScopeExchange": runtime.ScopeExchange, "ScopeShared": runtime.ScopeShared,
	"ReloginAuto": runtime.ReloginAuto, "ReloginNever": runtime.ReloginNever,
	"LogoutNever": runtime.LogoutNever, "LogoutOnClose": runtime.LogoutOnClose,
	"CredentialUser": runtime.CredentialUser, "CredentialPassword": runtime.CredentialPassword,
	"LoginNone": runtime.LoginNone, "LoginOperation": runtime.LoginOperation,
	"LoginHeaders": runtime.LoginHeaders, "LoginHTTP": runtime.LoginHTTP,
	"FromLogin": runtime.FromLogin, "FromResponseHeader": runtime.FromResponseHeader,
	"FromCookie": runtime.FromCookie, "FromHTTPHeader": runtime.FromHTTPHeader,
	"ToSOAPHeader": runtime.ToSOAPHeader, "ToCookie": runtime.ToCookie, "ToHTTPHeader": runtime.ToHTTPHeader,
}

func TestRuntimeNames(t *testing.T) {
	check := func(name string, want any) {
		t.Helper()
		got, ok := runtimeConsts[name]
		if !ok || got != want {
			t.Errorf("%s: runtime has %v (%T), want %v", name, got, got, want)
		}
	}
	check(ScopeCall.RuntimeName(), runtime.ScopeCall)
	check(ScopeExchange.RuntimeName(), runtime.ScopeExchange)
	check(ScopeShared.RuntimeName(), runtime.ScopeShared)
	check(Relogin("").RuntimeName(), runtime.ReloginAuto)
	check(ReloginNever.RuntimeName(), runtime.ReloginNever)
	check(LogoutWhen("").RuntimeName(), runtime.LogoutNever)
	check(LogoutOnClose.RuntimeName(), runtime.LogoutOnClose)
	check(CredentialUser.RuntimeName(), runtime.CredentialUser)
	check(CredentialPassword.RuntimeName(), runtime.CredentialPassword)
	for name, want := range map[string]runtime.LoginKind{
		"none": runtime.LoginNone, "salesforce": runtime.LoginOperation, "siebel-none": runtime.LoginHeaders,
		"oracle-crmod": runtime.LoginHeaders, "cookie": runtime.LoginHTTP,
	} {
		p, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		check(p.LoginKind(), want)
	}
	check(TokenSource{Login: Path{"a"}}.RuntimeKind(), runtime.FromLogin)
	check(TokenSource{Header: &Element{Element: "a"}}.RuntimeKind(), runtime.FromResponseHeader)
	check(TokenSource{Cookie: "a"}.RuntimeKind(), runtime.FromCookie)
	check(TokenSource{HTTPHeader: "a"}.RuntimeKind(), runtime.FromHTTPHeader)
	check(TokenTarget{Header: &HeaderTarget{Element: "a"}}.RuntimeKind(), runtime.ToSOAPHeader)
	check(TokenTarget{Cookie: "a"}.RuntimeKind(), runtime.ToCookie)
	check(TokenTarget{HTTPHeader: &HTTPHeaderTarget{Name: "a"}}.RuntimeKind(), runtime.ToHTTPHeader)
}

// TestRuntimeProfileCovered fails when runtime.Profile (or one of its
// parts) gains or loses a field, so the profile format and BINDING.md are
// revisited with it. Each field is listed with the profile key(s) it comes
// from.
func TestRuntimeProfileCovered(t *testing.T) {
	for typ, keys := range map[reflect.Type]map[string]string{
		reflect.TypeFor[runtime.Profile](): {
			"Name": "name", "Login": "login", "Tokens": "tokens", "Send": "send", "Constant": "constant",
			"Rotate": "rotate", "Gone": "gone", "Limits": "limits", "Relogin": "relogin",
			"Logout": "logout.operation", "LogoutOn": "logout.when", "Scope": "scope",
			"PoolSize": "pool-size", "Invalidate": "invalidate",
		},
		reflect.TypeFor[runtime.Login](): {
			"Kind": "login.*", "Operation": "login.operation.name", "Request": "login.operation.user/password/set",
			"NewResponse": "login.operation.name", "Result": "tokens[].login, login.operation.endpoint/lifetime",
			"Headers": "login.headers", "WSSecurity": "login.wssecurity",
		},
		reflect.TypeFor[runtime.TokenSource]():      {"Kind": "tokens[].*", "Header": "header.namespace/element", "Path": "header.path", "Name": "cookie, http-header"},
		reflect.TypeFor[runtime.TokenTarget]():      {"Kind": "send[].*", "Header": "header.namespace/element", "Path": "header.path", "Name": "cookie, http-header.name", "Prefix": "http-header.prefix", "MustUnderstand": "header.must-understand"},
		reflect.TypeFor[runtime.HeaderValue]():      {"Name": "namespace/element", "Path": "path", "Value": "value"},
		reflect.TypeFor[runtime.CredentialHeader](): {"Name": "namespace/element", "Path": "path", "Value": "credential"},
		reflect.TypeFor[runtime.GoneRule]():         {"FaultCode": "fault-code", "FaultString": "fault-string", "Detail": "detail", "HTTPStatus": "http-status"},
		reflect.TypeFor[runtime.Limits]():           {"Idle": "idle", "TokenIdle": "token-idle", "MaxAge": "max-age", "RefreshMargin": "refresh-margin"},
		reflect.TypeFor[runtime.Logout]():           {"Operation": "operation", "Request": "set", "NewResponse": "operation"},
		reflect.TypeFor[runtime.Invalidate]():       {"Operation": "operation", "MaxBatch": "max-batch", "Request": "ids", "NewResponse": "operation", "Results": "results/success/error-code/error-message"},
	} {
		var got, want []string
		for i := range typ.NumField() {
			got = append(got, typ.Field(i).Name)
		}
		for k := range keys {
			want = append(want, k)
		}
		sort.Strings(got)
		sort.Strings(want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("runtime.%s fields changed (-mapped here +runtime); update the profile format, this map and BINDING.md:\n%s", typ.Name(), diff)
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
		{UseTokenSource, "urn:example", "SessionToken", Path{"value"}, "tokens[1].header"},
		{UseTokenTarget, "urn:example", "SessionHeader", Path{"sessionId"}, "send[0].header"},
		{UseConstant, "urn:example", "SessionType", nil, "constant[0]"},
		{UseConstant, "", "KeepAlive", Path{"flag"}, "constant[1]"},
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
