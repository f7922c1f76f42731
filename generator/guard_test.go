package generator

import (
	"errors"
	"strings"
	"testing"
)

func TestGuardTurnsPanicIntoError(t *testing.T) {
	err := guard("rendering types.go", func() error {
		var m map[string]int
		m["x"] = 1 // panics: assignment to entry in nil map
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "internal error rendering types.go: assignment to entry in nil map") {
		t.Fatalf("err = %v", err)
	}
	want := errors.New("plain")
	if err := guard("x", func() error { return want }); err != want {
		t.Fatalf("err = %v, want the function's own error", err)
	}
}
