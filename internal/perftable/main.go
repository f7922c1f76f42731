// Command perftable turns one run of the wsdlsess benchmarks (go test
// -bench output, as scripts/perftable writes it) into the Markdown table of
// README's "Measured numbers": every row a ratio or a count measured in
// that one run, never absolute times taken from different runs.
//
//	go run ./internal/perftable perf.txt
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

// results maps "pkg/Benchmark/sub" (the -N GOMAXPROCS suffix removed) to
// each unit's samples.
type results map[string]map[string][]float64

// parse reads go test -bench output; "pkg:" lines qualify the names, so
// runtime's and redisstore's BenchmarkLoginsPerExpiry stay apart.
func parse(r io.Reader) (results, error) {
	res := results{}
	pkg := ""
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = p[strings.LastIndex(p, "/")+1:]
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := f[0]
		if i := strings.LastIndex(name, "-"); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		name = pkg + "/" + strings.TrimPrefix(name, "Benchmark")
		if res[name] == nil {
			res[name] = map[string][]float64{}
		}
		// f[1] is the iteration count; then value unit pairs.
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%q: %v", line, err)
			}
			res[name][f[i+1]] = append(res[name][f[i+1]], v)
		}
	}
	return res, sc.Err()
}

// median of name's samples in unit; ok is false when the benchmark did
// not run (the Redis rows without a redis-server).
func (r results) median(name, unit string) (float64, bool) {
	s := append([]float64(nil), r[name][unit]...)
	if len(s) == 0 {
		return 0, false
	}
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2], true
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2, true
}

// row is one line of the table: a ratio a/b of one unit, or (b == "") the
// value of a itself.
type row struct {
	what, a, b, unit, target string
}

