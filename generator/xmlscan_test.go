package generator

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wsdlsess/wsdlsess/generator/internal/wellknown"
)

// treeDiff compares two trees node by node, every field (unexported ones
// included) with go-cmp; both must point at the same srcFile. Children are
// walked here rather than by go-cmp, whose slice diff compares a subtree
// again at every level above it (minutes on the corpus), and prefix maps
// with maps.Equal (and nil-ness), as they are shared down the tree.
func treeDiff(want, got *node) string {
	opts := cmp.Options{cmp.AllowUnexported(node{}),
		cmp.Comparer(func(a, b *srcFile) bool { return a == b }),
		cmp.Comparer(func(a, b map[string]string) bool { return (a == nil) == (b == nil) && maps.Equal(a, b) }),
	}
	shallow := func(n *node) node {
		c := *n
		c.Children = nil
		return c
	}
	var walk func(w, g *node) string
	walk = func(w, g *node) string {
		if (w == nil) != (g == nil) {
			return fmt.Sprintf("node %v, want %v", g, w)
		}
		if w == nil {
			return ""
		}
		sw, sg := shallow(w), shallow(g)
		if !cmp.Equal(sw, sg, opts) {
			return fmt.Sprintf("<%s> at line %d:\n%s", w.Name.Local, w.Line, cmp.Diff(sw, sg, opts))
		}
		if len(w.Children) != len(g.Children) || (w.Children == nil) != (g.Children == nil) {
			return fmt.Sprintf("<%s> at line %d: %d children (nil: %v), want %d (nil: %v)", w.Name.Local, w.Line,
				len(g.Children), g.Children == nil, len(w.Children), w.Children == nil)
		}
		for i := range w.Children {
			if d := walk(w.Children[i], g.Children[i]); d != "" {
				return d
			}
		}
		return ""
	}
	return walk(want, got)
}

// scopeSharing reports where the two trees differ in which elements share
// their parent's prefix map (parseTree shares it when an element declares
// nothing, so the scope of a big WSDL costs a map per declaring element).
func scopeSharing(want, got *node) string {
	sameMap := func(a, b map[string]string) bool {
		return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
	}
	var walk func(pw, pg, w, g *node) string
	walk = func(pw, pg, w, g *node) string {
		if pw != nil && sameMap(pw.ns, w.ns) != sameMap(pg.ns, g.ns) {
			return w.Name.Local + " at line " + strconv.Itoa(w.Line)
		}
		for i := range w.Children {
			if s := walk(w, g, w.Children[i], g.Children[i]); s != "" {
				return s
			}
		}
		return ""
	}
	return walk(nil, nil, want, got)
}

// parseBoth reads raw with both parsers. fast is false when scanTree left
// the document to encoding/xml.
func parseBoth(name string, raw []byte) (want, got *node, err error, fast bool) {
	f := &srcFile{name: name}
	data, utf16 := toUTF8(raw)
	want, err = decodeTree(f, data, utf16)
	got, fast = scanTree(f, data, utf16)
	return want, got, err, fast
}

// corpusXML lists every WSDL and XSD the tests and benchmarks generate
// from: this repository's testdata and gowsdl's fixtures.
func corpusXML(t *testing.T) []string {
	var files []string
	for _, root := range []string{"../testdata", "testdata", gowsdlFixtures(t)} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if ext := filepath.Ext(path); !d.IsDir() && (ext == ".wsdl" || ext == ".xsd") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// scanFallbacks are corpus files scanTree hands to encoding/xml on
// purpose, with why.
var scanFallbacks = map[string]string{
	"kunden.wsdl": "declares ISO-8859-1: encoding/xml transcodes the rest of the document",
}

// TestScanTreeAgrees: for every WSDL and XSD of the corpus and every
// embedded well-known schema, scanTree builds exactly the tree encoding/xml
// gives (names, attributes, text, line numbers, prefix scope and its
// sharing), and reads the document itself unless it is a known fallback.
func TestScanTreeAgrees(t *testing.T) {
	type doc struct {
		name string
		data []byte
	}
	var docs []doc
	for _, path := range corpusXML(t) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, doc{path, b})
	}
	if len(docs) < 80 {
		t.Fatalf("only %d documents found", len(docs))
	}
	for _, loc := range wellknown.Locations() {
		b, _ := wellknown.Lookup(loc)
		docs = append(docs, doc{loc, b})
	}
	for _, d := range docs {
		want, got, err, fast := parseBoth(d.name, d.data)
		if err != nil {
			if fast {
				t.Errorf("%s: scanTree read what encoding/xml rejects: %v", d.name, err)
			}
			continue
		}
		if !fast {
			if _, ok := scanFallbacks[filepath.Base(d.name)]; !ok {
				t.Errorf("%s: left to encoding/xml", d.name)
			}
			continue
		}
		if diff := treeDiff(want, got); diff != "" {
			t.Errorf("%s: trees differ (-encoding/xml +scanTree):\n%s", d.name, diff)
			continue
		}
		if s := scopeSharing(want, got); s != "" {
			t.Errorf("%s: prefix map sharing differs at %s", d.name, s)
		}
	}
}

