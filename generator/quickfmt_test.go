package generator

import (
	"bytes"
	"go/format"
	"strings"
	"testing"
)

// TestQuickFormat: what quickFormat accepts it prints as go/format does,
// column blocks, doc comments that gofmt rewrites and blank lines between
// declarations included; what it declines is left to go/format.
func TestQuickFormat(t *testing.T) {
	for _, c := range quickCases {
		got, ok := quickFormatString(t, c.src)
		if ok != c.want {
			t.Errorf("quickFormat took %v, want %v:\n%s", ok, c.want, c.src)
		}
		if !ok {
			continue
		}
		want, err := format.Source([]byte("package p\n\n" + c.src))
		if err != nil {
			t.Fatal(err)
		}
		if want := bytes.TrimPrefix(want, []byte("package p\n\n")); !bytes.Equal(got, want) {
			t.Errorf("quickFormat:\n%s\ngo/format:\n%s", got, want)
		}
	}
}

// FuzzQuickFormat: whatever quickFormat takes is Go that go/format
// prints exactly as quickFormat does, and no input makes it panic.
func FuzzQuickFormat(f *testing.F) {
	for _, c := range quickCases {
		f.Add(c.src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		got, ok := quickFormatString(t, src)
		if !ok {
			return
		}
		want, err := format.Source([]byte("package p\n\n" + src))
		if err != nil {
			t.Fatalf("quickFormat took what go/format rejects (%v):\n%q", err, src)
		}
		if want := bytes.TrimPrefix(want, []byte("package p\n\n")); !bytes.Equal(got, want) {
			t.Errorf("%q\nquickFormat:\n%s\ngo/format:\n%s", src, got, want)
		}
	})
}

// quickFormatString runs quickFormat on src into a buffer that already
// holds text, which it must keep.
func quickFormatString(t testing.TB, src string) ([]byte, bool) {
	var buf bytes.Buffer
	buf.WriteString("kept")
	ok := quickFormat(&buf, src, nil)
	if !bytes.HasPrefix(buf.Bytes(), []byte("kept")) || !ok && buf.Len() != len("kept") {
		t.Errorf("quickFormat did not append to its buffer only: %q", buf.Bytes())
	}
	return bytes.TrimPrefix(buf.Bytes(), []byte("kept")), ok
}

