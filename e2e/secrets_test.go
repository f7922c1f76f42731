package e2e

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// secretLiteral matches a Go string literal assigned to something named
// like a credential ("Password: \"…\"", "token = \"…\""): generated code
// must never carry one, whatever the WSDL or profile held.
var secretLiteral = regexp.MustCompile(`(?i)(password|passwd|secret|token|sessionid|cookie)\w*\s*[:=]\s*"[^"]+"`)

// TestGoldenHasNoSecrets: no generated file holds a credential literal or
// any secret the end-to-end tests use. (The e2e tests themselves scan every
// log line, event and error of every scenario with h.NoSecrets.)
func TestGoldenHasNoSecrets(t *testing.T) {
	secrets := []string{sfPassword, sbPassword, orPassword, ckPassword, vcPassword, "oauth-secret-77aa"}
	n := 0
	err := filepath.WalkDir("../golden", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		for _, line := range strings.Split(string(b), "\n") {
			if m := secretLiteral.FindString(line); m != "" && !strings.Contains(line, "`xml:") {
				t.Errorf("%s: a credential literal: %s", path, m)
			}
		}
		for _, s := range secrets {
			if strings.Contains(string(b), s) {
				t.Errorf("%s holds a secret the tests use", path)
			}
		}
		return nil
	})
	if err != nil || n < 50 {
		t.Fatalf("scanned %d files: %v", n, err)
	}
}
