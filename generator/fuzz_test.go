package generator

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// maxFuzzWSDL caps a fuzz input. The engine mutates every byte of an input
// alike, so a 600 KB seed (Oracle's account.wsdl) spends nearly all execs
// copying bulk instead of reaching new structure; hostile sizes are the
// business of the size-bound tests, not of this target.
const maxFuzzWSDL = 64 << 10

// FuzzGenerate: any document gives either an error that names the file it
// came from, or the generated files, each of which go/parser accepts.
// Seeds are the corpus's WSDLs (../testdata/wsdl, construct and
// vendor-shaped cases) and its bad inputs (../testdata/wsdl-bad) that fit
// maxFuzzWSDL.
//
//	go test ./generator -run '^$' -fuzz '^FuzzGenerate$' -fuzztime 10m -parallel 1
func FuzzGenerate(f *testing.F) {
	seeds, _ := filepath.Glob("../testdata/wsdl-bad/*/*.wsdl")
	corpus, _ := filepath.Glob("../testdata/wsdl/*/*.wsdl")
	for _, s := range append(seeds, corpus...) {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) <= maxFuzzWSDL {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzWSDL {
			t.Skip("larger than maxFuzzWSDL")
		}
		path := filepath.Join(t.TempDir(), "f.wsdl")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		files, err := Generate(Options{WSDL: path, Package: "p"})
		if err != nil {
			// guard turns a generator panic into an "internal error";
			// that is still a bug the fuzzer must report.
			if strings.Contains(err.Error(), "internal error") {
				t.Fatalf("generator bug: %v", err)
			}
			// A user with a 40-file WSDL set must learn which file broke.
			if !strings.Contains(err.Error(), "f.wsdl") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		// client.go, operations.go, types.go, and headers.go when the
		// WSDL declares SOAP headers.
		if len(files) != 3 && len(files) != 4 {
			t.Fatalf("%d files without error", len(files))
		}
		fset := token.NewFileSet()
		for _, file := range files {
			if _, err := parser.ParseFile(fset, file.Name, file.Content, parser.AllErrors); err != nil {
				t.Fatalf("generated %s does not parse: %v\n%s", file.Name, err, file.Content)
			}
		}
	})
}
