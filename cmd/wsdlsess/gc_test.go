package main

import (
	"math"
	"os"
	"path/filepath"
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
	cgroupMemoryFiles = nil // no container here
	defer func() { cgroupMemoryFiles = defaultCgroupFiles }()
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

var defaultCgroupFiles = cgroupMemoryFiles

// TestTuneGCInAContainer: in a cgroup with little memory the limit is
// half of it; "max" or v1's near-MaxInt64 mean no limit.
func TestTuneGCInAContainer(t *testing.T) {
	t.Cleanup(func() { cgroupMemoryFiles = defaultCgroupFiles })
	for _, v := range []string{"GOGC", "GOMEMLIMIT"} {
		t.Setenv(v, "") // restored after the test
		if err := os.Unsetenv(v); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		text string
		want int64
	}{
		{"268435456\n", 128 << 20},
		{"max\n", generateMemoryLimit},
		{"9223372036854771712\n", generateMemoryLimit},
		{"4294967296\n", generateMemoryLimit},
	} {
		cgroupMemoryFiles = []string{filepath.Join(dir, "absent"), write("memory.max", c.text)}
		percent := debug.SetGCPercent(100)
		limit := debug.SetMemoryLimit(math.MaxInt64)
		restore, _ := tuneGC()
		if got := debug.SetMemoryLimit(-1); got != c.want {
			t.Errorf("cgroup limit %q: memory limit %d, want %d", c.text, got, c.want)
		}
		restore()
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}
