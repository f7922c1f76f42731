package main

import (
	"os"
	"runtime/debug"
)

// generateMemoryLimit is the heap generate grows to before its first
// collection, unless GOGC or GOMEMLIMIT is set. A run is one short burst
// of allocation (the model, then jennifer's statements and text) that the
// process exits right after, so a collection only marks a model still in
// use: at GOGC 400 they were about a seventh of EWS's CPU. The largest
// WSDLs known allocate far less than this in all (vSphere 185 MB, NetSuite
// 123, vboxweb 94, EWS 30) and collect never; a larger one collects as it
// nears the limit (the live heap of every one of them stays under 25 MB).
const generateMemoryLimit = 512 << 20

// tuneGC turns the collector off below generateMemoryLimit unless the
// user chose with GOGC or GOMEMLIMIT, and returns what restores the
// settings it replaced.
func tuneGC() (restore func(), set bool) {
	for _, v := range []string{"GOGC", "GOMEMLIMIT"} {
		if _, ok := os.LookupEnv(v); ok {
			return func() {}, false
		}
	}
	percent := debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(generateMemoryLimit)
	return func() {
		debug.SetMemoryLimit(limit)
		debug.SetGCPercent(percent)
	}, true
}
