package show

import (
	"strings"
	"testing"
)

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
