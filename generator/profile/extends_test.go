package profile

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func loadExtends(t *testing.T, name string) *Profile {
	t.Helper()
	p, err := Load(filepath.Join("testdata", "extends", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestExtendsMergeRules: mappings merge key by key (nested too), lists and
// scalars replace, null removes, and every key keeps the file and line
// that set it.
func TestExtendsMergeRules(t *testing.T) {
	p := loadExtends(t, "child.yaml")
	o := p.Login.Operation
	if o.Name != "logon" || o.User.String() != "username" || o.Endpoint.String() != "result/serverUrl" || len(o.Lifetime) != 0 {
		t.Errorf("login.operation = %+v; want name replaced, user and endpoint kept, lifetime removed", o)
	}
	if p.Limits.Idle != Duration(30*time.Minute) || p.Limits.MaxAge != Duration(8*time.Hour) || p.Limits.RefreshMargin != Duration(time.Minute) {
		t.Errorf("limits = %+v; want idle and refresh-margin kept, max-age added", p.Limits)
	}
	if len(p.Gone) != 1 || p.Gone[0].HTTPStatus != 401 {
		t.Errorf("gone = %+v; want the list replaced, not appended to", p.Gone)
	}
	if p.Version != 1 || p.Name != "child" || p.Scope != ScopeShared {
		t.Errorf("version %d name %q scope %q; want 1 inherited, child, shared", p.Version, p.Name, p.Scope)
	}
	child := filepath.Join("testdata", "extends", "child.yaml")
	base := filepath.Join("testdata", "extends", "base.yaml")
	for key, want := range map[string]string{
		"name":                     child + ":2",
		"login.operation.name":     child + ":5",
		"login.operation.user":     base + ":7",
		"login.operation.lifetime": child + ":6", // removed here
		"limits.idle":              base + ":18",
		"limits.max-age":           child + ":8",
		"gone[0]":                  child + ":10",
		"tokens[0].login":          base + ":12",
		"version":                  base + ":2",
	} {
		file, pos := p.Where(key)
		if got := file + ":" + itoa(pos.Line); got != want {
			t.Errorf("Where(%q) = %s, want %s", key, got, want)
		}
	}
	if e := p.Errorf("tokens[0].login", "x").Error(); !strings.HasPrefix(e, base+":12: ") {
		t.Errorf("Errorf names %q, want the base's file and line", e)
	}
	if got := strings.Join(p.Bases(), ","); got != "./base.yaml" {
		t.Errorf("Bases() = %q", got)
	}
}

// TestExtendsChain: a profile extends one that extends another; login's
// alternatives replace each other, and null removes a whole mapping.
func TestExtendsChain(t *testing.T) {
	p := loadExtends(t, "grandchild.yaml")
	if p.Login.Operation != nil || p.Login.HTTP != HTTPBasic {
		t.Errorf("login = %+v; want http replacing operation", p.Login)
	}
	if p.Limits != nil {
		t.Errorf("limits = %+v; want removed", p.Limits)
	}
	if got := strings.Join(p.Bases(), ","); got != "child.yaml,./base.yaml" {
		t.Errorf("Bases() = %q", got)
	}
}

// TestExtendsErrors: the exact messages for a chain that cannot be read.
func TestExtendsErrors(t *testing.T) {
	dir := filepath.Join("testdata", "extends") + string(filepath.Separator)
	for file, want := range map[string]string{
		"not-a-string.yaml": `not-a-string.yaml:1: extends: want a built-in profile name (like cookie) or the path of a profile file relative to this one (like ./base.yaml), got a list`,
		"no-name.yaml":      `no-name.yaml:1: name: missing; a profile that extends cookie needs a name of its own (like cookie-custom): sessions are logged and stored under it`,
		"base-typo.yaml":    `typo.yaml:4: unknown key "gnoe"; did you mean "gone"? (valid keys here: extends, version, name, summary, stateful, login, tokens, send, constant, rotate, gone, limits, relogin, cookies, logout, scope, pool-size, invalidate)`,
	} {
		_, err := Load(dir + file)
		if err == nil {
			t.Errorf("%s: accepted", file)
			continue
		}
		if got := strings.ReplaceAll(err.Error(), dir, ""); got != want {
			t.Errorf("%s:\n got %s\nwant %s", file, got, want)
		}
	}
}

// TestExtendsOf: what a profile's text extends, for the CLI.
func TestExtendsOf(t *testing.T) {
	if got := ExtendsOf([]byte("extends: cookie\nname: x\n")); got != "cookie" {
		t.Errorf("ExtendsOf = %q, want cookie", got)
	}
	for _, name := range wantBuiltins {
		if got := Extends(name); got != "" {
			t.Errorf("Extends(%s) = %q; no built-in extends another today", name, got)
		}
	}
	if got := Extends("nope"); got != "" {
		t.Errorf("Extends(nope) = %q", got)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestSchemaAcceptsExtending: a file with extends is checked key by key
// (null included), not as a complete profile, so an editor accepts every
// extending profile the parser accepts.
func TestSchemaAcceptsExtending(t *testing.T) {
	s := compileSchema(t)
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "profile-extends", "*.yaml"))
	for _, f := range []string{"child.yaml", "grandchild.yaml"} {
		files = append(files, filepath.Join("testdata", "extends", f))
	}
	if len(files) < 5 {
		t.Fatalf("extending profiles not found: %v", files)
	}
	for _, f := range files {
		if _, err := Load(f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		if err := schemaCheck(t, s, mustRead(t, os.ReadFile, f)); err != nil {
			t.Errorf("%s: the schema rejects it: %v", f, err)
		}
	}
	// The schema still rejects what a file with extends cannot mean.
	if err := schemaCheck(t, s, []byte("extends: cookie\nscope: exchange\n")); err == nil {
		t.Error("the schema accepts an extending profile without a name")
	}
	if err := schemaCheck(t, s, []byte("extends: cookie\nname: x\nscope: sometimes\n")); err == nil {
		t.Error("the schema accepts a bad scope in an extending profile")
	}
}
