package generator

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wsdlsess/wsdlsess/generator/profile"
)

var update = flag.Bool("update", false, "rewrite golden/<case>/ from the generator's output")

// goldenCase is one WSDL test case: a directory holding exactly one
// top-level *.wsdl (the entry point) and whatever it imports.
type goldenCase struct {
	name, dir, wsdl string
	// profile is what the case generates with: the built-in its
	// profile.builtin names, or its own profile.yaml, or "none".
	profile string
}

// goldenCases lists the corpus: every directory of testdata/wsdl, the
// vendor-shaped cases and the generator's own gen-* construct cases alike.
func goldenCases(t testing.TB) []goldenCase {
	t.Helper()
	const root = "../testdata/wsdl"
	ents, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var out []goldenCase
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(root, e.Name())
		wsdls, _ := filepath.Glob(filepath.Join(dir, "*.wsdl"))
		if len(wsdls) != 1 {
			t.Errorf("%s: want exactly one top-level *.wsdl, found %d", dir, len(wsdls))
			continue
		}
		c := goldenCase{name: e.Name(), dir: dir, wsdl: wsdls[0], profile: "none"}
		if p := filepath.Join(dir, "profile.yaml"); fileExists(p) {
			c.profile = p
		}
		if b, err := os.ReadFile(filepath.Join(dir, "profile.builtin")); err == nil {
			c.profile = strings.TrimSpace(string(b))
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// pkgName is the Go package of a case: its directory name without
// separators.
func pkgName(c string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return -1
	}, c)
}

func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	ents, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(b)
	}
	return out
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			files, err := Generate(Options{WSDL: c.wsdl, Package: pkgName(c.name), Profile: c.profile})
			if err != nil {
				t.Fatalf("Generate: %v", err)
			}
			got := map[string]string{}
			for _, f := range files {
				got[f.Name] = string(f.Content)
			}
			dir := filepath.Join("..", "golden", c.name)
			if *update {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				for name := range readDir(t, dir) {
					if _, ok := got[name]; !ok {
						os.Remove(filepath.Join(dir, name))
					}
				}
				for name, content := range got {
					if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				return
			}
			want := readDir(t, dir)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("generated package differs from %s (-golden +generated); run go test ./generator -update if intended:\n%s", dir, diff)
			}
		})
	}
}

// TestDeterministic: identical input gives byte-identical output.
func TestDeterministic(t *testing.T) {
	for _, c := range goldenCases(t) {
		a, err := Generate(Options{WSDL: c.wsdl, Package: "p", Profile: c.profile})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		b, err := Generate(Options{WSDL: c.wsdl, Package: "p", Profile: c.profile})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("%s: two runs differ:\n%s", c.name, diff)
		}
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// TestCaseProfilesAreBuiltins: every built-in profile has a golden case
// (profile.builtin names it, so golden/<case>/session.go shows what it
// compiles to), and a case's own profile.yaml is not a copy of a built-in
// that could drift from it.
func TestCaseProfilesAreBuiltins(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range goldenCases(t) {
		if _, ok := profile.BuiltinSource(c.profile); ok {
			covered[c.profile] = true
			continue
		}
		got, err := os.ReadFile(c.profile)
		if err != nil {
			t.Errorf("%s: profile.builtin names %q, which is no built-in profile", c.name, c.profile)
			continue
		}
		for _, b := range profile.Builtins() {
			if want, _ := profile.BuiltinSource(b.Name); string(got) == string(want) {
				t.Errorf("%s is a copy of templates/%s.yaml; name the built-in instead: echo %s > %s", c.profile, b.Name, b.Name, filepath.Join(c.dir, "profile.builtin"))
			}
		}
	}
	for _, b := range profile.Builtins() {
		if !covered[b.Name] && b.Name != "none" {
			t.Errorf("no golden case uses the built-in profile %s; add a case to testdata/wsdl whose profile.builtin names it", b.Name)
		}
	}
}
