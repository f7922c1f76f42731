package generator

import (
	"errors"
	"strings"
	"testing"
)

func TestGuardTurnsPanicIntoError(t *testing.T) {
	err := guard("rendering types.go", func() error {
		var s []int
		_ = s[len(s)] // panics: index out of range
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "internal error rendering types.go: runtime error: index out of range [0] with length 0") {
		t.Fatalf("err = %v", err)
	}
	want := errors.New("plain")
	if err := guard("x", func() error { return want }); err != want {
		t.Fatalf("err = %v, want the function's own error", err)
	}
}
