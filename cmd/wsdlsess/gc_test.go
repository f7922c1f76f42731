package main

import (
	"math"
	"os"
	"runtime/debug"
	"testing"
)

// TestTuneGC: generate collects only near generateMemoryLimit unless GOGC
// or GOMEMLIMIT says otherwise, and puts the settings back after.
func TestTuneGC(t *testing.T) {
	for _, v := range []string{"GOGC", "GOMEMLIMIT"} {
		t.Setenv(v, "")
		if _, set := tuneGC(); set {
			t.Errorf("tuneGC overrode %s", v)
		}
		if err := os.Unsetenv(v); err != nil {
			t.Fatal(err)
		}
	}
	percent := debug.SetGCPercent(100)
	limit := debug.SetMemoryLimit(math.MaxInt64)
	defer func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}()
	restore, set := tuneGC()
	if got := debug.SetMemoryLimit(-1); !set || got != generateMemoryLimit {
		t.Errorf("memory limit %d (set %v), want %d", got, set, generateMemoryLimit)
	}
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Errorf("GC percent %d, want the collector off below the limit", got)
	}
	restore()
	if got := debug.SetGCPercent(-1); got != 100 {
		t.Errorf("GC percent %d after restore, want 100", got)
	}
	debug.SetGCPercent(100)
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("memory limit %d after restore", got)
	}
}
