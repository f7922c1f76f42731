package generator

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSessionClosureNames: two bindings share a role's closures when the
// operation has the same request and response types in both (login,
// invalidate: written once, unsuffixed), and a role whose types differ
// gets one set per binding, each named after its binding (logout here,
// whose response the second portType changes). Each compiled profile
// names its own.
func TestSessionClosureNames(t *testing.T) {
	dir := "../testdata/wsdl/gen-session"
	src, err := os.ReadFile(filepath.Join(dir, "acme.wsdl"))
	if err != nil {
		t.Fatal(err)
	}
	wsdl := string(src)
	pt := regexp.MustCompile(`(?s)  <portType name="Acme">.*?</portType>\n`).FindString(wsdl)
	if pt == "" {
		t.Fatal("no portType Acme in acme.wsdl")
	}
	pt2 := strings.NewReplacer(`portType name="Acme"`, `portType name="Acme2"`, `tns:logoutResponse"`, `tns:logoutResponse2"`).Replace(pt)
	for _, r := range [][2]string{
		{pt, `  <message name="logoutResponse2"><part name="parameters" element="tns:getThingResponse"/></message>` + "\n" + pt + pt2},
		{`<binding name="AcmeSoap12" type="tns:Acme">`, `<binding name="AcmeSoap12" type="tns:Acme2">`},
	} {
		if !strings.Contains(wsdl, r[0]) {
			t.Fatalf("acme.wsdl lacks %q", r[0])
		}
		wsdl = strings.Replace(wsdl, r[0], r[1], 1)
	}
	tmp := t.TempDir()
	path := filepath.Join(tmp, "acme.wsdl")
	if err := os.WriteFile(path, []byte(wsdl), 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := Generate(Options{WSDL: path, Package: "acme", Profile: filepath.Join(dir, "profile.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	var session, client, ops string
	for _, f := range files {
		switch f.Name {
		case "session.go":
			session = string(f.Content)
		case "client.go":
			client = string(f.Content)
		case "operations.go":
			ops = string(f.Content)
		}
	}
	funcs := map[string]int{}
	for _, m := range regexp.MustCompile(`(?m)^func (\w+)\(`).FindAllStringSubmatch(session, -1) {
		funcs[m[1]]++
	}
	for _, name := range []string{
		"loginRequest", "newLoginResponse", "loginResult",
		"invalidateRequest", "newInvalidateResponse", "invalidateResults",
		"logoutRequestAcmeSoap", "newLogoutResponseAcmeSoap",
		"logoutRequestAcmeSoap12", "newLogoutResponseAcmeSoap12",
	} {
		if funcs[name] != 1 {
			t.Errorf("session.go declares %s %d times, want once; it declares %v", name, funcs[name], funcs)
		}
	}
	if funcs["logoutRequest"] != 0 {
		t.Errorf("session.go declares an unsuffixed logoutRequest next to the per-binding ones")
	}
	// Each profile literal points at its binding's logout closures.
	for _, b := range []string{"AcmeSoap", "AcmeSoap12"} {
		lit := regexp.MustCompile(`(?s)var sessionProfile` + b + ` = &impl\.Profile\{.*?\n\}\n`).FindString(session)
		if lit == "" {
			t.Errorf("no sessionProfile%s", b)
			continue
		}
		for _, want := range []string{"Request:     logoutRequest" + b + ",", "NewResponse: newLogoutResponse" + b + ",", "Request:     loginRequest,", "Results:     invalidateResults,"} {
			if !strings.Contains(lit, want) {
				t.Errorf("sessionProfile%s lacks %q:\n%s", b, want, lit)
			}
		}
		if !regexp.MustCompile(`Profile: +sessionProfile` + b + `,`).MatchString(client) {
			t.Errorf("client.go does not use sessionProfile%s", b)
		}
	}
	// The driven operations get no method; the others do.
	for _, m := range []string{") Login(", ") Logout(", ") KillSessions("} {
		if strings.Contains(ops, m) {
			t.Errorf("operations.go has a method for a driven operation: %q", m)
		}
	}
	if n := strings.Count(ops, ") GetThing(ctx context.Context"); n != 2 {
		t.Errorf("operations.go has %d GetThing methods, want one per port", n)
	}
}
