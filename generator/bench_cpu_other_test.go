//go:build !unix

package generator

import "testing"

// cpuMeter reports nothing where getrusage is missing.
func cpuMeter(*testing.B) func() { return func() {} }
