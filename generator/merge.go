package generator

import (
	"bytes"
	"fmt"
	"sort"
)

// chunk is one rendered piece of a file, in gofmt's form.
type chunk struct {
	src []byte
}

// mergeChunks joins the rendered chunks of one file: the header and
// package clause of the first, the union of their imports, then their
// declarations in order. Each chunk is gofmt output, and gofmt formats
// top-level declarations independently, so the result is what formatting
// the whole file gives, without formatting it again.
func mergeChunks(chunks []chunk) ([]byte, error) {
	if len(chunks) == 1 {
		return chunks[0].src, nil
	}
	var head []byte
	specs := map[string]string{} // import path → its spec line
	var bodies [][]byte
	for i, c := range chunks {
		h, imports, body, err := splitImports(c.src)
		if err != nil {
			return nil, fmt.Errorf("chunk %d: %v", i, err)
		}
		if i == 0 {
			head = h
		}
		for _, spec := range imports {
			specs[importPath(spec)] = spec
		}
		if len(bytes.TrimSpace(body)) > 0 {
			bodies = append(bodies, body)
		}
	}
	paths := make([]string, 0, len(specs))
	for p := range specs {
		paths = append(paths, p)
	}
	sort.Strings(paths) // gofmt's order within one import group
	var out bytes.Buffer
	size := len(head) + 64
	for _, b := range bodies {
		size += len(b) + 1
	}
	for _, spec := range specs {
		size += len(spec) + 2
	}
	out.Grow(size)
	out.Write(head)
	switch len(paths) {
	case 0:
	case 1:
		fmt.Fprintf(&out, "\nimport %s\n", specs[paths[0]])
	default:
		out.WriteString("\nimport (\n")
		for _, p := range paths {
			fmt.Fprintf(&out, "\t%s\n", specs[p])
		}
		out.WriteString(")\n")
	}
	for _, b := range bodies {
		out.WriteByte('\n')
		out.Write(b)
	}
	return out.Bytes(), nil
}

// splitImports cuts gofmt output into what precedes the import
// declaration (through the package clause's line), the import specs, and
// the declarations after them (from their first line).
func splitImports(src []byte) (head []byte, specs []string, body []byte, err error) {
	pkg := bytes.Index(src, []byte("\npackage "))
	if pkg < 0 {
		return nil, nil, nil, fmt.Errorf("no package clause")
	}
	eol := bytes.IndexByte(src[pkg+1:], '\n')
	if eol < 0 {
		return src, nil, nil, nil
	}
	head = src[:pkg+1+eol+1]
	rest := bytes.TrimLeft(src[len(head):], "\n")
	switch {
	case bytes.HasPrefix(rest, []byte("import (\n")):
		end := bytes.Index(rest, []byte("\n)\n"))
		if end < 0 {
			return nil, nil, nil, fmt.Errorf("unterminated import block")
		}
		for _, line := range bytes.Split(rest[len("import (\n"):end], []byte("\n")) {
			if line = bytes.TrimSpace(line); len(line) > 0 {
				specs = append(specs, string(line))
			}
		}
		rest = rest[end+len("\n)\n"):]
	case bytes.HasPrefix(rest, []byte("import ")):
		eol := bytes.IndexByte(rest, '\n')
		if eol < 0 {
			return nil, nil, nil, fmt.Errorf("unterminated import")
		}
		specs = append(specs, string(bytes.TrimSpace(rest[len("import "):eol])))
		rest = rest[eol+1:]
	}
	return head, specs, bytes.TrimLeft(rest, "\n"), nil
}

// importPath is the quoted path of an import spec (`"p"` or `name "p"`).
func importPath(spec string) string {
	if i := bytes.IndexByte([]byte(spec), '"'); i >= 0 {
		return spec[i:]
	}
	return spec
}
