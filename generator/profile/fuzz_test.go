package profile

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// FuzzParse feeds arbitrary bytes to Parse. It must never panic; every
// error must name the file; whatever it accepts must survive a round trip
// through yaml.Marshal unchanged, and must be accepted by the JSON Schema
// too (the schema is never stricter than the parser). Seeds: the built-ins
// and every bad case. Run longer with:
// go test ./generator/profile -run '^$' -fuzz '^FuzzParse$' -fuzztime 10m -parallel 1
var (
	errLine   = regexp.MustCompile(`^fuzz\.yaml:[0-9]+(:[0-9]+)?: `)
	errNoLine = regexp.MustCompile(`^fuzz\.yaml: (the file is empty|and [0-9]+ more problems?$)`)
)

func FuzzParse(f *testing.F) {
	schema := compileSchema(f)
	for _, name := range wantBuiltins {
		src, _ := BuiltinSource(name)
		f.Add(src)
	}
	for _, pattern := range []string{"testdata/bad/*.yaml", "testdata/goonly/*.yaml", "testdata/good/*.yaml"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("fuzz.yaml", data)
		if err != nil {
			// file:line: so an editor jumps to the mistake; only an empty
			// file has no line to name, and the cap on listed problems
			// ends with a count.
			for _, line := range strings.Split(err.Error(), "\n") {
				if !errLine.MatchString(line) && !errNoLine.MatchString(line) {
					t.Fatalf("error line is not of the form fuzz.yaml:LINE: …: %q", line)
				}
			}
			return
		}
		if err := schemaCheck(t, schema, data); err != nil {
			t.Fatalf("the parser accepts this but the schema rejects it: %v\ninput:\n%s", err, data)
		}
		out, err := yaml.Marshal(p)
		if err != nil {
			t.Fatalf("marshal of an accepted profile: %v", err)
		}
		q, err := Parse("fuzz.yaml", out)
		if err != nil {
			t.Fatalf("accepted profile does not parse after marshal: %v\ninput:\n%s\nmarshalled:\n%s", err, data, out)
		}
		if diff := cmp.Diff(p, q, ignorePositions); diff != "" {
			t.Fatalf("round trip changed the profile (-first +second):\n%s", diff)
		}
	})
}