var rows = []row{
	{"generation CPU, vboxweb.wsdl (2.3 MB): wsdlsess ÷ gowsdl's CLI (`Start()` + gofmt)", "generator/Generate/vboxweb.wsdl/wsdlsess", "generator/Generate/vboxweb.wsdl/gowsdl-start+gofmt", "cpu-ns/op", "≤ 0.6"},
	{"generation CPU, oracle-crmod (640 KB of schema): wsdlsess ÷ gowsdl's CLI", "generator/Generate/oracle-crmod/wsdlsess", "generator/Generate/oracle-crmod/gowsdl-start+gofmt", "cpu-ns/op", "≤ 0.6"},
	{"generation CPU, ec2.wsdl (340 KB): wsdlsess ÷ gowsdl's CLI", "generator/Generate/ec2.wsdl/wsdlsess", "generator/Generate/ec2.wsdl/gowsdl-start+gofmt", "cpu-ns/op", "≤ 0.6"},
	{"generation CPU, the two commands as processes (start included), vboxweb.wsdl: `wsdlsess generate` ÷ `gowsdl`", "gencpu/CLI/vboxweb.wsdl/wsdlsess", "gencpu/CLI/vboxweb.wsdl/gowsdl", "cpu-ns/op", "≤ 0.6"},
	{"the same, oracle-crmod `account.wsdl`", "gencpu/CLI/account.wsdl/wsdlsess", "gencpu/CLI/account.wsdl/gowsdl", "cpu-ns/op", "≤ 0.6"},
	{"the same, ec2.wsdl", "gencpu/CLI/ec2.wsdl/wsdlsess", "gencpu/CLI/ec2.wsdl/gowsdl", "cpu-ns/op", "≤ 0.6"},
	{"generation CPU, vboxweb.wsdl: wsdlsess ÷ gowsdl `Start()` alone (unformatted code)", "generator/Generate/vboxweb.wsdl/wsdlsess", "generator/Generate/vboxweb.wsdl/gowsdl-start", "cpu-ns/op", ""},
	{"decode, EC2-like answer (200 instances, 190 KB): `xml.Unmarshal` into plain structs ÷ wsdlsess", "runtime/DecodeLarge/ec2-200/xml-unmarshal-plain", "runtime/DecodeLarge/ec2-200/xmldec", "ns/op", "≥ 4"},
	{"allocations of that decode: `xml.Unmarshal` ÷ wsdlsess", "runtime/DecodeLarge/ec2-200/xml-unmarshal-plain", "runtime/DecodeLarge/ec2-200/xmldec", "allocs/op", "≥ 4"},
	{"decode, Salesforce Partner query (2,000 records): `xml.Unmarshal` into plain structs ÷ wsdlsess", "runtime/DecodeLarge/sf-partner-2000/xml-unmarshal-plain", "runtime/DecodeLarge/sf-partner-2000/xmldec", "ns/op", "≥ 4"},
	{"allocations of that decode: `xml.Unmarshal` ÷ wsdlsess", "runtime/DecodeLarge/sf-partner-2000/xml-unmarshal-plain", "runtime/DecodeLarge/sf-partner-2000/xmldec", "allocs/op", "≥ 4"},
	{"encode, Salesforce Partner `create` of 200 sObjects: `xml.Marshal` of the envelope ÷ wsdlsess", "runtime/EncodeLarge/salesforce-partner-create-200/xml-marshal-plain", "runtime/EncodeLarge/salesforce-partner-create-200/xmlenc", "ns/op", "≥ 2"},
	{"encode, vSphere `RetrieveProperties` of 100 specs: `xml.Marshal` of the envelope ÷ wsdlsess", "runtime/EncodeLarge/vsphere-retrieveproperties-100/xml-marshal-plain", "runtime/EncodeLarge/vsphere-retrieveproperties-100/xmlenc", "ns/op", "≥ 2"},
	{"call with a session ÷ bare `xml.Marshal` + POST + `xml.Unmarshal`", "runtime/SessionCall", "runtime/BareCall", "ns/op", "≤ 1.05"},
	{"call without a profile ÷ bare marshal + POST", "runtime/PlainInvoke", "runtime/BareCall", "ns/op", ""},
	{"call on the runtime's default client ÷ on a supplied client (no ctx deadline), both in one loop, one ctx for all calls", "runtime/DefaultClientPaired/one-ctx", "", "default/supplied", "≤ 1.02"},
	{"the same, a new ctx for each call (a server's request ctx)", "runtime/DefaultClientPaired/ctx-per-call", "", "default/supplied", ""},
	{"the same, as two benchmarks", "runtime/PlainInvoke", "runtime/PlainInvokeSuppliedClient", "ns/op", ""},
	{"allocs/op: bare marshal + POST", "runtime/BareCall", "", "allocs/op", ""},
	{"allocs/op: call with a session", "runtime/SessionCall", "", "allocs/op", ""},
	{"logins per expiry, 64 goroutines on one client", "runtime/LoginsPerExpiry", "", "logins/expiry", "1"},
	{"logins per expiry, 4 clients × 25 goroutines, one in-memory store", "redisstore/LoginsPerExpiry/memory", "", "logins/expiry", "1"},
	{"logins per expiry, 4 clients × 25 goroutines, one Redis", "redisstore/LoginsPerExpiry/redis", "", "logins/expiry", "1"},
	{"logins per expiry, 4 clients, each its own store", "redisstore/LoginsPerExpiry/unshared", "", "logins/expiry", "(4: what sharing saves)"},
	{"call on a live session, Redis store ÷ in-memory store", "redisstore/Call/redis", "redisstore/Call/memory", "ns/op", "≈ 1 (the store is not touched per call)"},
	{"rotating profile (Siebel): pool of 4 ÷ pool of 1, time per call", "runtime/RotatingPool/pool4", "runtime/RotatingPool/pool1", "ns/op", ""},
	{"rotating profile: pool of 16 ÷ pool of 1, time per call", "runtime/RotatingPool/pool16", "runtime/RotatingPool/pool1", "ns/op", ""},
	{"`go build` of the generated package, vSphere-shaped golden case: wsdlsess ÷ gowsdl", "generator/BuildGenerated/vsphere/wsdlsess", "generator/BuildGenerated/vsphere/gowsdl", "s/build", "≤ 1.5"},
	{"peak memory of that `go build`, MB", "generator/BuildGenerated/vsphere/wsdlsess", "", "MB-peak", "< 600"},
	{"`go build`, oracle-crmod (largest golden case): wsdlsess ÷ gowsdl", "generator/BuildGenerated/oracle-crmod/wsdlsess", "generator/BuildGenerated/oracle-crmod/gowsdl", "s/build", "≤ 1.5"},
	{"peak memory of that `go build`, MB", "generator/BuildGenerated/oracle-crmod/wsdlsess", "", "MB-peak", "< 600"},
	{"`go build`, salesforce-partner: wsdlsess ÷ gowsdl", "generator/BuildGenerated/salesforce-partner/wsdlsess", "generator/BuildGenerated/salesforce-partner/gowsdl", "s/build", "≤ 1.5"},
	{"`go build`, salesforce-enterprise: wsdlsess ÷ gowsdl", "generator/BuildGenerated/salesforce-enterprise/wsdlsess", "generator/BuildGenerated/salesforce-enterprise/gowsdl", "s/build", "≤ 1.5"},
	{"`go build`, siebel: wsdlsess ÷ gowsdl", "generator/BuildGenerated/siebel/wsdlsess", "generator/BuildGenerated/siebel/gowsdl", "s/build", "≤ 1.5"},
	{"`go build`, salesforce-metadata: wsdlsess ÷ gowsdl", "generator/BuildGenerated/salesforce-metadata/wsdlsess", "generator/BuildGenerated/salesforce-metadata/gowsdl", "s/build", "≤ 1.5"},
	{"`go build`, ec2.wsdl: wsdlsess ÷ gowsdl", "generator/BuildGenerated/ec2/wsdlsess", "generator/BuildGenerated/ec2/gowsdl", "s/build", "≤ 1.5"},
	{"`go build`, vboxweb.wsdl: wsdlsess ÷ gowsdl", "generator/BuildGenerated/vboxweb/wsdlsess", "generator/BuildGenerated/vboxweb/gowsdl", "s/build", "≤ 1.5"},
	{"peak memory of that `go build`, MB", "generator/BuildGenerated/vboxweb/wsdlsess", "", "MB-peak", "< 600"},
	{"request bytes, Salesforce Partner `query`: wsdlsess ÷ gowsdl", "reqsize/RequestSize/salesforce-partner/query/wsdlsess", "reqsize/RequestSize/salesforce-partner/query/gowsdl", "req-bytes", "≤ 1"},
	{"request bytes, Salesforce Partner `create` of 5 sObjects: wsdlsess ÷ gowsdl", "reqsize/RequestSize/salesforce-partner/create/wsdlsess", "reqsize/RequestSize/salesforce-partner/create/gowsdl", "req-bytes", "≤ 1"},
	{"request bytes, vSphere `RetrieveProperties`: wsdlsess ÷ gowsdl", "reqsize/RequestSize/vsphere/RetrieveProperties/wsdlsess", "reqsize/RequestSize/vsphere/RetrieveProperties/gowsdl", "req-bytes", "≤ 1"},
	{"namespace declarations per namespace, Partner `query` (session header and body)", "reqsize/RequestSize/salesforce-partner/query/wsdlsess", "", "decls/ns", "1"},
	{"namespace declarations per namespace, Partner `create` of 5 sObjects", "reqsize/RequestSize/salesforce-partner/create/wsdlsess", "", "decls/ns", "1"},
	{"namespace declarations per namespace, vSphere `RetrieveProperties`", "reqsize/RequestSize/vsphere/RetrieveProperties/wsdlsess", "", "decls/ns", "1"},
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: perftable BENCH-OUTPUT")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "perftable:", err)
		os.Exit(1)
	}
	defer f.Close()
	res, err := parse(f)
	if err != nil {
		fmt.Fprintln(os.Stderr, "perftable:", err)
		os.Exit(1)
	}
	write(os.Stdout, res)
}

