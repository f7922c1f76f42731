package runtime

import (
	"os/exec"
	"strings"
	"testing"
)

// The runtime is imported by every generated client: it may pull in only
// the standard library and golang.org/x, so users inherit no third-party
// dependency.
func TestDependenciesStdAndXOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, p := range strings.Fields(string(out)) {
		if p == "github.com/wsdlsess/wsdlsess/runtime" || strings.HasPrefix(p, "golang.org/x/") {
			continue
		}
		t.Errorf("runtime depends on %s (only the standard library and golang.org/x are allowed)", p)
	}
}
