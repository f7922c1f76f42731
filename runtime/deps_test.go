package runtime

import (
	"os/exec"
	"strings"
	"testing"
)

// The runtime is imported by every generated client, runtime/impl too: they
// may pull in only the standard library, golang.org/x and each other (with
// runtime's internal packages), so users inherit no third-party dependency.
func TestDependenciesStdAndXOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	const self = "github.com/wsdlsess/wsdlsess/runtime"
	for _, pkg := range []string{".", "./impl"} {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, p := range strings.Fields(string(out)) {
			if p == self || p == self+"/impl" || strings.HasPrefix(p, self+"/internal/") || strings.HasPrefix(p, "golang.org/x/") {
				continue
			}
			t.Errorf("%s depends on %s (only the standard library and golang.org/x are allowed)", pkg, p)
		}
	}
}
