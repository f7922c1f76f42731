package generator

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBadPath: a WSDL path that names no file, or a directory (a case
// directory passed instead of its WSDL), fails alike with and without
// Strict. The bad documents themselves are testdata/wsdl-bad cases
// (TestBadInputCorpus); these two cannot be a directory of their own.
func TestBadPath(t *testing.T) {
	for _, c := range []struct{ path, want string }{
		{"../testdata/wsdl-bad/nonexistent.wsdl", "../testdata/wsdl-bad/nonexistent.wsdl: no such file (fix: pass the path of a readable WSDL file)"},
		{"../testdata/wsdl-bad/malformed-xml", "../testdata/wsdl-bad/malformed-xml: is a directory, not a WSDL file (fix: pass the path of a readable WSDL file)"},
	} {
		for _, strict := range []bool{false, true} {
			var warned []string
			_, err := Generate(Options{WSDL: filepath.FromSlash(c.path), Package: "p", Profile: "none", Strict: strict, Warn: func(s string) { warned = append(warned, s) }})
			if err == nil || err.Error() != filepath.FromSlash(c.want) {
				t.Errorf("%s (strict %v): %v, want %s", c.path, strict, err, c.want)
			}
			var ge *Error
			if !errors.As(err, &ge) {
				t.Errorf("%s: error is %T, want *generator.Error", c.path, err)
			}
			if len(warned) > 0 {
				t.Errorf("%s: warnings beside the error: %q", c.path, warned)
			}
		}
	}
}

func TestBadOptions(t *testing.T) {
	wsdl := filepath.Join("..", "testdata", "wsdl", "gen-constructs", "constructs.wsdl")
	for _, c := range []struct {
		opts Options
		want string
	}{
		{Options{WSDL: wsdl, Package: "1p"}, `package name "1p" is not a Go identifier (fix: pass -pkg with a lower-case name such as sfdc)`},
		{Options{WSDL: wsdl, Package: "type"}, `package name "type" is not a Go identifier (fix: pass -pkg with a lower-case name such as sfdc)`},
		{Options{WSDL: wsdl, Package: "p", Profile: "salesfroce"}, `salesfroce: no built-in profile "salesfroce"; did you mean "salesforce"? (built-ins: cookie, none, oracle-crmod, salesforce, salesforce-metadata, salesforce-tooling, siebel-none, siebel-stateful, siebel-stateless, vsphere; a file needs a path ending in .yaml)`},
		{Options{WSDL: wsdl, Package: "p", Profile: "nosuch.yaml"}, `nosuch.yaml: cannot read the profile: no such file or directory (fix: pass a built-in profile name, listed by wsdlsess profiles, or the path of a profile .yaml file)`},
	} {
		_, err := Generate(c.opts)
		if err == nil || err.Error() != c.want {
			t.Errorf("Generate(%+v) = %v, want %s", c.opts, err, c.want)
		}
	}
}

// TestWarnings: rpc/encoded operations generate (no warning); an
// encoded operation the runtime cannot encode (document/encoded) is
// skipped with one warning that lists it.
func TestWarnings(t *testing.T) {
	wsdl := filepath.Join("..", "testdata", "wsdl", "rpc-literal", "inventory.wsdl")
	var warned []string
	_, err := Generate(Options{WSDL: wsdl, Package: "p", Warn: func(s string) { warned = append(warned, s) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(warned) != 0 {
		t.Errorf("warnings = %q, want none (LegacyExport is rpc/encoded, now generated)", warned)
	}
	b, err := os.ReadFile(wsdl)
	if err != nil {
		t.Fatal(err)
	}
	const action = `soapAction="urn:example:inventory#LegacyExport"`
	docEnc := strings.Replace(string(b), action, action+` style="document"`, 1)
	if docEnc == string(b) {
		t.Fatal("LegacyExport's soap:operation not found")
	}
	p := filepath.Join(t.TempDir(), "inventory.wsdl")
	if err := os.WriteFile(p, []byte(docEnc), 0o644); err != nil {
		t.Fatal(err)
	}
	warned = nil
	if _, err := Generate(Options{WSDL: p, Package: "p", Warn: func(s string) { warned = append(warned, s) }}); err != nil {
		t.Fatal(err)
	}
	want := []string{"binding InventoryBinding: skipped rpc/encoded or unsupported operations: LegacyExport"}
	if len(warned) != 1 || warned[0] != want[0] {
		t.Errorf("warnings = %q, want %q", warned, want)
	}
}

// TestBaseWithDerivedField: a base type whose field has a type derived from
// it is recursion, not a derivation cycle.
func TestBaseWithDerivedField(t *testing.T) {
	if _, err := Generate(Options{WSDL: filepath.Join("testdata", "loader", "derived-field.wsdl"), Package: "p"}); err != nil {
		t.Fatal(err)
	}
}

// TestSubstitutionGroups: a reference to a substitution group head becomes
// a wildcard field of a holder of the members; where the type has another
// wildcard it falls back to the head's name, with one warning.
func TestSubstitutionGroups(t *testing.T) {
	var warned []string
	files, err := Generate(Options{WSDL: filepath.Join("..", "testdata", "wsdl", "gen-constructs", "constructs.wsdl"), Package: "p", Warn: func(s string) { warned = append(warned, s) }})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"element Shape heads a substitution group, but a type that references it has another wildcard: that field decodes only Shape itself, not its members"}
	if len(warned) != 1 || warned[0] != want[0] {
		t.Errorf("warnings %q, want %q", warned, want)
	}
	types := strings.Join(strings.Fields(string(files[2].Content)), " ")
	for _, s := range []string{"Shape []AnyShape `xml:\",any\"`", "Shape *AnyShapeType `xml:\"urn:ex:shop Shape,omitempty\"`"} {
		if !strings.Contains(types, s) {
			t.Errorf("types.go lacks %s", s)
		}
	}
	warned = nil
	wsdl := filepath.Join(gowsdlFixtures(t), "epcis", "EPCglobal-epcis-query-1_2.wsdl")
	if _, err := Generate(Options{WSDL: wsdl, Package: "p", Warn: func(s string) { warned = append(warned, s) }}); err != nil || len(warned) > 0 {
		t.Errorf("epcis: %v, warnings %q", err, warned)
	}
}

// TestBadInputCorpus runs every case of testdata/wsdl-bad (the corpus's
// bad inputs, one broken thing each) and asserts the exact message in the
// case's want-error.txt with Strict (a *generator.Error, no warning beside
// it), and without it either the same error or, where the case has a
// want-warnings.txt, success with exactly those warnings, the package doc
// listing what was skipped, and a package that compiles and vets. -update
// rewrites want-error.txt, and want-warnings.txt where the case generates
// without Strict (removing it where it no longer does).
func TestBadInputCorpus(t *testing.T) {
	out, err := os.MkdirTemp("testdata", "lenient-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(out) })
	lenient := 0
	// A case is a directory: a new one needs only its WSDL before -update.
	dirs, err := filepath.Glob(filepath.Join("..", "testdata", "wsdl-bad", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no bad-input cases found (%v)", err)
	}
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		name := filepath.Base(dir)
		wantFile := filepath.Join(dir, "want-error.txt")
		t.Run(name, func(t *testing.T) {
			wsdl := filepath.Join(dir, name+".wsdl")
			var warned []string
			_, err := Generate(Options{WSDL: wsdl, Package: "p", Profile: "none", Strict: true, Warn: func(s string) { warned = append(warned, s) }})
			if err == nil {
				t.Fatal("Generate succeeded, want an error")
			}
			var ge *Error
			if !errors.As(err, &ge) {
				t.Errorf("error is %T, want *generator.Error", err)
			}
			if len(warned) > 0 {
				t.Errorf("warnings beside the error: %q", warned)
			}

			warned = nil
			files, lerr := Generate(Options{WSDL: wsdl, Package: "p", Profile: "none", Warn: func(s string) { warned = append(warned, s) }})
			warnFile := filepath.Join(dir, "want-warnings.txt")
			if *update {
				updateBadInput(t, wantFile, warnFile, err, lerr, warned)
			}

			want, rerr := os.ReadFile(wantFile)
			if rerr != nil {
				t.Fatalf("%v (run go test ./generator -run TestBadInputCorpus -update)", rerr)
			}
			if got, want := err.Error(), strings.TrimSpace(string(want)); got != want {
				t.Errorf("message\n got: %s\nwant: %s", got, want)
			}
			wantWarn, rerr := os.ReadFile(warnFile)
			if rerr != nil {
				if lerr == nil || lerr.Error() != err.Error() {
					t.Errorf("without Strict: %v, want the same error", lerr)
				}
				return
			}
			if lerr != nil {
				t.Fatalf("without Strict: %v", lerr)
			}
			if len(warned) == 0 {
				t.Error("without Strict: no warning, want the one the error becomes")
			}
			if got, want := strings.Join(warned, "\n"), strings.TrimSpace(string(wantWarn)); got != want {
				t.Errorf("warnings\n got: %s\nwant: %s", got, want)
			}
			client := string(files[0].Content)
			if files[0].Name != "client.go" {
				t.Fatalf("first file is %s", files[0].Name)
			}
			// Each "X skipped: why" warning is a line "X: why (file:line)"
			// of the package doc; nothing else is listed there.
			var notes []string
			for _, w := range warned {
				if m := skippedWarning.FindStringSubmatch(w); m != nil {
					notes = append(notes, "//   - "+m[3]+": "+m[4]+" ("+m[1]+")")
				}
			}
			var got []string
			for _, l := range strings.Split(skippedDoc(client), "\n") {
				if strings.HasPrefix(l, "//   - ") {
					got = append(got, l)
				}
			}
			if strings.Join(got, "\n") != strings.Join(notes, "\n") {
				t.Errorf("package doc lists\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(notes, "\n"))
			}
			// A skipped rpc operation leaves no wrapper type behind.
			if name == "rpc-undefined-part-type" && strings.Contains(string(files[2].Content), "ListThings") {
				t.Errorf("types.go keeps the skipped operation's wrapper:\n%s", files[2].Content)
			}
			writePkg(t, filepath.Join(out, strings.ReplaceAll(name, "-", "")), files)
			lenient++
		})
	}
	if lenient > 0 {
		vet(t, out)
	}
}

// updateBadInput rewrites a bad-input case's expected files from what the
// generator gives: the Strict error, and the warnings of a generation that
// succeeds without Strict (a case that fails without Strict has none).
func updateBadInput(t *testing.T, wantFile, warnFile string, strictErr, lenientErr error, warned []string) {
	t.Helper()
	if err := os.WriteFile(wantFile, []byte(strictErr.Error()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if lenientErr != nil {
		if err := os.Remove(warnFile); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		return
	}
	if err := os.WriteFile(warnFile, []byte(strings.Join(warned, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// skippedWarning splits a skip warning: location, construct, what, why.
var skippedWarning = regexp.MustCompile(`^([^ ]+:\d+): ([^ ]+): (.+?) skipped: (.+) \(fix: .*\)$`)

// skippedDoc returns the package doc's list of skipped things.
func skippedDoc(client string) string {
	_, after, ok := strings.Cut(client, "// Skipped, because")
	if !ok {
		return ""
	}
	list, _, _ := strings.Cut(after, "\npackage ")
	return list
}

func writePkg(t *testing.T, dir string, files []File) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// vet compiles and vets every package under dir (inside this module, so
// the runtime resolves).
func vet(t *testing.T, dir string) {
	t.Helper()
	if testing.Short() {
		return
	}
	if b, err := exec.Command("go", "vet", "./"+filepath.ToSlash(dir)+"/...").CombinedOutput(); err != nil {
		t.Fatalf("go vet %s: %v\n%s", dir, err, b)
	}
}
