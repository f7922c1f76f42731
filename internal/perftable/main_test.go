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
pkg: github.com/wsdlsess/wsdlsess/generator
BenchmarkBuildGenerated/vsphere/wsdlsess-2 1 326655445 ns/op 43.64 MB-peak 0.3259 s/build
BenchmarkBuildGenerated/vsphere/gowsdl-2 1 279640413 ns/op 35.10 MB-peak 0.2787 s/build
BenchmarkBuildGenerated/siebel/wsdlsess-2 1 573181345 ns/op 41.61 MB-peak 0.5722 s/build
BenchmarkBuildGenerated/siebel/gowsdl-2 1 207664698 ns/op 1.000 build-failed
pkg: github.com/wsdlsess/wsdlsess/generator/internal/reqsize
BenchmarkRequestSize/salesforce-partner/create/wsdlsess-2 1 1511361 ns/op 1.333 decls/ns 1760 req-bytes
BenchmarkRequestSize/salesforce-partner/create/gowsdl-2 1 576829 ns/op 986.0 req-bytes
`

// TestTable: medians per benchmark and unit, packages kept apart, ratios
// within the run, rows whose benchmarks did not run say so, and so do rows
// whose code did not compile.
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
		"| `go build` of the generated package, vSphere-shaped golden case: wsdlsess ÷ gowsdl | **1.17** | ≤ 1.5 |",
		"| peak memory of that `go build`, MB | 44 | < 600 |",
		"| `go build`, siebel: wsdlsess ÷ gowsdl | gowsdl's output does not compile; wsdlsess: 0.57 s/build | ≤ 1.5 |",
		"| `go build`, ec2.wsdl: wsdlsess ÷ gowsdl | not run | ≤ 1.5 |",
		"| request bytes, Salesforce Partner `create` of 5 sObjects: wsdlsess ÷ gowsdl | **1.78** | ≤ 1 |",
		"| namespace declarations per namespace, Partner `create` of 5 sObjects | 1.33 | 1 |",
		"Medians of 1 samples each (3 for those run several times a round)", // BareCall has three
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
