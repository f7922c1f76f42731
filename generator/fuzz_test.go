package generator

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzGenerate: any document gives files or an *Error-style message, never
// a panic. Seeds are the construct, error and corpus cases.
//
//	go test ./generator -run '^$' -fuzz FuzzGenerate -fuzztime 30s
func FuzzGenerate(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/errors/*.wsdl")
	more, _ := filepath.Glob("testdata/wsdl/*/*.wsdl")
	corpus, _ := filepath.Glob("../testdata/wsdl/*/*.wsdl")
	for _, s := range append(append(seeds, more...), corpus...) {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "f.wsdl")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		files, err := Generate(Options{WSDL: path, Package: "p"})
		// client.go, operations.go, types.go, and headers.go when the
		// WSDL declares SOAP headers.
		if err == nil && len(files) != 3 && len(files) != 4 {
			t.Errorf("%d files without error", len(files))
		}
	})
}
