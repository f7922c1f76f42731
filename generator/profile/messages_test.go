package profile

import (
	"fmt"
	"strings"
	"testing"
)

// TestMessages covers the smaller message paths of the walker and the
// validator with inline profiles; the golden files in testdata/bad cover
// one case per failure class, these the remaining shapes of each class.
func TestMessages(t *testing.T) {
	const cookieSession = "login: {http: basic}\ntokens: [{cookie: SID}]\nsend: [{cookie: SID}]\ngone: [{http-status: 401}]\n"
	for _, c := range []struct{ name, yaml, want string }{
		{"mapping where a scalar is", "version: 1\nname: a\nscope: call\nlogin: basic\n",
			"p.yaml:4: login: want a mapping (keys: operation, headers, wssecurity, http, borrowed), got the string \"basic\""},
		{"scalar where a mapping is", "version: 1\nname: {a: b}\nscope: call\n",
			"p.yaml:2: name: want a string, got a mapping"},
		{"null value", "version: 1\nname: a\nscope:\n",
			"p.yaml:3: scope: no value; give one of call, exchange, shared or remove the key"},
		{"string where an integer is", "version: \"1\"\nname: a\nscope: call\n",
			"p.yaml:1: version: want an integer, got the string \"1\""},
		{"integer out of range", "version: 1\nname: a\nscope: call\npool-size: 99999999999999999999\n",
			"p.yaml:4: pool-size: want an integer, got the number 99999999999999999999"},
		{"string where a boolean is", "version: 1\nname: a\nscope: call\nrotate: yes\n",
			"p.yaml:4: rotate: want true or false, got the string \"yes\""},
		{"number where a duration is", "version: 1\nname: a\nscope: shared\n" + cookieSession + "limits: {idle: 90}\n",
			"p.yaml:8: limits.idle: want a duration (like 90s or 2h), got the integer 90"},
		{"number where a path is", "version: 1\nname: a\nscope: shared\nlogin: {operation: {name: login, user: 1, password: p}}\n",
			"p.yaml:4: login.operation.user: want a path (like result/sessionId), got the integer 1"},
		{"enum nested", "version: 1\nname: a\nscope: call\nlogin: {http: oauth}\n",
			"p.yaml:4: login.http: \"oauth\" is not one of basic, oauth2-client-credentials"},
		{"non-string key", "version: 1\nname: a\nscope: call\n1: x\n",
			"p.yaml:4: a key must be a name, got the integer 1; valid keys here: extends, version, name, summary, stateful, login, tokens, send, constant, rotate, gone, limits, relogin, cookies, logout, scope, pool-size, invalidate"},
		{"set not a mapping", "version: 1\nname: a\nscope: shared\nlogin: {operation: {name: l, user: u, password: p, set: [a]}}\n",
			"p.yaml:4: login.operation.set: want a mapping of request path to value (like _this: SessionManager), got a list"},
		{"set empty", "version: 1\nname: a\nscope: shared\nlogin: {operation: {name: l, user: u, password: p, set: {}}}\n",
			"p.yaml:4: login.operation.set: empty mapping; give at least one path: value or remove the key"},
		{"set bad path", "version: 1\nname: a\nscope: shared\nlogin: {operation: {name: l, user: u, password: p, set: {a/: x}}}\n",
			"p.yaml:4: login.operation.set.a/: \"a/\" is not a request field path; write element names separated by \"/\", like credentials/mode (an attribute last, like credentials/@version)"},
		{"set path with alternatives", "version: 1\nname: a\nscope: shared\nlogin: {operation: {name: l, user: u, password: p, set: {a | b: x}}}\n",
			"p.yaml:4: login.operation.set.a | b: \"a | b\" is not a request field path; write element names separated by \"/\", like credentials/mode (an attribute last, like credentials/@version)"},
		{"set key not a string", "version: 1\nname: a\nscope: shared\nlogin: {operation: {name: l, user: u, password: p, set: {1: x}}}\n",
			"p.yaml:4: login.operation.set: a key must be a request path, got the integer 1"},
		{"set twice", "version: 1\nname: a\nscope: shared\nlogin:\n  operation:\n    name: l\n    user: u\n    password: p\n    set:\n      a: x\n      a: y\n",
			"p.yaml:11: login.operation.set.a: given twice (first at line 10); keep one"},
		{"set value not a string", "version: 1\nname: a\nscope: shared\nlogin: {operation: {name: l, user: u, password: p, set: {a: 5}}}\n",
			"p.yaml:4: login.operation.set.a: want a string, got the integer 5; quote it: \"5\""},
		{"set value alias", "version: 1\nname: &n a\nscope: shared\nlogin: {operation: {name: l, user: u, password: p, set: {a: *n}}}\n",
			"p.yaml:4: login.operation.set.a: YAML aliases (*n) are not supported in a profile; write the value out"},
		{"empty list", "version: 1\nname: a\nscope: call\nconstant: []\n",
			"p.yaml:4: constant: empty list; give at least one entry or remove the key"},
		{"custom tag", "version: 1\nname: !foo a\nscope: call\n",
			"p.yaml:2: name: YAML tag !foo is not supported in a profile; remove it"},
		{"bad profile name", "version: 1\nname: Acme CRM\nscope: call\n",
			"p.yaml:2: name: \"Acme CRM\" is not a profile name (lower-case letters, digits and '-', like acme-crm)"},
		{"bad namespace", "version: 1\nname: a\nscope: call\nconstant: [{namespace: \"urn: x\", element: E, value: v}]\n",
			"p.yaml:4: constant[0].namespace: \"urn: x\" is not a namespace URI (no spaces)"},
		{"bad cookie name", "version: 1\nname: a\nscope: shared\nlogin: {http: basic}\ntokens: [{cookie: \"a b\"}]\nsend: [{cookie: \"a b\"}]\ngone: [{http-status: 401}]\n",
			"p.yaml:5: tokens[0].cookie: \"a b\" is not a cookie name, an HTTP token (letters, digits and !#$%&'*+.^_`|~-)\np.yaml:6: send[0].cookie: \"a b\" is not a cookie name, an HTTP token (letters, digits and !#$%&'*+.^_`|~-)"},
		{"http-header target without name", "version: 1\nname: a\nscope: shared\nlogin: {http: basic}\ntokens: [{http-header: X-S}]\nsend: [{http-header: {prefix: \"S \"}}]\ngone: [{http-status: 401}]\n",
			"p.yaml:6: send[0].http-header.name: missing; give the request HTTP header the token goes to (like Authorization)"},
		{"send entry with two targets", "version: 1\nname: a\nscope: shared\n" + strings.Replace(cookieSession, "send: [{cookie: SID}]", "send: [{cookie: SID, http-header: {name: X}}]", 1),
			"p.yaml:6: send[0]: gives cookie and http-header; one entry names one target, write one entry each"},
		{"empty send entry", "version: 1\nname: a\nscope: shared\n" + strings.Replace(cookieSession, "send: [{cookie: SID}]", "send: [{cookie: SID}, {}]", 1),
			"p.yaml:6: send[1]: empty; give one of header, cookie, http-header"},
		{"header without element", "version: 1\nname: a\nscope: call\nlogin: {headers: [{namespace: n, credential: user}, {element: P, credential: password}]}\n",
			"p.yaml:4: login.headers[0]: element is missing; give the header element's local name (and its namespace)"},
		{"header without credential", "version: 1\nname: a\nscope: call\nlogin: {headers: [{element: U}, {element: P, credential: password}]}\n",
			"p.yaml:4: login.headers: has 0 user and 1 password headers; give exactly one of each (Siebel: UsernameToken and PasswordText)\np.yaml:4: login.headers[0].credential: missing; say which credential this header carries: user or password"},
		{"empty login", "version: 1\nname: a\nscope: call\nlogin: {}\n",
			"p.yaml:4: login: empty; choose one of operation, headers, wssecurity, http, borrowed (or remove login for calls without a session)"},
		{"login operation without name", "version: 1\nname: a\nscope: shared\nlogin: {operation: {user: u, password: p}}\ntokens: [{login: r/s}]\nsend: [{header: {element: S}}]\ngone: [{fault-code: X}]\n",
			"p.yaml:4: login.operation.name: missing; give the WSDL operation that logs in (like login)"},
		{"login operation without user", "version: 1\nname: a\nscope: shared\nlogin: {operation: {name: l, password: p}}\ntokens: [{login: r/s}]\nsend: [{header: {element: S}}]\ngone: [{fault-code: X}]\n",
			"p.yaml:4: login.operation.user: missing; give the request path the user name goes to (like username)"},
		{"stateful without relogin", "version: 1\nname: a\nstateful: true\nscope: exchange\n" + cookieSession,
			"p.yaml:3: stateful: stateful: true needs relogin: never (the default, auto, would hide lost server-side state); add relogin: never"},
		{"stateful with scope call", "version: 1\nname: a\nstateful: true\nscope: call\n",
			"p.yaml:3: stateful: scope call keeps no session, so stateful has nothing to act on; remove it, or use scope exchange or shared"},
		{"pool out of range", "version: 1\nname: a\nscope: exchange\nrotate: true\npool-size: 0\n" + strings.Replace(cookieSession, "SID", "S", 2),
			"p.yaml:5: pool-size: 0 is out of range; give 1 to 1000"},
		{"empty limits", "version: 1\nname: a\nscope: shared\n" + cookieSession + "limits: {}\n",
			"p.yaml:8: limits: empty; give idle, token-idle, max-age or refresh-margin, or remove limits"},
		{"logout without when", "version: 1\nname: a\nscope: shared\n" + cookieSession + "logout: {operation: out}\n",
			"p.yaml:8: logout.when: missing; give never (let the server expire sessions) or on-close"},
		{"logout set without operation", "version: 1\nname: a\nscope: shared\n" + cookieSession + "logout: {when: never, set: {a: b}}\n",
			"p.yaml:8: logout.set: sets fields of a logout request, but logout.operation is missing; add it or remove set"},
		{"invalidate without operation", "version: 1\nname: a\nscope: shared\n" + cookieSession + "invalidate: {max-batch: 1, ids: i, results: r, success: s}\n",
			"p.yaml:8: invalidate.operation: missing; give the WSDL operation that ends sessions by id (like invalidateSessions)"},
		{"zero limit counts", "version: 1\nname: a\nscope: shared\n" + cookieSession + "limits: {idle: 0s, refresh-margin: 1s}\n",
			"p.yaml:8: limits.refresh-margin: 1s is not less than idle 0s, so every call would log in again; make it a small part of it (like 0s)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("p.yaml", []byte(c.yaml))
			if err == nil || err.Error() != c.want {
				t.Errorf("got:\n%v\nwant:\n%s", err, c.want)
			}
		})
	}
}

