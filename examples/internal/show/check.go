package show

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// Run runs an example's run function and checks its output with Expect.
func Run(t *testing.T, run func(io.Writer) error, lines ...string) {
	t.Helper()
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	Expect(t, out.String(), lines...)
}

// Expect fails t if the output shows a password, or unless the example's output holds each server line (the
// counts the fake server kept), in order. The counts are what the example
// demonstrates; a change in session behaviour changes them.
func Expect(t *testing.T, out string, lines ...string) {
	t.Helper()
	// Every example's password contains s3cret; sessions must show only
	// as short hashes.
	if strings.Contains(out, "s3cret") {
		t.Errorf("the output shows a password:\n%s", out)
	}
	rest := out
	for _, l := range lines {
		i := strings.Index(rest, l+"\n")
		if i < 0 {
			t.Fatalf("output lacks %q (in order):\n%s", l, out)
		}
		rest = rest[i+len(l):]
	}
}