// scanCases are constructs the corpus may lack: fast says whether
// scanTree reads the document itself. They seed the fuzz target too.
var scanCases = []struct {
	name, doc string
	fast      bool
}{
	{"entities and references", `<a x="&lt;&amp;&#65;&#x42;&quot;&apos;&gt;">&lt;t&#x1F600;&#xD800;</a>`, true},
	{"CRLF in text and attribute", "<a x=\"1\r\n2\r3\">l1\r\nl2\rl3\r\n</a>\r\n<b/>", true},
	{"comments split text", "<a>  <!-- c -->x<!---->  y </a>", true},
	{"whitespace then PI then text", "<a>  <?pi data?>x</a>", true},
	{"CDATA", "<a><![CDATA[<not> &amp; ]] ]>\r\n]]>tail</a>", true},
	{"empty CDATA after spaces", "<a>  <![CDATA[]]>  </a>", true},
	{"whitespace CDATA then text", "<a><![CDATA[ \n ]]>x</a>", true},
	{"declaration utf-8", `<?xml version="1.0" encoding="UTF-8"?><a/>`, true},
	{"prefixes and default namespace", `<a xmlns="urn:d" xmlns:p="urn:p"><p:b p:x="1" y="2" xml:lang="en"><c xmlns="" q:z="3"/></p:b></a>`, true},
	{"xmlns rebinding and empty default", `<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"/><p:c/></p:a>`, true},
	{"prefix bound to xmlns", `<a xmlns:p="xmlns"><b p:x="1"/></a>`, false},
	{"unusual names", `<a:b:c/>`, false},
	{"colon edge names", `<:a b:="1" :c="2"/>`, true},
	{"no space between attributes", `<a x="1"y='2'/>`, true},
	{"second top-level element", `<a/><b><c/></b>`, true},
	{"text outside the root", `x<a/>y`, true},
	{"unicode whitespace text", "<a>\u00a0</a><b>\u0085 </b>", true},
	{"DOCTYPE", `<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>`, false},
	{"latin-1 declaration", `<?xml version="1.0" encoding="ISO-8859-1"?><a/>`, false},
	{"non-ASCII name", "<\u00e9/>", false},
	{"mismatched end", `<a></b>`, false},
	{"unknown entity", `<a>&nbsp;</a>`, false},
	{"illegal character reference", `<a>&#0;</a>`, false},
	{"control character", "<a>\x01</a>", false},
	{"invalid UTF-8", "<a>\xff</a>", false},
	{"]]> in text", `<a>]]></a>`, false},
	{"< in attribute", `<a x="<"/>`, false},
	{"double hyphen in comment", `<a><!-- a -- b --></a>`, false},
	{"unclosed", `<a><b></b>`, false},
	{"no root", `<?xml version="1.0"?>`, false},
	{"version 1.1", `<?xml version="1.1"?><a/>`, false},
}

// TestScanTreeCases: constructs the corpus may lack, each read by scanTree
// exactly as encoding/xml reads it, or left to it (fast=false).
func TestScanTreeCases(t *testing.T) {
	for _, c := range scanCases {
		t.Run(c.name, func(t *testing.T) {
			want, got, err, fast := parseBoth("c.xml", []byte(c.doc))
			if fast != c.fast {
				t.Fatalf("scanTree read it: %v, want %v (encoding/xml: %v)", fast, c.fast, err)
			}
			if !fast {
				return
			}
			if err != nil {
				t.Fatalf("scanTree read what encoding/xml rejects: %v", err)
			}
			if diff := treeDiff(want, got); diff != "" {
				t.Fatalf("trees differ (-encoding/xml +scanTree):\n%s", diff)
			}
			if s := scopeSharing(want, got); s != "" {
				t.Fatalf("prefix map sharing differs at %s", s)
			}
		})
	}
}

