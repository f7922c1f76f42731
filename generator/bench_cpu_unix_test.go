//go:build unix

package generator

import (
	"syscall"
	"testing"
	"time"
)

// cpuMeter reports the process CPU time (user+system, all threads: the
// garbage collector and the parallel rendering included) per iteration as
// cpu-ns/op, the figure to compare with gowsdl's single-threaded run;
// ns/op is wall time, which parallel rendering makes smaller. Call it
// right before the loop and call what it returns right after.
func cpuMeter(b *testing.B) func() {
	start := processCPU(b)
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(processCPU(b)-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
