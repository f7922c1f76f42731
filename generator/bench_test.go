package generator

import (
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
		b.Run(name+"/gowsdl", func(b *testing.B) {
			for b.Loop() {
				g, err := gowsdl.NewGoWSDL(path, "p", false, true)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := g.Start(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