// TestScanTreeMutations: every single-byte deletion, replacement and
// insertion (of the bytes that matter to the syntax) in a document with
// every construct scanTree reads is either left to encoding/xml or read
// exactly as it reads it; a deterministic complement to the fuzz target.
func TestScanTreeMutations(t *testing.T) {
	doc := "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<!-- c -->" +
		"<p:a xmlns:p=\"urn:p\" xmlns='urn:d' p:x=\"&lt;1&#x41;\" y=\"2\">\n" +
		" <b xml:lang=\"en\">t&amp;x\r\n<![CDATA[<c>]]></b><?pi d?>\n" +
		" <p:c/> <d xmlns=\"\"><e/></d></p:a>\n"
	alphabet := []byte("<>&;\"'/!-?[]\r\n\t :x#=\x00\xc3\xff")
	check := func(raw []byte) {
		want, got, err, fast := parseBoth("m.xml", raw)
		if !fast {
			return
		}
		if err != nil {
			t.Fatalf("%q: scanTree read what encoding/xml rejects: %v", raw, err)
		}
		if diff := treeDiff(want, got); diff != "" {
			t.Fatalf("%q: trees differ (-encoding/xml +scanTree):\n%s", raw, diff)
		}
		if s := scopeSharing(want, got); s != "" {
			t.Fatalf("%q: prefix map sharing differs at %s", raw, s)
		}
	}
	check([]byte(doc))
	if _, _, _, fast := parseBoth("m.xml", []byte(doc)); !fast {
		t.Fatal("the unmutated document is left to encoding/xml")
	}
	for i := range len(doc) + 1 {
		if i < len(doc) {
			check([]byte(doc[:i] + doc[i+1:]))
		}
		for _, c := range alphabet {
			if i < len(doc) {
				check([]byte(doc[:i] + string([]byte{c}) + doc[i+1:]))
			}
			check([]byte(doc[:i] + string([]byte{c}) + doc[i:]))
		}
	}
}

// FuzzParseTreeDifferential: on any input, scanTree either leaves the
// document to encoding/xml or builds exactly its tree (never reading a
// document encoding/xml rejects), and parseTree's errors name the file
// and a line.
//
//	go test ./generator -run '^$' -fuzz '^FuzzParseTreeDifferential$' -fuzztime 60s -parallel 1
func FuzzParseTreeDifferential(f *testing.F) {
	for _, s := range []string{
		`<?xml version="1.0" encoding="utf-8"?><definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:b" targetNamespace="urn:b"><types><xs:schema targetNamespace="urn:b"><xs:element name="e" type="xs:string"><xs:annotation><xs:documentation>d &amp; <![CDATA[x]]></xs:documentation></xs:annotation></xs:element></xs:schema></types></definitions>`,
		"<a x=\"1\r\n\" y='&#x41;'>\r\n <!-- c --> <?p i?> t &lt; </a>",
		`<p:a xmlns:p="urn:1" xmlns=""><p:b xmlns:p="urn:2" p:x="1" xml:lang="en"/><c/></p:a>`,
		`<!DOCTYPE a><a/>`,
	} {
		f.Add([]byte(s))
	}
	for _, c := range scanCases {
		f.Add([]byte(c.doc))
	}
	// Small real documents, bad ones included, give the engine the shape
	// of a WSDL to mutate.
	bad, _ := filepath.Glob("../testdata/wsdl-bad/*/*.wsdl")
	good, _ := filepath.Glob("../testdata/wsdl/*/*.wsdl")
	for _, path := range append(bad, good...) {
		if b, err := os.ReadFile(path); err == nil && len(b) <= 8<<10 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		want, got, err, fast := parseBoth("f.wsdl", raw)
		if fast {
			if err != nil {
				t.Fatalf("scanTree read what encoding/xml rejects: %v", err)
			}
			if diff := treeDiff(want, got); diff != "" {
				t.Fatalf("trees differ (-encoding/xml +scanTree):\n%s", diff)
			}
			if s := scopeSharing(want, got); s != "" {
				t.Fatalf("prefix map sharing differs at %s", s)
			}
		}
		_, err = parseTree(&srcFile{name: "f.wsdl"}, raw)
		var e *Error
		if err != nil && (!errors.As(err, &e) || e.File != "f.wsdl" || e.Line < 1) {
			t.Fatalf("error does not name the file and a line: %#v", err)
		}
	})
}

// BenchmarkParseTree compares scanTree with encoding/xml (decodeTree) on
// the largest documents BenchmarkGenerate reads.
//
//	go test ./generator -run '^$' -bench '^BenchmarkParseTree$' -benchmem
func BenchmarkParseTree(b *testing.B) {
	dir := gowsdlFixtures(b)
	for _, path := range []string{
		filepath.Join(dir, "vboxweb.wsdl"),
		filepath.Join(dir, "ec2.wsdl"),
		"../testdata/wsdl/oracle-crmod/account.wsdl",
	} {
		raw, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		f := &srcFile{name: filepath.Base(path)}
		data, utf16 := toUTF8(raw)
		b.Run(f.name+"/scan", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, ok := scanTree(f, data, utf16); !ok {
					b.Fatal("left to encoding/xml")
				}
			}
		})
		b.Run(f.name+"/encoding-xml", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := decodeTree(f, data, utf16); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
