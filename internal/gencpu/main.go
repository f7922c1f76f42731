// Command gencpu compares the whole-process CPU (user + system time, all
// threads, process start included) of `wsdlsess generate` with gowsdl
// v0.5.0's command on WSDLs given by path: the measure of generation
// speed on vendor WSDLs that cannot be committed here (Workday, NetSuite,
// EWS, vSphere; docs/real-wsdls.md says where they come from).
//
//	go run ./internal/gencpu [-rounds 7] [-profile none] [-bench] WSDL...
//
// With -bench it prints each run as a line of go test -bench output
// (BenchmarkCLI/<file>/wsdlsess … cpu-ns/op), which scripts/perftable
// collects.
//
// Both commands are built first (gowsdl from this module's pinned
// version). Each round runs the two one after the other, in an order that
// alternates, each in an empty directory of its own; every row is a ratio
// of the two medians.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"time"
)

func main() {
	rounds := flag.Int("rounds", 7, "runs of each command per WSDL")
	profile := flag.String("profile", "none", "wsdlsess -profile")
	bench := flag.Bool("bench", false, "print go test -bench lines instead of a table")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: gencpu [-rounds N] [-profile NAME] WSDL...")
		os.Exit(2)
	}
	tmp, err := os.MkdirTemp("", "gencpu")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(tmp)
	wsdlsess, gowsdl := filepath.Join(tmp, "wsdlsess"), filepath.Join(tmp, "gowsdl")
	for _, b := range [][]string{
		{"-o", wsdlsess, "./cmd/wsdlsess"},
		{"-o", gowsdl, "github.com/hooklift/gowsdl/cmd/gowsdl"},
	} {
		cmd := exec.Command("go", append([]string{"build"}, b...)...)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fail(fmt.Errorf("go build %s: %w", b[2], err))
		}
	}

	if *bench {
		fmt.Println("pkg: gencpu")
	} else {
		fmt.Println("| WSDL | wsdlsess CPU, ms | gowsdl CPU, ms | wsdlsess ÷ gowsdl |")
		fmt.Println("|---|---|---|---|")
	}
	for _, w := range flag.Args() {
		abs, err := filepath.Abs(w)
		if err != nil {
			fail(err)
		}
		ours := []string{wsdlsess, "generate", "-wsdl", abs, "-profile", *profile, "-pkg", "p", "-out", "out"}
		theirs := []string{gowsdl, "-p", "p", "-o", "p.go", abs}
		var a, b []time.Duration
		for r := range *rounds {
			first, second := &a, &b
			c1, c2 := ours, theirs
			if r%2 == 1 {
				first, second, c1, c2 = second, first, theirs, ours
			}
			*first = append(*first, cpu(tmp, c1))
			*second = append(*second, cpu(tmp, c2))
		}
		if *bench {
			for i := range a {
				fmt.Printf("BenchmarkCLI/%s/wsdlsess 1 %d cpu-ns/op\n", filepath.Base(w), a[i].Nanoseconds())
				fmt.Printf("BenchmarkCLI/%s/gowsdl 1 %d cpu-ns/op\n", filepath.Base(w), b[i].Nanoseconds())
			}
			continue
		}
		ma, mb := median(a), median(b)
		fmt.Printf("| %s | %.1f | %.1f | **%.2f** |\n", filepath.Base(w), ms(ma), ms(mb), float64(ma)/float64(mb))
	}
}

// cpu runs argv in a new empty directory under tmp and returns its user
// plus system time. A failed run ends the measurement: a command that
// stops early would look fast.
func cpu(tmp string, argv []string) time.Duration {
	dir, err := os.MkdirTemp(tmp, "run")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		fail(fmt.Errorf("%s: %w\n%s", filepath.Base(argv[0]), err, out))
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gencpu:", err)
	os.Exit(1)
}
