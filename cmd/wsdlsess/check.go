package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	udiff "github.com/aymanbagabas/go-udiff"
	"github.com/wsdlsess/wsdlsess/generator"
)

// check compares freshly generated files with the folder's and writes a
// unified diff of every difference to w (old: the folder, new: what
// generate would write). It reports whether the folder is current; it
// writes nothing to the folder.
func (d *outDir) check(files []generator.File, w io.Writer) (bool, error) {
	current := true
	show := func(name, old, new string) {
		current = false
		label := filepath.ToSlash(filepath.Join(d.path, name))
		io.WriteString(w, udiff.Unified("a/"+label, "b/"+label, old, new))
	}
	for _, f := range files {
		old, err := os.ReadFile(filepath.Join(d.abs, f.Name))
		if err != nil && !os.IsNotExist(err) {
			return false, fmt.Errorf("cannot read %s: %v", filepath.Join(d.path, f.Name), unwrapPath(err))
		}
		if string(old) != string(f.Content) {
			show(f.Name, string(old), string(f.Content))
		}
	}
	for _, name := range d.stale(files) {
		old, err := os.ReadFile(filepath.Join(d.abs, name))
		if err != nil {
			return false, fmt.Errorf("cannot read %s: %v", filepath.Join(d.path, name), unwrapPath(err))
		}
		show(name, string(old), "")
	}
	return current, nil
}
