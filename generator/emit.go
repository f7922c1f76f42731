package generator

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	goruntime "runtime"
	"strings"
	"sync"

	"github.com/dave/jennifer/jen"
)

// runtimePkg is the package users see (client options, credentials,
// faults, the XSD value types); implPkg holds what only generated code uses
// (descriptors, profile literals, XML helpers).
const (
	runtimePkg = "github.com/wsdlsess/wsdlsess/runtime"
	implPkg    = runtimePkg + "/impl"
)

// newFile starts a generated file with the header and the runtime and
// impl import names.
func newFile(h fileHead) *jen.File {
	f := jen.NewFile(h.pkg)
	for _, l := range h.header {
		f.HeaderComment(l)
	}
	f.ImportName(runtimePkg, "runtime")
	f.ImportName(implPkg, "impl")
	return f
}

// unit adds a few top-level declarations (one type with its methods,
// one operation descriptor, one method) to a file, through jennifer:
// jennifer writes every declaration.
type unit func(f *jen.File)

// jenUnit is the unit build.
func jenUnit(build func(f *jen.File)) unit { return build }

// unitsPerChunk: a large file's units render in chunks of this many, in
// parallel. Rendering (jennifer, then quickFormat) is most of a run;
// vboxweb's types.go alone is 1.4 MB, so rendering it whole keeps one
// core busy while the other idles. Chunks merge into one file that is
// byte for byte what rendering it whole gives (TestChunkedRenderIsWhole).
const unitsPerChunk = 150

// part is one generated file: built whole (the small files), or from
// units rendered in chunks.
type part struct {
	name  string
	whole func(*gen, fileHead) *jen.File
	units []unit
}

func emit(m *model, bs *bound, n *names, opts Options) ([]File, error) {
	return emitChunked(&gen{m: m, bs: bs, n: n}, opts, unitsPerChunk)
}

