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
// largest gowsdl fixtures, in the same run:
//
//	go test ./generator -run '^$' -bench Generate -benchmem
func BenchmarkGenerate(b *testing.B) {
	dir := gowsdlFixtures(b)
	for _, name := range []string{"vboxweb.wsdl", "ec2.wsdl"} {
		path := filepath.Join(dir, name)
		b.Run(name+"/wsdlsess", func(b *testing.B) {
			for b.Loop() {
				if _, err := Generate(Options{WSDL: path, Package: "p"}); err != nil {
					b.Fatal(err)
				}
			}
		})
		// gowsdl's Start returns unformatted code; its CLI then runs
		// format.Source over header+types+operations+soap. Both variants
		// are measured: wsdlsess output is always gofmt'ed.
		b.Run(name+"/gowsdl-start", func(b *testing.B) {
			for b.Loop() {
				gowsdlStart(b, path)
			}
		})
		b.Run(name+"/gowsdl-start+gofmt", func(b *testing.B) {
			for b.Loop() {
				code := gowsdlStart(b, path)
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
