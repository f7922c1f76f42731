package profile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"go.yaml.in/yaml/v3"
)

// wantBuiltins is the set DESIGN.md promises.
var wantBuiltins = []string{"cookie", "none", "oracle-crmod", "salesforce", "salesforce-metadata", "salesforce-tooling", "siebel-none", "siebel-stateful", "siebel-stateless", "vsphere"}

func TestBuiltinsListed(t *testing.T) {
	var names []string
	for _, b := range Builtins() {
		names = append(names, b.Name)
		if b.Summary == "" || strings.Contains(b.Summary, "\n") || strings.HasPrefix(b.Summary, "(invalid") {
			t.Errorf("%s: summary %q is not one line", b.Name, b.Summary)
		}
	}
	if diff := cmp.Diff(wantBuiltins, names); diff != "" {
		t.Errorf("Builtins() names, sorted (-want +got):\n%s", diff)
	}
}

func TestBuiltinSource(t *testing.T) {
	src, ok := BuiltinSource("salesforce")
	if !ok || !strings.HasPrefix(string(src), "# yaml-language-server: $schema=") {
		t.Errorf("BuiltinSource(salesforce) = %.60q, %v; want the file with its schema line", src, ok)
	}
	for _, name := range []string{"nope", "../templates", "profile.schema", "templates.go", ""} {
		if _, ok := BuiltinSource(name); ok {
			t.Errorf("BuiltinSource(%q) found something", name)
		}
	}
}

// roundTrip writes p back to YAML and parses it again.
func roundTrip(t *testing.T, p *Profile) *Profile {
	t.Helper()
	out, err := yaml.Marshal(p)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	q, err := Parse(p.File, out)
	if err != nil {
		t.Fatalf("parse of marshalled profile: %v\n%s", err, out)
	}
	return q
}

var ignorePositions = cmpopts.IgnoreUnexported(Profile{})

// TestBuiltinsParseAndRoundTrip loads every built-in by name, and checks
// that writing it back and reading it again gives the same Profile.
func TestBuiltinsParseAndRoundTrip(t *testing.T) {
	for _, name := range wantBuiltins {
		t.Run(name, func(t *testing.T) {
			p, err := Load(name)
			if err != nil {
				t.Fatal(err)
			}
			if p.Name != name || p.Version != 1 {
				t.Errorf("name %q version %d; want the file's name and version 1", p.Name, p.Version)
			}
			if err := p.Validate(); err != nil {
				t.Errorf("Validate after Parse: %v", err)
			}
			if diff := cmp.Diff(p, roundTrip(t, p), ignorePositions); diff != "" {
				t.Errorf("round trip (-parsed +reparsed):\n%s", diff)
			}
		})
	}
}

// TestFullRoundTrip covers every key of the format: each must survive
// parse, marshal and parse, and each must be found at its line.
func TestFullRoundTrip(t *testing.T) {
	p, err := Load(filepath.Join("testdata", "good", "full.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, roundTrip(t, p), ignorePositions); diff != "" {
		t.Errorf("round trip (-parsed +reparsed):\n%s", diff)
	}
	for key, line := range map[string]int{
		"":                                3,
		"login.operation.name":            9,
		"login.operation.set._this/@type": 16,
		"tokens[1]":                       20,
		"send[0].header":                  24,
		"limits.refresh-margin":           39,
		"invalidate.error-message":        55,
		// A key that is not written points at its enclosing block.
		"logout.set.nothing": 44,
	} {
		if got := p.Pos(key).Line; got != line {
			t.Errorf("Pos(%q).Line = %d, want %d", key, got, line)
		}
	}
	e := p.Errorf("login.operation.name", "no operation %q in service %s; did you mean %q?", "logon", "SforceService", "login")
	want := filepath.Join("testdata", "good", "full.yaml") + `:9: login.operation.name: no operation "logon" in service SforceService; did you mean "login"?`
	if e.Error() != want {
		t.Errorf("Errorf:\n got %s\nwant %s", e, want)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ arg, want string }{
		{"salesfroce", `salesfroce: no built-in profile "salesfroce"; did you mean "salesforce"? (built-ins: ` + strings.Join(wantBuiltins, ", ") + `; a file needs a path ending in .yaml)`},
		{filepath.Join(dir, "missing.yaml"), filepath.Join(dir, "missing.yaml") + ": cannot read the profile: no such file or directory (fix: pass a built-in profile name, listed by wsdlsess profiles, or the path of a profile .yaml file)"},
		{dir, dir + ": is a directory, not a profile file (fix: pass a built-in profile name, listed by wsdlsess profiles, or the path of a profile .yaml file)"},
	} {
		_, err := Load(c.arg)
		if err == nil || err.Error() != c.want {
			t.Errorf("Load(%q):\n got %v\nwant %s", c.arg, err, c.want)
		}
	}
	// A file path is read as a file, even when it is named like a built-in.
	f := filepath.Join(dir, "salesforce.yaml")
	if err := os.WriteFile(f, []byte("version: 1\nname: mine\nscope: call\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Load(f)
	if err != nil || p.Name != "mine" || p.File != f {
		t.Errorf("Load(%s) = %+v, %v; want the file's profile", f, p, err)
	}
}

// TestCookieVariants applies each variant the cookie profile's comments
// document and checks that the result is a valid profile, so the
// documentation cannot rot.
func TestCookieVariants(t *testing.T) {
	src, _ := BuiltinSource("cookie")
	base := string(src)
	edit := func(s string, pairs ...string) string {
		t.Helper()
		for i := 0; i+1 < len(pairs); i += 2 {
			if !strings.Contains(s, pairs[i]) {
				t.Fatalf("cookie.yaml no longer contains %q", pairs[i])
			}
			s = strings.Replace(s, pairs[i], pairs[i+1], 1)
		}
		return s
	}
	for name, variant := range map[string]string{
		"exchange":          edit(base, "scope: shared", "scope: exchange"),
		"exchange stateful": edit(base, "scope: shared", "scope: exchange\nstateful: true", "relogin: auto", "relogin: never"),
		"none": edit(base, "scope: shared", "scope: call",
			"tokens:\n  - cookie: JSESSIONID\n", "", "send:\n  - cookie: JSESSIONID\n", "",
			"gone:\n  - http-status: 401\n", "", "relogin: auto\n", ""),
		"oauth2": edit(base, "http: basic", "http: oauth2-client-credentials"),
	} {
		if _, err := Parse("cookie-"+name+".yaml", []byte(variant)); err != nil {
			t.Errorf("documented variant %q: %v", name, err)
		}
	}
}

// TestReadmeExample parses the "Format in brief" example of
// templates/README.md, so the documentation shows a valid profile.
func TestReadmeExample(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "templates", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "## Format in brief\n")
	if !ok {
		t.Fatal(`templates/README.md has no "## Format in brief" section`)
	}
	_, block, ok1 := strings.Cut(rest, "```yaml\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok1 || !ok2 {
		t.Fatal("no yaml block in the Format in brief section")
	}
	if _, err := Parse("README.md", []byte(block)); err != nil {
		t.Errorf("the README example is not a valid profile:\n%v", err)
	}
}
