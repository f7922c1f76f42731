package main

import (
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// generateMemoryLimit is the heap generate grows to before its first
// collection, unless GOGC or GOMEMLIMIT is set. A run is one short burst
// of allocation (the model, then jennifer's statements and text) that the
// process exits right after, so a collection only marks a model still in
// use: about a seventh of EWS's CPU even at GOGC 400. The largest WSDLs
// known allocate far less than this in all (vSphere 185 MB, NetSuite 123,
// vboxweb 94, EWS 30) and collect never; a larger one collects as it
// nears the limit (the live heap of every one of them stays under 25 MB).
const generateMemoryLimit = 512 << 20

// tuneGC turns the collector off below the memory limit unless the user
// chose with GOGC or GOMEMLIMIT, and returns what restores the settings
// it replaced. In a container the limit is at most half of its memory
// (go:generate often runs in a CI container with little of it).
func tuneGC() (restore func(), set bool) {
	for _, v := range []string{"GOGC", "GOMEMLIMIT"} {
		if _, ok := os.LookupEnv(v); ok {
			return func() {}, false
		}
	}
	limit := int64(generateMemoryLimit)
	if c, ok := containerMemory(); ok && c/2 < limit {
		limit = c / 2
	}
	percent := debug.SetGCPercent(-1)
	old := debug.SetMemoryLimit(limit)
	return func() {
		debug.SetMemoryLimit(old)
		debug.SetGCPercent(percent)
	}, true
}

// cgroupMemoryFiles hold the memory limit of the process's cgroup (v2,
// then v1); a variable for tests.
var cgroupMemoryFiles = []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}

// containerMemory is the memory limit of the process's cgroup, when one
// is set.
func containerMemory() (int64, bool) {
	for _, f := range cgroupMemoryFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		// "max" (v2) or a number near MaxInt64 (v1): no limit.
		if err != nil || n <= 0 || n >= 1<<62 {
			return 0, false
		}
		return n, true
	}
	return 0, false
}
