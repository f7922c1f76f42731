package main

import (
	"strings"
	"testing"
)

const sample = `goos: linux
pkg: github.com/wsdlsess/wsdlsess/runtime
BenchmarkBareCall-2   	16482	 70000 ns/op	 17594 B/op	 178 allocs/op
BenchmarkBareCall-2   	16482	 80000 ns/op	 17594 B/op	 176 allocs/op
BenchmarkBareCall-2   	16482	 90000 ns/op	 17594 B/op	 177 allocs/op
BenchmarkSessionCall-2	14466	 84000 ns/op	 17165 B/op	 180 allocs/op
BenchmarkLoginsPerExpiry-2 128 8478831 ns/op 1.000 logins/expiry 2685109 B/op 34039 allocs/op
pkg: github.com/wsdlsess/wsdlsess/runtime/redisstore
BenchmarkLoginsPerExpiry/unshared-2 10 1 ns/op 4.000 logins/expiry
`

// TestTable: medians per benchmark and unit, packages kept apart, ratios
// within the run, rows whose benchmarks did not run say so.
func TestTable(t *testing.T) {
	res, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	write(&b, res)
	out := b.String()
	for _, want := range []string{
		"| call with a session ÷ bare `xml.Marshal` + POST + `xml.Unmarshal` | **1.05** | ≤ 1.05 |",
		"| allocs/op: bare marshal + POST | 177 |",
		"| logins per expiry, 64 goroutines on one client | 1 | 1 |",
		"| logins per expiry, 4 clients, each its own store | 4 |",
		"| logins per expiry, 4 clients × 25 goroutines, one Redis | not run |",
		"Medians of 3 samples each",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
