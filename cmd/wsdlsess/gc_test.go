package main

import (
	"os"
	"runtime/debug"
	"testing"
)

// TestTuneGC: generate raises the GC target unless GOGC says otherwise.
func TestTuneGC(t *testing.T) {
	t.Setenv("GOGC", "")
	if _, set := tuneGC(); set {
		t.Error("tuneGC overrode GOGC")
	}
	if err := os.Unsetenv("GOGC"); err != nil {
		t.Fatal(err)
	}
	old, set := tuneGC()
	defer debug.SetGCPercent(old)
	if got := debug.SetGCPercent(old); !set || got != generateGC {
		t.Errorf("GC percent %d (set %v), want %d", got, set, generateGC)
	}
}
