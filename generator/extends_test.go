package generator

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wsdlsess/wsdlsess/generator/profile"
)

// TestExtendsSAPVariants binds each SAP variant of cookie (a few lines that
// extend it) to the cookie-sap WSDL and checks the compiled profile: the
// variant's keys took effect, the base's others were kept.
func TestExtendsSAPVariants(t *testing.T) {
	wsdl := filepath.Join("..", "testdata", "wsdl", "cookie-sap", "salesorder.wsdl")
	for _, c := range []struct {
		file string
		// want and not are patterns on session.go (client.go for doc).
		want, not []string
		doc       string
	}{
		{"cookie-exchange.yaml", []string{`Name: +"cookie-exchange"`, `Scope: +impl\.ScopeExchange`, `Kind: +impl\.LoginHTTP`, `FromCookie, Name: "JSESSIONID"`, `HTTPStatus: 401`, `Relogin: +impl\.ReloginAuto`}, nil, "runtime.Password"},
		{"cookie-call.yaml", []string{`Name: +"cookie-call"`, `Scope: +impl\.ScopeCall`, `Kind: +impl\.LoginHTTP`}, []string{`Tokens:`, `Send:`, `Gone:`}, "runtime.Password"},
		{"cookie-named.yaml", []string{`Name: +"cookie-named"`, `Cookies: +impl\.CookiesNamed`}, nil, "runtime.Password"},
		{"cookie-oauth2.yaml", []string{`Name: +"cookie-oauth2"`, `Scope: +impl\.ScopeShared`, `Kind: +impl\.LoginHTTP`, `FromCookie, Name: "JSESSIONID"`}, nil, "runtime.OAuth2ClientCredentials"},
	} {
		t.Run(c.file, func(t *testing.T) {
			prof := filepath.Join("..", "testdata", "profile-extends", c.file)
			p, err := profile.Load(prof)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(p.Bases(), ","); got != "cookie" {
				t.Errorf("Bases() = %q, want cookie", got)
			}
			files, err := Generate(Options{WSDL: wsdl, Package: "sap", Profile: prof})
			if err != nil {
				t.Fatalf("Generate: %v", err)
			}
			byName := map[string]string{}
			for _, f := range files {
				byName[f.Name] = string(f.Content)
			}
			session := byName["session.go"]
			for _, w := range c.want {
				if !regexp.MustCompile(w).MatchString(session) {
					t.Errorf("session.go lacks %s:\n%s", w, session)
				}
			}
			for _, n := range c.not {
				if strings.Contains(session, n) {
					t.Errorf("session.go has %s, which the variant removed:\n%s", n, session)
				}
			}
			if !strings.Contains(byName["client.go"], c.doc) {
				t.Errorf("client.go does not tell the caller to pass %s", c.doc)
			}
		})
	}
}