// missing says why name has no sample in the row's unit: the benchmark did
// not run, or (BenchmarkBuildGenerated) the code it builds does not
// compile, which it reports as build-failed.
func (r results) missing(name string) string {
	if _, failed := r.median(name, "build-failed"); failed {
		return side(name) + "'s output does not compile"
	}
	return "not run"
}

// side is the last element of a benchmark's name: wsdlsess, gowsdl.
func side(name string) string {
	return name[strings.LastIndex(name, "/")+1:]
}

// value formats a measured value: counts as they are, megabytes whole,
// seconds to the hundredth.
func value(v float64, unit string) string {
	switch unit {
	case "MB-peak":
		return strconv.FormatFloat(v, 'f', 0, 64)
	case "s/build", "decls/ns", "default/supplied":
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func write(w io.Writer, res results) {
	fmt.Fprintln(w, "| measure | value | target |")
	fmt.Fprintln(w, "|---|---|---|")
	for _, r := range rows {
		a, ok := res.median(r.a, r.unit)
		if !ok {
			fmt.Fprintf(w, "| %s | %s | %s |\n", r.what, res.missing(r.a), r.target)
			continue
		}
		if r.b == "" {
			fmt.Fprintf(w, "| %s | %s | %s |\n", r.what, value(a, r.unit), r.target)
			continue
		}
		b, ok := res.median(r.b, r.unit)
		if !ok || b == 0 {
			why := res.missing(r.b)
			if why != "not run" {
				// What the dividend measured still counts.
				why += fmt.Sprintf("; %s: %s %s", side(r.a), value(a, r.unit), r.unit)
			}
			fmt.Fprintf(w, "| %s | %s | %s |\n", r.what, why, r.target)
			continue
		}
		fmt.Fprintf(w, "| %s | **%.2f** | %s |\n", r.what, a/b, r.target)
	}
	// The rounds are the fewest samples any benchmark has; some run
	// several times a round.
	rounds, most := 0, 0
	for _, s := range res {
		for _, v := range s {
			if rounds == 0 || len(v) < rounds {
				rounds = len(v)
			}
			most = max(most, len(v))
		}
	}
	more := ""
	if most > rounds {
		more = fmt.Sprintf(" (%d for those run several times a round)", most)
	}
	fmt.Fprintf(w, "\nMedians of %d samples each%s, all from one run on one machine (`./scripts/perftable %d`).\n", rounds, more, rounds)
}
