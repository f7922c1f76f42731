package main

import (
	"os"
	"runtime/debug"
)

// generateGC is the GC target percentage generate runs with, unless
// GOGC is set. A run is one short burst of allocation (the model, then
// jennifer's statements and text) that the process exits right after:
// with the default 100 the collector marked the same live model over
// and over, about a sixth of the CPU of a large WSDL's generate. The
// peak it allows stays in the tens of MB (vboxweb.wsdl, 2.3 MB: 75 MB
// resident instead of 37).
const generateGC = 400

// tuneGC sets generateGC unless the user chose with GOGC, and returns
// the setting it replaced.
func tuneGC() (old int, set bool) {
	if _, ok := os.LookupEnv("GOGC"); ok {
		return 0, false
	}
	return debug.SetGCPercent(generateGC), true
}
