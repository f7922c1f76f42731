package generator

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gowsdlFixtures returns the directory of gowsdl v0.5.0's fixtures in the
// module cache (not copied into this repository).
func gowsdlFixtures(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/hooklift/gowsdl").Output()
	if err != nil {
		t.Skipf("gowsdl module not available: %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "fixtures")
}

// fixtureWSDLs lists the WSDLs of gowsdl's fixtures, subfolders included.
func fixtureWSDLs(t testing.TB) []string {
	t.Helper()
	dir := gowsdlFixtures(t)
	wsdls, _ := filepath.Glob(filepath.Join(dir, "*.wsdl"))
	more, _ := filepath.Glob(filepath.Join(dir, "*", "*.wsdl"))
	return append(wsdls, more...)
}

// TestPeerFixtures generates every WSDL of gowsdl's fixtures and compiles
// and vets them all in one go vet run. vim.wsdl imports an XSD that is
// missing there and must fail with the clear missing-file error.
func TestPeerFixtures(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles generated packages")
	}
	wsdls := fixtureWSDLs(t)
	if len(wsdls) < 10 {
		t.Fatalf("found %d fixtures in %s, want at least 10", len(wsdls), gowsdlFixtures(t))
	}
	// Inside testdata, so ./... patterns of other packages never see it,
	// and inside this module, so the runtime resolves without a go.mod.
	out, err := os.MkdirTemp("testdata", "peer-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(out) })
	generated := 0
	for _, w := range wsdls {
		name := strings.TrimSuffix(filepath.Base(w), ".wsdl")
		pkg := pkgName(name)
		files, err := Generate(Options{WSDL: w, Package: "p" + pkg})
		if name == "vim" {
			want := `vim.wsdl:21: xsd:include: file query-messagetypes.xsd does not exist (location "query-messagetypes.xsd") (fix: put the file at that path or correct the location attribute)`
			var ge *Error
			if err == nil || !errors.As(err, &ge) || err.Error() != want {
				t.Errorf("vim.wsdl: got %v\nwant %s", err, want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		pd := filepath.Join(out, pkg)
		if err := os.MkdirAll(pd, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if err := os.WriteFile(filepath.Join(pd, f.Name), f.Content, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		generated++
	}
	cmd := exec.Command("go", "vet", "./"+filepath.ToSlash(out)+"/...")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet of %d generated fixture packages failed: %v\n%s", generated, err, b)
	}
}