func emitChunked(g *gen, opts Options, perChunk int) ([]File, error) {
	head := newFileHead(opts)
	parts := []part{
		{name: "client.go", whole: emitClient},
		{name: "operations.go", units: emitOperations(g)},
		{name: "types.go", units: emitTypes(g)},
	}
	if len(g.bs.sessions) > 0 {
		parts = append(parts, part{name: "session.go", whole: emitSession})
	}
	if len(g.n.headerOpts) > 0 {
		parts = append(parts, part{name: "headers.go", whole: emitHeaders})
	}
	// One job per whole file or chunk; each reads g and writes only its
	// own slot.
	type job struct {
		part  int
		build func() *jen.File
		units []unit
		out   chunk
	}
	var jobs []*job
	for i, p := range parts {
		if p.whole != nil {
			jobs = append(jobs, &job{part: i, build: func() *jen.File { return p.whole(g, head) }})
			continue
		}
		for lo := 0; lo < len(p.units) || lo == 0; lo += perChunk {
			jobs = append(jobs, &job{part: i, units: p.units[lo:min(lo+perChunk, len(p.units))]})
		}
	}
	errs := make([]error, len(jobs))
	next := make(chan int, len(jobs))
	for i := range jobs {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range min(goruntime.GOMAXPROCS(0), len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				j := jobs[i]
				errs[i] = guard("rendering "+parts[j.part].name, func() error {
					var err error
					if j.build != nil {
						var buf bytes.Buffer
						err = j.build().Render(&buf)
						j.out = chunk{src: buf.Bytes()}
					} else {
						j.out, err = renderUnits(head, j.units)
					}
					if err != nil {
						return fmt.Errorf("internal error rendering %s: %v (please report it with the WSDL)", parts[j.part].name, err)
					}
					return nil
				})
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	files := make([]File, len(parts))
	var chunks []chunk
	for i, j := range jobs {
		chunks = append(chunks, j.out)
		if i+1 < len(jobs) && jobs[i+1].part == j.part {
			continue
		}
		content, err := mergeChunks(chunks)
		if err != nil {
			return nil, fmt.Errorf("internal error merging %s: %v (please report it with the WSDL)", parts[j.part].name, err)
		}
		files[j.part] = File{Name: parts[j.part].name, Content: content}
		chunks = nil
	}
	return files, nil
}

// unitMarker ends each unit in the unformatted file jennifer renders
// (a comment of its own). The random part keeps documentation text from
// ever posing as one; it never reaches the output.
var unitMarker = fmt.Sprintf("wsdlsess unit %016x ", rand.Uint64())

// renderUnits renders a chunk's units: jennifer writes them unformatted
// and quickFormat prints the shapes it knows as gofmt would
// (renderQuick), go/format the rest; when that goes wrong (it should
// not), the chunk goes through go/format whole (renderGofmt), which is
// what renderQuick must equal.
func renderUnits(head fileHead, units []unit) (chunk, error) {
	if c, ok := renderQuick(head, units); ok {
		return c, nil
	}
	return renderGofmt(head, units)
}

// renderGofmt renders a chunk's units in one file jennifer formats with
// go/format.
func renderGofmt(head fileHead, units []unit) (chunk, error) {
	f := newFile(head)
	for _, u := range units {
		u(f)
	}
	var buf bytes.Buffer
	if err := f.Render(&buf); err != nil {
		return chunk{}, err
	}
	return chunk{src: buf.Bytes()}, nil
}

// typeCode is the Go type expression of r.
func (n *names) typeCode(r ref) *jen.Statement {
	s := jen.Empty()
	if r.slice {
		s.Index()
	} else if r.ptr {
		s.Op("*")
	}
	base := jen.Empty()
	switch {
	case r.t != nil:
		base.Id(n.typ(r.t))
	case r.b.rt:
		base.Qual(runtimePkg, r.b.ident)
	case r.b.ident == "[]xml.Attr":
		base.Index().Qual("encoding/xml", "Attr")
	case r.b.ident == "[]byte":
		base.Index().Byte()
	default:
		base.Id(r.b.ident)
	}
	if r.nillable {
		return s.Qual(runtimePkg, "Nillable").Types(base)
	}
	return s.Add(base)
}

// comment writes a doc comment that starts with name.
func comment(name, doc, fallback string) *jen.Statement {
	return commentLines(docText(name, doc, fallback))
}

// docText is the text of a doc comment that starts with name: the WSDL's
// documentation, or fallback.
func docText(name, doc, fallback string) string {
	doc = strings.TrimSpace(doc)
	text := name + " " + fallback
	if doc != "" {
		if strings.HasPrefix(doc, "is ") {
			text = name + " " + doc
		} else {
			text = text + "\n\n" + cleanDoc(doc)
		}
	}
	return text
}

// commentLines writes text as // lines, wrapped (jennifer would use /* */
// for a multi-line comment).
func commentLines(text string) *jen.Statement {
	s := jen.Null()
	for i, l := range docLines(text) {
		if i > 0 {
			s.Line()
		}
		// Written as "// …" ourselves: jennifer copies a comment that
		// starts with "//" or "/*" as it is, so documentation text that
		// starts so would otherwise lose its comment marker.
		if l == "" {
			s.Comment("//")
		} else {
			s.Comment("// " + l)
		}
	}
	return s
}

// cleanDoc normalises documentation text: trimmed lines, no blank runs.
func cleanDoc(s string) string {
	var out []string
	blank := false
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// fieldsOf returns the fields of t, following element types that reuse
// a named type's fields.
func fieldsOf(t *goType) []*goField {
	for i := 0; t.copyOf != nil && i < 64; i++ {
		t = t.copyOf
	}
	return t.fields
}

// qnameLit is xml.Name{Space: …, Local: …} on one line.
func qnameLit(n xml.Name) *jen.Statement {
	return jen.Qual("encoding/xml", "Name").Values(jen.Id("Space").Op(":").Lit(n.Space), jen.Id("Local").Op(":").Lit(n.Local))
}
