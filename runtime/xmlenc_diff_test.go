package runtime_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"math"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/wsdlsess/wsdlsess/runtime"
)

// TestXMLEncMatchesEncodingXML encodes a populated value of every golden
// struct type both ways and requires that encoding/xml decodes the two
// bodies into equal values and that the two documents are the same once
// namespaces are resolved (names as {namespace}local, xsi:type values
// resolved, declarations left out).
func TestXMLEncMatchesEncodingXML(t *testing.T) {
	fast, total := 0, 0
	for dir, types := range goldenStructs {
		for _, nilp := range types {
			typ := reflect.TypeOf(nilp).Elem()
			for seed := range 3 {
				total++
				v := reflect.New(typ)
				f := filler{pkg: types, seed: seed}
				f.fill(v.Elem(), 0)
				if compareEncodings(t, dir+"."+typ.Name(), v.Interface(), seed == 2) {
					fast++
				}
			}
		}
	}
	t.Logf("%d of %d values encoded by xmlenc", fast, total)
	if fast < total*9/10 {
		t.Errorf("only %d of %d values encoded by xmlenc", fast, total)
	}
}

// compareEncodings reports whether xmlenc encoded v.
func compareEncodings(t *testing.T, name string, v any, soap12 bool) bool {
	t.Helper()
	want, _, errWant := runtime.WriteEnvelopeForTest(v, soap12, false)
	got, usedFast, errGot := runtime.WriteEnvelopeForTest(v, soap12, true)
	if (errWant != nil) != (errGot != nil) {
		t.Errorf("%s: encoding/xml error %v, xmlenc error %v", name, errWant, errGot)
		return usedFast
	}
	if errWant != nil {
		return usedFast
	}
	nw, err := normalise(want)
	if err != nil {
		t.Errorf("%s: encoding/xml output: %v\n%s", name, err, want)
		return usedFast
	}
	ng, err := normalise(got)
	if err != nil {
		t.Errorf("%s: xmlenc output: %v\n%s", name, err, got)
		return usedFast
	}
	if d := cmp.Diff(nw, ng); d != "" {
		t.Errorf("%s: documents differ (-encoding/xml +xmlenc):\n%s\nencoding/xml: %s\nxmlenc:       %s", name, d, want, got)
		return usedFast
	}
	typ := reflect.TypeOf(v).Elem()
	dw, dg := reflect.New(typ), reflect.New(typ)
	if err := decodeBody(want, dw.Interface()); err != nil {
		t.Errorf("%s: decode encoding/xml output: %v", name, err)
		return usedFast
	}
	if err := decodeBody(got, dg.Interface()); err != nil {
		t.Errorf("%s: decode xmlenc output: %v", name, err)
		return usedFast
	}
	if d := cmp.Diff(dw.Interface(), dg.Interface(), decodedOpts...); d != "" {
		t.Errorf("%s: decoded values differ (-encoding/xml +xmlenc):\n%s", name, d)
	}
	return usedFast
}

// decodedOpts compare what encoding/xml decodes from two documents that
// declare namespaces in different places (the normalised documents are
// compared for what the names mean): the declarations an XSDAnyType
// (or a ,any,attr field) keeps among its attributes and in its raw XML
// are left out.
var decodedOpts = []cmp.Option{
	cmpopts.EquateNaNs(),
	cmp.Exporter(func(reflect.Type) bool { return true }),
	cmp.Transformer("attrDecls", func(attrs []xml.Attr) []xml.Attr {
		out := slices.DeleteFunc(slices.Clone(attrs), func(a xml.Attr) bool {
			return a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns"
		})
		if len(out) == 0 {
			return nil
		}
		return out
	}),
	cmp.Transformer("innerDecls", func(a runtime.XSDAnyType) runtime.XSDAnyType {
		a.Inner = declRE.ReplaceAll(a.Inner, nil)
		a.Scope = nil
		return a
	}),
}

var declRE = regexp.MustCompile(` xmlns(:[^=]+)?="[^"]*"`)

// decodeBody decodes the first element in the SOAP body into out.
func decodeBody(doc []byte, out any) error {
	d := xml.NewDecoder(bytes.NewReader(doc))
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 3 {
				return d.DecodeElement(out, &tok)
			}
		case xml.EndElement:
			depth--
			if depth == 1 {
				return nil // empty body
			}
		}
	}
}

