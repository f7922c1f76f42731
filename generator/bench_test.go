package generator

import (
	"bytes"
	"go/format"
	"io"
	"log"
	"path/filepath"
	"testing"

	"github.com/hooklift/gowsdl"
)

// BenchmarkGenerate compares wsdlsess with gowsdl's own generator on the
// largest gowsdl fixtures and on this repository's largest case
// (oracle-crmod, about 640 KB of schema), in the same run:
//
//	go test ./generator -run '^$' -bench Generate -benchmem
//
// Compare cpu-ns/op (process CPU time): wsdlsess renders in parallel, so
// its ns/op (wall time) is below its cost on a busy machine.
//
// The vsphere case is measured for wsdlsess only: gowsdl does not follow
// its service-only entry WSDL to the imported binding, so its output is
// next to empty and no comparison.
func BenchmarkGenerate(b *testing.B) {
	dir := gowsdlFixtures(b)
	cases := []struct {
		name, path, profile string
		peer                bool
	}{
		{"vboxweb.wsdl", filepath.Join(dir, "vboxweb.wsdl"), "", true},
		{"ec2.wsdl", filepath.Join(dir, "ec2.wsdl"), "", true},
		{"oracle-crmod", "../testdata/wsdl/oracle-crmod/account.wsdl", "oracle-crmod", true},
		{"vsphere", "../testdata/wsdl/vsphere/vimService.wsdl", "vsphere", false},
	}
	for _, c := range cases {
		b.Run(c.name+"/wsdlsess", func(b *testing.B) {
			defer cpuMeter(b)()
			for b.Loop() {
				if _, err := Generate(Options{WSDL: c.path, Package: "p", Profile: c.profile}); err != nil {
					b.Fatal(err)
				}
			}
		})
		if !c.peer {
			continue
		}
		// gowsdl's Start returns unformatted code; its CLI then runs
		// format.Source over header+types+operations+soap. Both variants
		// are measured: wsdlsess output is always gofmt'ed.
		b.Run(c.name+"/gowsdl-start", func(b *testing.B) {
			defer cpuMeter(b)()
			for b.Loop() {
				gowsdlStart(b, c.path)
			}
		})
		b.Run(c.name+"/gowsdl-start+gofmt", func(b *testing.B) {
			defer cpuMeter(b)()
			for b.Loop() {
				code := gowsdlStart(b, c.path)
				var buf bytes.Buffer
				for _, k := range []string{"header", "types", "operations", "soap"} {
					buf.Write(code[k])
				}
				// Errors are ignored as gowsdl's CLI writes the raw code
				// then; the work is what is measured.
				_, _ = format.Source(buf.Bytes())
			}
		})
	}
}

func gowsdlStart(b *testing.B, path string) map[string][]byte {
	g, err := gowsdl.NewGoWSDL(path, "p", false, true)
	if err != nil {
		b.Fatal(err)
	}
	code, err := g.Start()
	if err != nil {
		b.Fatal(err)
	}
	return code
}

func init() {
	// gowsdl logs every file it reads through the standard logger.
	log.SetOutput(io.Discard)
}
