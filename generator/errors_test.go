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

// TestBadInput asserts the whole message for each kind of bad input: file,
// line, construct, problem and fix (Strict). Without Strict a dangling
// reference is a warning, and the generation still fails when it leaves
// nothing usable (lenientOK: it does not, types remain).
func TestBadInput(t *testing.T) {
	cases := []struct {
		file, want string
		lenientOK  bool
	}{
		{"malformed.wsdl", "malformed.wsdl:6: XML: malformed XML: element <element> closed by </schema> (fix: fix the document so it is well-formed XML)", false},
		{"missing-import.wsdl", `missing-import.wsdl:5: xsd:import: file schemas/missing.xsd does not exist (location "schemas/missing.xsd") (fix: put the file at that path or correct the location attribute)`, false},
		{"remote-import.wsdl", "remote-import.wsdl:5: xsd:import: remote location https://example.com/schemas/x.xsd is not fetched without -allow-remote (fix: download it and pass -schema-map https://example.com/schemas/x.xsd=PATH, point the location at a local copy, or pass -allow-remote)", false},
		{"undeclared-prefix.wsdl", `undeclared-prefix.wsdl:7: xsd:element: prefix "zz" of "zz:Foo" is not declared (fix: declare the prefix with xmlns:PREFIX on this element or an ancestor)`, true},
		{"undefined-group.wsdl", "undefined-group.wsdl:7: xsd:group: group {urn:e}NoSuchGroup is not defined in any loaded schema (fix: define the group or import its schema)", true},
		{"undefined-message.wsdl", "undefined-message.wsdl:5: wsdl:input: message {urn:e}NoSuchMessage is not defined (fix: define the message or import the WSDL that does)", false},
		{"undefined-type.wsdl", "undefined-type.wsdl:5: xsd:element: type {urn:e}Missing is not defined in any loaded schema (fix: define the type or import the schema that defines it)", false},
		{"wsdl20.wsdl", "wsdl20.wsdl:2: definitions: the root element is {http://www.w3.org/ns/wsdl}description, not a WSDL 1.1 definitions element (fix: pass a WSDL 1.1 document (root element {http://schemas.xmlsoap.org/wsdl/}definitions))", false},
		{"group-cycle.wsdl", "group-cycle.wsdl:5: xsd:group: group {urn:e}G refers to itself (fix: break the group cycle)", false},
		{"nonexistent.wsdl", "testdata/errors/nonexistent.wsdl: no such file (fix: pass the path of a readable WSDL file)", false},
		{"", "testdata/errors: is a directory, not a WSDL file (fix: pass the path of a readable WSDL file)", false},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			var warned []string
			opts := Options{WSDL: filepath.Join("testdata", "errors", c.file), Package: "p", Profile: "none", Warn: func(s string) { warned = append(warned, s) }}
			lenient := opts
			lenient.Warn = nil
			_, lerr := Generate(lenient)
			switch {
			case c.lenientOK && lerr != nil:
				t.Errorf("without Strict: %v, want success", lerr)
			case !c.lenientOK && (lerr == nil || lerr.Error() != c.want):
				t.Errorf("without Strict: %v, want the same error", lerr)
			}
			opts.Strict = true
			_, err := Generate(opts)
			if err == nil {
				t.Fatal("Generate succeeded, want an error")
			}
			var ge *Error
			if !errors.As(err, &ge) {
				t.Errorf("error is %T, want *generator.Error", err)
			}
			if err.Error() != c.want {
				t.Errorf("message\n got: %s\nwant: %s", err, c.want)
			}
			if len(warned) > 0 {
				t.Errorf("warnings beside the error: %q", warned)
			}
		})
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
// case's want-error.txt with Strict, and without it either the same error
// or, where the case has a want-warnings.txt, success with exactly those
// warnings, the package doc listing what was skipped, and a package that
// compiles and vets.
func TestBadInputCorpus(t *testing.T) {
	out, err := os.MkdirTemp("testdata", "lenient-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(out) })
	lenient := 0
	dirs, err := filepath.Glob(filepath.Join("..", "testdata", "wsdl-bad", "*", "want-error.txt"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no bad-input cases found (%v)", err)
	}
	for _, wantFile := range dirs {
		dir := filepath.Dir(wantFile)
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatal(err)
			}
			wsdl := filepath.Join(dir, name+".wsdl")
			_, err = Generate(Options{WSDL: wsdl, Package: "p", Profile: "none", Strict: true})
			if err == nil {
				t.Fatal("Generate succeeded, want an error")
			}
			if got, want := err.Error(), strings.TrimSpace(string(want)); got != want {
				t.Errorf("message\n got: %s\nwant: %s", got, want)
			}

			var warned []string
			files, lerr := Generate(Options{WSDL: wsdl, Package: "p", Profile: "none", Warn: func(s string) { warned = append(warned, s) }})
			wantWarn, rerr := os.ReadFile(filepath.Join(dir, "want-warnings.txt"))
			if rerr != nil {
				if lerr == nil || lerr.Error() != err.Error() {
					t.Errorf("without Strict: %v, want the same error", lerr)
				}
				return
			}
			if lerr != nil {
				t.Fatalf("without Strict: %v", lerr)
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