// normalise lists the document's elements, attributes and text with
// every name resolved to {namespace}local, and xsi:type values resolved
// the same way; namespace declarations are left out.
func normalise(doc []byte) ([]string, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	var scopes []map[string]string
	lookup := func(p string) string {
		for i := len(scopes) - 1; i >= 0; i-- {
			if u, ok := scopes[i][p]; ok {
				return u
			}
		}
		if p == "xml" {
			return "http://www.w3.org/XML/1998/namespace"
		}
		return ""
	}
	resolve := func(n xml.Name, elem bool) string {
		if n.Space == "" && !elem {
			return "{}" + n.Local
		}
		return "{" + lookup(n.Space) + "}" + n.Local
	}
	var out []string
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			out = append(out, "text "+text.String())
			text.Reset()
		}
	}
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			flush()
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			flush()
			scope := map[string]string{}
			for _, a := range tok.Attr {
				switch {
				case a.Name.Space == "xmlns":
					scope[a.Name.Local] = a.Value
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					scope[""] = a.Value
				}
			}
			scopes = append(scopes, scope)
			out = append(out, "start "+resolve(tok.Name, true))
			var attrs []string
			for _, a := range tok.Attr {
				if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
					continue
				}
				name := resolve(a.Name, false)
				value := a.Value
				if name == "{http://www.w3.org/2001/XMLSchema-instance}type" {
					p, l, ok := strings.Cut(value, ":")
					if !ok {
						p, l = "", p
					}
					value = "{" + lookup(p) + "}" + l
				}
				attrs = append(attrs, "attr "+name+"="+value)
			}
			slices.Sort(attrs)
			out = append(out, attrs...)
		case xml.EndElement:
			flush()
			out = append(out, "end "+resolve(tok.Name, true))
			scopes = scopes[:len(scopes)-1]
		case xml.CharData:
			text.Write(tok)
		}
	}
}

// filler builds a populated value: every field set, strings with every
// class of character encoding/xml escapes or replaces, slices of two,
// interfaces holding a type of the same package that implements them.
type filler struct {
	pkg  []any
	seed int
	n    int
}

var fillStrings = []string{
	"plain", "a<b>&c\"d'e", "tab\there\nnew\rline", "ctl\x01\x1f", "bad\xffutf8", "\uFFFE\uFFFF", "é漢😀", "", "]]>", " spaced ",
}

var fillFloats = []float64{1.5, -0.25, 1e300, math.Inf(1), 0, 3}

func (f *filler) next() int { f.n++; return f.n + f.seed*7 }

func (f *filler) fill(v reflect.Value, depth int) {
	switch v.Type() {
	case reflect.TypeFor[runtime.XSDAnyType]():
		i := f.next()
		a := runtime.XSDAnyType{XMLName: xml.Name{Space: "urn:any", Local: fmt.Sprintf("F%d", i%3)}, Inner: []byte("v&amp;" + fmt.Sprint(i))}
		switch i % 4 {
		case 1:
			a.XMLName.Space = ""
			a.Inner = []byte(`<child>x</child><p:c xmlns:p="urn:p">y</p:c>`)
		case 2:
			a.Attrs = []xml.Attr{{Name: xml.Name{Local: "k"}, Value: "v<"}, {Name: xml.Name{Space: "urn:attr", Local: "q"}, Value: "w"}}
		case 3:
			a.Scope = map[string]string{"": "urn:any", "s": "urn:s"}
			a.Inner = []byte(`<s:x>1</s:x><y>2</y>`)
		}
		v.Set(reflect.ValueOf(a))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(fillStrings[f.next()%len(fillStrings)])
	case reflect.Bool:
		v.SetBool(f.next()%2 == 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(f.next()*37) - 50)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(f.next() * 13))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(fillFloats[f.next()%len(fillFloats)])
	case reflect.Pointer:
		if depth > 5 || f.next()%5 == 0 {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		f.fill(v.Elem(), depth+1)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			v.SetBytes([]byte(fillStrings[f.next()%len(fillStrings)]))
			return
		}
		if depth > 5 {
			return
		}
		n := 2
		if f.next()%4 == 0 {
			n = 0
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			f.fill(s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[xml.Name]() {
			return
		}
		if strings.HasPrefix(v.Type().Name(), "Nillable[") && f.next()%3 == 0 {
			v.FieldByName("Nil").SetBool(true)
			return
		}
		for i := range v.NumField() {
			sf := v.Type().Field(i)
			if !sf.IsExported() || sf.Name == "XMLName" || sf.Name == "Nil" {
				continue
			}
			f.fill(v.Field(i), depth+1)
		}
	case reflect.Interface:
		if depth > 5 {
			return
		}
		var impls []reflect.Type
		for _, p := range f.pkg {
			if t := reflect.TypeOf(p); t.Implements(v.Type()) {
				impls = append(impls, t)
			}
		}
		if len(impls) == 0 || f.next()%6 == 0 {
			return
		}
		c := reflect.New(impls[f.next()%len(impls)].Elem())
		f.fill(c.Elem(), depth+1)
		v.Set(c)
	}
}

// TestXMLEncTypeListComplete: goldenStructs lists every exported struct
// type of every golden package.
func TestXMLEncTypeListComplete(t *testing.T) {
	dirs, err := filepath.Glob("../golden/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		var want []string
		for _, file := range files {
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range f.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok {
					continue
				}
				for _, s := range g.Specs {
					if ts, ok := s.(*ast.TypeSpec); ok && ts.Name.IsExported() {
						if _, ok := ts.Type.(*ast.StructType); ok && ts.TypeParams == nil {
							want = append(want, ts.Name.Name)
						}
					}
				}
			}
		}
		var got []string
		for _, p := range goldenStructs[filepath.Base(dir)] {
			got = append(got, reflect.TypeOf(p).Elem().Name())
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(want, got) {
			t.Errorf("%s: goldenStructs lists %v, want %v (regenerate xmlenc_types_test.go)", dir, got, want)
		}
	}
}