func TestManyErrorsTruncated(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\nname: a\nscope: call\n")
	for i := range 12 {
		fmt.Fprintf(&b, "unknown%d: x\n", i)
	}
	_, err := Parse("p.yaml", []byte(b.String()))
	lines := strings.Split(fmt.Sprint(err), "\n")
	if len(lines) != maxErrors+1 || lines[maxErrors] != "p.yaml: and 2 more problems" {
		t.Errorf("got %d lines, last %q", len(lines), lines[len(lines)-1])
	}
}

// TestValidateInCode: a Profile built in Go, without a file, validates
// with the same rules; messages then carry no line.
func TestValidateInCode(t *testing.T) {
	p := &Profile{Version: 1, Name: "x", Scope: ScopeShared, Stateful: true, Relogin: ReloginNever,
		Login: &Login{HTTP: HTTPBasic}, Tokens: []TokenSource{{Cookie: "S"}}, Send: []TokenTarget{{Cookie: "S"}},
		Gone: []GoneRule{{HTTPStatus: 401}}}
	want := ": scope: shared with stateful: true mixes the server-side state of parallel callers in one session; use scope exchange"
	if err := p.Validate(); err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	p.Scope = ScopeExchange
	if err := p.Validate(); err != nil {
		t.Errorf("valid profile: %v", err)
	}
}

