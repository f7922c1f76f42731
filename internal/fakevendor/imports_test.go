package fakevendor

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The fakes test the runtime, so they must not be built from it: a fake
// that reused the runtime's envelope or fault code would agree with its
// bugs.
func TestDoesNotImportRuntime(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(path, "github.com/wsdlsess/wsdlsess/") {
				t.Errorf("%s imports %s: fakevendor must not depend on the code it tests", name, path)
			}
		}
	}
}