// quickCases are inputs of TestQuickFormat and seeds of FuzzQuickFormat:
// jennifer's unformatted output, and whether quickFormat takes it.
var quickCases = []struct {
	src  string
	want bool // quickFormat takes it
}{
	// Alignment: a comment or a field without a tag ends a block.
	{"// T is.\ntype T struct{\n// A doc\nA * runtime.Nillable [int] `xml:\"a,omitempty\"`\nLongName [] xml.Attr `xml:\",any,attr\"`\n// c\nB int\nCCCCCCCCCCCCCCCCCC int `x`\nD string `y`\nEE string\nFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF string\nG int `z`\n}\n", true},
	{"type T struct{}\ntype U struct{\nX int\n}\n", true},
	{"type É struct{\nÉtat ÉtatType `xml:\"é\"`\nA int `xml:\"a\"`\n}\n", true},
	// jennifer's multi-line comments: a trailing blank, an indent.
	{"// T is the element \n // {urn:x}T.\ntype T string\n// Values of T.\nconst (\nTA T = \"a\"\n// doc\nTBbbbbb T = \"b\"\nTC T = -5\n)\n", true},
	// gofmt rewrites these doc comments: a heading, a list, code.
	{"// T is.\n//\n// Overview\n//\n// Text.\ntype T int\n", true},
	{"// T is:\n// - one\n// - two\ntype T struct{\n// X is:\n//   indented\nX int\n}\n", true},
	{"// T is.\n//go:generate x\ntype T int\n", false},
	// Doc comments printed as they are, and ones that look plain
	// but are not: an unindented list, quotes gofmt curls, a link
	// definition, blank lines to collapse, a heading, a code block.
	{"// T is.\n//\n// Text {urn:x}T [Link] https://x.org/a.\n// More, text.\n//\n// Last.\ntype T int\n", true},
	{"// T is.\n// - one\n// 1. two\n// * three\n// + four\n// • five\ntype T int\n", true},
	{"// T is ``quoted''.\ntype T int\n", true},
	{"// T is [x].\n//\n// [x]: https://x.org\ntype T int\n", true},
	{"// T is.\n//\n//\n// Two blank lines.\n//\ntype T int\n", true},
	{"//\n// T is.\ntype T int\n", true},
	{"// T is.\n//\n//\n// Two.\ntype T int\n", true},
	{"// T is.\n//\n// [x]: https://x.org\n// [y]: https://y.org\n//\n// z [x] [y]\ntype T int\n", true},
	{"// T is.\n//\n// # Heading\n//\n// Text.\ntype T int\n", true},
	{"// T is.\n//\n//\tcode\n//  more\n// text\ntype T int\n", true},
	{"// T is.\n//   \n// text\ntype T int\n", true},
	{"// T is  \n// text\t\ntype T struct{\n// A is:\n//\n// Heading Here\n//\n// Text.\nA int\n}\n", true},
	// Keyed and plain composite literals.
	{"// op is.\nvar op = impl.Operation {\nName:\"a\",\nSOAP:impl.SOAP11,\nFaults:faultsX,\nOneWay:true,\n}\n// f is.\nvar f = [] impl.FaultType {\n impl.FaultTypeOf [A] (\"u\",\"a\"),\nimpl.FaultTypeOf [B] (\"u\",\"b\"),\n}\n", true},
	// Calls: no arguments, one a line, one multi-line literal.
	{"// s is.\nvar s = impl.NewSOAPEnc ()\n// _ is.\nvar _ = impl.NilTargets (\n(* A)(nil),\n(* B)(nil),\n)\n// x is.\nvar x = impl.NewXSITypes ([] impl.XSITypeEntry {\n{Name:xml.Name {Space:\"u\",Local:\"a\"},Type:(* A)(nil)},\n})\n", true},
	{"var _ = f (\nA:1,\n)\n", false},
	{"var _ = f (\n{A:1},\n)\n", false},
	// Same keyword, no doc: no blank line; other keyword: one.
	{"type A int\ntype B int\nvar x = T {\nA:1,\n}\n", true},
	// Marker methods: no blank line between two without doc; the
	// bodies of consecutive ones aligned; a long one declined.
	{"func (* A) isA0 () {}\nfunc (* A) isA () {}\nfunc (* Ab) isÉ () {}\n// B.\nfunc (* A) isB () {}\n", true},
	{"func (* A) is" + strings.Repeat("A", 80) + " () {}\n", false},
	{"// T is.\ntype T struct{\nA int\n}\nfunc (* T) isA () {}\nfunc (* T) isB () {}\n// M is.\nfunc (t T) isC () {}\n", true},
	// Function bodies of the generated shapes.
	{"// M is.\nfunc (v T) MarshalXML (e * xml.Encoder,_ xml.StartElement) error {\nswitch {\ncase v.A != nil:\nreturn e.EncodeElement (v.A,xml.StartElement {Name:xml.Name {Space:\"u\",Local:\"a\"}})\ncase v.O != nil:\nreturn e.EncodeElement (v.O,xml.StartElement {Name:v.O.XMLName})\n}\nreturn nil\n}\n", true},
	{"// U is.\nfunc (h * T) UnmarshalXML (d * xml.Decoder,start xml.StartElement) error {\nif impl.XSINil (start) {\nh.Value = nil\nreturn d.Skip ()\n}\nv,ok := xsiTypes.New (start,func (v any) bool {\n_,ok := v.(K)\nreturn ok\n}).(K)\nif ! ok {\nv = new(B)\n}\nif err := d.DecodeElement (v,& start);err != nil {\nreturn err\n}\nvar w any\ntype plain T\nswitch start.Name {\ncase xml.Name {Space:\"u\",Local:\"a\"}:\nw = new(A)\ndefault:\nreturn d.DecodeElement ((* plain)(h),& start)\n}\nh.Value = v\nreturn nil\n}\n", true},
	{"// I is.\nfunc invoke (ctx context.Context,opts [] runtime.CallOption,more ... int) (* Out,error) {\nreturn rc.Invoke (ctx,opts ...)\n}\nfunc f () {\nf ()\n}\n", true},
	{"func f () {\nif a {\nb ()\n} else {\nc ()\n}\n}\n", false},
	{"func f () {\nx := a == b == c\n}\n", false},
	{"func f () (int) {\nreturn 1\n}\n", false},
	{"func f () {\n// c\nx ()\n}\n", false},
	// Not its shapes.
	{"func f() {}\n", false},
	{"func (* T) isA () {\n}\n", false},
	{"func (* T) isA (x int) {}\n", false},
	{"type T interface{\nisT ()\n}\n", false},
	{"var x = T {\nA:1+2,\n}\n", false},
	{"var x = T {\nA:1,\n2,\n}\n", false},
	{"type T struct{\nA int\n\nB int\n}\n", false},
	{"type T struct{\nA int // c\n}\n", false},
	{"type T struct{\nA, B int\n}\n", false},
	{"type T struct{\nruntime.X\n}\n", false},
	{"/* c */\ntype T int\n", false},
	{"var x = T {\nA:0x1F,\n}\n", false},
	{"type T struct{\nA int `a\nb`\n}\n", false},
	{"// T.\n\ntype T int\n", false},
}

// TestRenderQuick: every chunk of every golden case and gowsdl fixture
// renders through quickFormat to what go/format makes of the whole
// chunk, and the large WSDLs' chunks all take the quick path.
func TestRenderQuick(t *testing.T) {
	for _, in := range everyCase(t) {
		m, err := planModel(in, newLoader(in))
		if err != nil {
			t.Fatal(err)
		}
		bs, err := bindProfile(m, in, in.warn())
		if err != nil {
			t.Fatal(err)
		}
		g := &gen{m: m, bs: bs, n: assignNames(m, bs)}
		head := newFileHead(in)
		large := strings.Contains(in.WSDL, "vboxweb") || strings.Contains(in.WSDL, "ec2") || strings.Contains(in.WSDL, "oracle-crmod")
		for _, units := range [][]unit{emitOperations(g), emitTypes(g)} {
			for lo := 0; lo < len(units); lo += unitsPerChunk {
				part := units[lo:min(lo+unitsPerChunk, len(units))]
				quick, ok := renderQuick(head, part)
				if !ok {
					if large {
						t.Errorf("%s: a chunk fell back to go/format", in.WSDL)
					}
					continue
				}
				whole, err := renderGofmt(head, part)
				if err != nil {
					t.Fatal(err)
				}
				a, errA := mergeChunks([]chunk{quick})
				b, errB := mergeChunks([]chunk{whole})
				if errA != nil || errB != nil {
					t.Fatal(errA, errB)
				}
				if !bytes.Equal(a, b) {
					t.Errorf("%s: quick render differs near %q", in.WSDL, firstDiff(a, b))
				}
			}
		}
	}
}