func TestPathAttribute(t *testing.T) {
	var p Path
	if err := p.parse("_this/@type"); err != nil {
		t.Fatal(err)
	}
	if a, ok := p.Attribute(); !ok || a != "type" || p.String() != "_this/@type" {
		t.Errorf("Attribute() = %q, %v", a, ok)
	}
	if err := p.parse("result/sessionId"); err != nil {
		t.Fatal(err)
	}
	if _, ok := p.Attribute(); ok {
		t.Error("element path reported as attribute")
	}
	for _, bad := range []string{"", "/a", "a/", "a//b", "@a/b", "a/@b/c", "ns:a", "a b"} {
		if err := p.parse(bad); err == nil {
			t.Errorf("parse(%q) accepted", bad)
		}
	}
}

// Alternatives are kept in order, print as written, and survive a
// marshal and re-parse.
func TestPathAlternatives(t *testing.T) {
	var p Path
	if err := p.parse("result/ids |ArrayList| a/@b"); err != nil {
		t.Fatal(err)
	}
	alts := p.Alternatives()
	if len(alts) != 3 || alts[0].String() != "result/ids" || alts[1].String() != "ArrayList" || alts[2].String() != "a/@b" {
		t.Fatalf("alternatives = %q", alts)
	}
	if got := p.String(); got != "result/ids | ArrayList | a/@b" {
		t.Errorf("String = %q", got)
	}
	var again Path
	if err := again.parse(p.String()); err != nil || again.String() != p.String() {
		t.Errorf("re-parse of %q: %v, %q", p, err, again)
	}
	for _, bad := range []string{"a |", "| a", "a || b", "a | b/"} {
		if err := new(Path).parse(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
