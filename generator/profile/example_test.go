package profile_test

import (
	"fmt"

	"github.com/wsdlsess/wsdlsess/generator/profile"
)

// The list `wsdlsess profiles` prints.
func ExampleBuiltins() {
	for _, b := range profile.Builtins() {
		fmt.Println(b.Name)
	}
	// Output:
	// cookie
	// none
	// oracle-crmod
	// salesforce
	// salesforce-metadata
	// salesforce-tooling
	// siebel-none
	// siebel-stateful
	// siebel-stateless
	// vsphere
}

// A bad profile: every problem with its file, line, key and fix.
func ExampleParse() {
	_, err := profile.Parse("acme.yaml", []byte(`version: 1
name: acme
login:
  http: basic
tokens:
  - cookie: JSESSIONID
send:
  - cookie: JSESSIONID
gone:
  - http-status: 401
stateful: true
relogin: auto
scope: shared
`))
	fmt.Println(err)
	// Output:
	// acme.yaml:12: relogin: auto with stateful: true would replace a lost session silently and lose its server-side state; use relogin: never (the caller gets runtime.ErrSessionLost)
	// acme.yaml:13: scope: shared with stateful: true mixes the server-side state of parallel callers in one session; use scope exchange
}

// How the binder reports a problem found against the WSDL.
func ExampleProfile_Errorf() {
	p, err := profile.Load("salesforce")
	if err != nil {
		fmt.Println(err)
		return
	}
	ops := []string{"create", "login", "logout", "query"}
	got := "logon" // as if the profile said so
	hint, _ := profile.DidYouMean(got, ops)
	fmt.Println(p.Errorf("login.operation.name", "no operation %q in service SforceService; did you mean %q?", got, hint))
	// Output:
	// salesforce.yaml:14: login.operation.name: no operation "logon" in service SforceService; did you mean "login"?
}
