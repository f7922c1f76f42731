package generator

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBadProfileCorpus runs every case of testdata/profile-bad: a profile
// (its first line names the WSDL it is bound to) with one broken thing, or
// several, and the exact message in want-error.txt (rewritten by -update).
func TestBadProfileCorpus(t *testing.T) {
	profiles, err := filepath.Glob(filepath.Join("..", "testdata", "profile-bad", "*", "profile.yaml"))
	if err != nil || len(profiles) == 0 {
		t.Fatalf("no bad-profile cases found (%v)", err)
	}
	for _, prof := range profiles {
		dir := filepath.Dir(prof)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			wsdl := filepath.Join(dir, firstLineValue(t, prof, "# wsdl: "))
			_, err := Generate(Options{WSDL: wsdl, Package: "p", Profile: prof})
			if err == nil {
				t.Fatal("Generate succeeded, want an error")
			}
			// The message names the profile by the path given, and a
			// base beside it by that directory; the corpus stores them
			// relative to the case directory.
			got := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
			wantFile := filepath.Join(dir, "want-error.txt")
			if *update {
				if err := os.WriteFile(wantFile, []byte(got+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatalf("%v (run go test ./generator -run TestBadProfileCorpus -update)", err)
			}
			if strings.TrimSpace(string(want)) != got {
				t.Errorf("message\n got: %s\nwant: %s", got, strings.TrimSpace(string(want)))
			}
			for _, line := range strings.Split(got, "\n") {
				if !fileLine.MatchString(line) {
					t.Errorf("line %q does not start with the file:line of the profile or a base it extends", line)
				}
			}
		})
	}
}

// fileLine: a problem starts with the file:line that set the key, the
// profile's or a base's (a built-in is named NAME.yaml).
var fileLine = regexp.MustCompile(`^[a-z0-9-]+\.yaml:[0-9]+: `)

func firstLineValue(t *testing.T, file, prefix string) string {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if sc.Scan() && strings.HasPrefix(sc.Text(), prefix) {
		return strings.TrimPrefix(sc.Text(), prefix)
	}
	t.Fatalf("%s: the first line must be %q followed by the WSDL path", file, prefix)
	return ""
}
