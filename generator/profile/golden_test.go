package profile

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the expected messages of testdata/bad and testdata/goonly")

// badCases lists the bad profiles of dir (testdata/bad: rejected by the Go
// parser and the JSON Schema; testdata/goonly: rejected by the Go parser
// only), each NAME.yaml with its expected message in NAME.err.
func badCases(t testing.TB, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no bad cases in testdata/%s (%v)", dir, err)
	}
	return files
}

// TestBadProfiles parses each bad profile and compares the whole error
// message with the expected one beside it, exactly: the messages are the
// user interface of this package.
func TestBadProfiles(t *testing.T) {
	for _, dir := range []string{"bad", "goonly"} {
		for _, file := range badCases(t, dir) {
			t.Run(dir+"/"+filepath.Base(file), func(t *testing.T) {
				data, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				_, perr := Parse(filepath.Base(file), data)
				if perr == nil {
					t.Fatalf("Parse accepted %s", file)
				}
				got := perr.Error() + "\n"
				want := strings.TrimSuffix(file, ".yaml") + ".err"
				if *update {
					if err := os.WriteFile(want, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				exp, err := os.ReadFile(want)
				if err != nil {
					t.Fatalf("%v (run go test ./generator/profile -update to write it)", err)
				}
				if got != string(exp) {
					t.Errorf("message for %s\n got: %s\nwant: %s", file, got, exp)
				}
			})
		}
	}
}
