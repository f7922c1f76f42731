package runtime_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	vim "github.com/wsdlsess/wsdlsess/golden/vsphere"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// nsDoc is a request body with elements in several namespaces (the
// body's, another, none), polymorphic values, and raw XML in an
// XSDAnyType and an innerxml field (T_any, T_raw).
type nsDoc struct {
	XMLName xml.Name
	Items   []nsItem                `xml:"urn:b T_item"`
	Sel     []vim.AnySelectionSpec  `xml:"urn:vim25 T_sel"`
	Any     []runtime.XSDAnyType    `xml:",any"`
	Raw     nsRaw                   `xml:"urn:c T_raw"`
	Nil     runtime.Nillable[int32] `xml:"urn:b T_nil"`
}

type nsItem struct {
	N string `xml:"urn:b T_n"`
	M string `xml:"T_m"`
}

type nsRaw struct {
	Inner string `xml:",innerxml"`
}

func newNSDoc(bodyNS, anyNS, raw, text string) *nsDoc {
	name := "visit"
	return &nsDoc{
		XMLName: xml.Name{Space: bodyNS, Local: "T_doc"},
		Items:   []nsItem{{N: text, M: "1"}, {N: "2", M: text}},
		Sel: []vim.AnySelectionSpec{
			{Value: &vim.TraversalSpec{Name: &name, Type: "Folder", Path: text, SelectSet: []vim.AnySelectionSpec{{Value: &vim.SelectionSpec{Name: &text}}}}},
			{Value: &vim.SelectionSpec{Name: &name}},
		},
		Any: []runtime.XSDAnyType{
			{XMLName: xml.Name{Space: anyNS, Local: "T_any"}, Inner: []byte(raw)},
			{XMLName: xml.Name{Space: "urn:b", Local: "T_text"}, Inner: []byte("x")},
			// An xsi:type value of the caller's without a prefix: it means
			// the default namespace in scope.
			{XMLName: xml.Name{Space: "urn:e", Local: "T_typed"}, Attrs: []xml.Attr{{Name: xml.Name{Space: "http://www.w3.org/2001/XMLSchema-instance", Local: "type"}, Value: "T"}}, Inner: []byte("v")},
		},
		Raw: nsRaw{Inner: raw},
		Nil: runtime.Nil[int32](),
	}
}

// nsElem is an element as a namespace-aware reader sees it: resolved name,
// attributes (xsi:type values resolved) and text, and every binding in
// scope ("" the default namespace).
type nsElem struct {
	view  string
	local string
	scope map[string]string
	// inRaw: an ancestor is a T_any or T_raw (the element is raw XML).
	inRaw bool
	// spelled is its text and attribute values, where a QName may be.
	spelled string
}

func nsElems(doc []byte) ([]nsElem, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	var out []nsElem
	stack := []map[string]string{{"": "", "xml": "http://www.w3.org/XML/1998/namespace"}}
	open := []int{}
	var names []xml.Name // RawToken does not match end tags with starts
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			cur := runtime.InnerScopeForTest(stack[len(stack)-1], t)
			stack = append(stack, cur)
			res := func(prefix, local string) string {
				uri, ok := cur[prefix]
				if !ok {
					uri = "UNBOUND:" + prefix
				}
				return "{" + uri + "}" + local
			}
			var b strings.Builder
			var spelled []byte
			b.WriteString(res(t.Name.Space, t.Name.Local))
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
					continue
				}
				name := a.Name.Local
				if a.Name.Space != "" {
					name = res(a.Name.Space, a.Name.Local)
				}
				value := a.Value
				if name == "{http://www.w3.org/2001/XMLSchema-instance}type" {
					p, l, ok := strings.Cut(value, ":")
					if !ok {
						p, l = "", p
					}
					value = res(p, l)
				}
				fmt.Fprintf(&b, " %s=%q", name, value)
				if value == a.Value {
					spelled = append(spelled, a.Value...)
					spelled = append(spelled, ' ')
				}
			}
			inRaw := false
			if len(open) > 0 {
				parent := out[open[len(open)-1]]
				inRaw = parent.inRaw || parent.local == "T_any" || parent.local == "T_raw"
			}
			open, names = append(open, len(out)), append(names, t.Name)
			out = append(out, nsElem{view: b.String(), local: t.Name.Local, scope: cur, inRaw: inRaw, spelled: string(spelled)})
		case xml.EndElement:
			if len(open) == 0 || names[len(names)-1] != t.Name {
				return nil, fmt.Errorf("unmatched end tag %v", t.Name)
			}
			stack, open, names = stack[:len(stack)-1], open[:len(open)-1], names[:len(names)-1]
		case xml.CharData:
			if len(open) > 0 {
				e := &out[open[len(open)-1]]
				e.view += " text:" + string(t)
				e.spelled += string(t)
			}
		}
	}
}

// checkSameMeaning asserts that got (a request the runtime writes) means
// what want (encoding/xml's) means: every element and attribute name and
// every xsi:type value resolves to the same namespace, the text is the
// same, every prefix a text or attribute value spells (p:) is bound to
// the same namespace or unbound in both, and inside raw XML (and on the
// T_any and T_raw elements that hold raw XML with markup) so is the
// default namespace and every prefix raw spells where a QName could use
// it, so that raw XML resolves as before whatever it holds.
func checkSameMeaning(t *testing.T, want, got []byte, raw string) {
	t.Helper()
	we, err := nsElems(want)
	if err != nil {
		return // the raw XML is not well-formed: nothing to compare
	}
	ge, err := nsElems(got)
	if err != nil {
		t.Fatalf("the request does not parse: %v\n%s", err, got)
	}
	if len(we) != len(ge) {
		t.Fatalf("%d elements, want %d\nwant %s\n got %s", len(ge), len(we), want, got)
	}
	markup := strings.Contains(raw, "<")
	for i := range we {
		if we[i].view != ge[i].view {
			t.Fatalf("element %d is %s, want %s\nwant %s\n got %s", i, ge[i].view, we[i].view, want, got)
		}
		var prefixes []string
		for _, m := range qnamePrefix.FindAllStringSubmatch(we[i].spelled, -1) {
			prefixes = append(prefixes, m[1])
		}
		if we[i].inRaw || markup && (we[i].local == "T_any" || we[i].local == "T_raw") {
			prefixes = append(prefixes, "")
			for _, m := range []map[string]string{we[i].scope, ge[i].scope} {
				for p := range m {
					if usesPrefix(raw, p) {
						prefixes = append(prefixes, p)
					}
				}
			}
		}
		for _, p := range prefixes {
			w, wok := we[i].scope[p]
			g, gok := ge[i].scope[p]
			if w != g || wok != gok {
				t.Fatalf("element %d (%s): prefix %q bound to %q (%v), was %q (%v)\nwant %s\n got %s", i, we[i].view, p, g, gok, w, wok, want, got)
			}
		}
	}
}

var qnamePrefix = regexp.MustCompile(`([\pL_][\pL\pN_.-]*):`)

// usesPrefix reports whether raw spells p where a QName could use it:
// followed by ':', a reference or markup.
func usesPrefix(raw, p string) bool {
	for _, c := range ":&<" {
		if strings.Contains(raw, p+string(c)) {
			return true
		}
	}
	return false
}

func checkDoc(t *testing.T, v any) []byte {
	t.Helper()
	// The baseline: xmlenc without Compact, or encoding/xml where xmlenc
	// does not encode v (TestXMLEncMatchesEncodingXML holds the two to
	// the same meaning).
	want, fast, errWant := runtime.WriteEnvelopeUncompactedForTest(v, false)
	got, gotFast, errGot := runtime.WriteEnvelopeForTest(v, false, true)
	if fast != gotFast {
		t.Fatalf("xmlenc encoded it %v without Compact, %v with", fast, gotFast)
	}
	if (errWant == nil) != (errGot == nil) {
		t.Fatalf("encoding/xml error %v, runtime error %v", errWant, errGot)
	}
	if errWant != nil {
		return nil
	}
	raw := ""
	if doc, ok := v.(*nsDoc); ok {
		raw = doc.Raw.Inner
	}
	checkSameMeaning(t, want, got, raw)
	return got
}

func FuzzEnvelopeNamespaces(f *testing.F) {
	for _, s := range [][4]string{
		{"urn:a", "urn:b", "plain", "text"},
		{"", "urn:a", "<c>1</c>", "ns1:x"},
		{"urn:a", "urn:a", `<p:c xmlns:p="urn:p">ns2:q</p:c>`, "xt:T"},
		{"urn:b", "", `<c xsi:type="T"/>`, ""},
		{"urn:a", "urn:c", "ns1&#58;x", "a<b"},
		{"urn:vim25", "urn:b", "<![CDATA[ns1]]>:x<!-- -->", "ns3:y"},
		{"urn:a", "urn:b", `<ns1:c xmlns:ns1="urn:z"/>`, "1"},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	f.Fuzz(func(t *testing.T, bodyNS, anyNS, raw, text string) {
		checkDoc(t, newNSDoc(bodyNS, anyNS, raw, text))
	})
}

// FuzzRequestNamespaces is FuzzEnvelopeNamespaces with headers: a typed
// header (a document like the body's, in its own namespace) and a
// profile header, beside the body whose namespace the envelope makes the
// default one. Names, xsi:type values and the prefixes text spells mean
// what they mean with each default namespace declared where it changes.
func FuzzRequestNamespaces(f *testing.F) {
	for _, s := range [][5]string{
		{"urn:a", "urn:a", "urn:a", "plain", "text"},
		{"urn:a", "urn:h", "urn:a", "<c>1</c>", "ns1:x"},
		{"", "urn:h", "", "v", "t"},
		{"urn:a", "", "-", `<p:c xmlns:p="urn:p">ns2:q</p:c>`, "xt:T"},
		{"urn:vim25", "urn:b", "urn:vim25", "<![CDATA[ns1]]>:x<!-- -->", "ns3:y"},
		{"urn:a", "urn:h", "urn:p", "v", "t"},
		{"urn:a", "urn:a", "", "v", "t"},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4])
	}
	f.Fuzz(func(t *testing.T, bodyNS, headerNS, profileNS, raw, text string) {
		body, header := newNSDoc(bodyNS, "urn:d", raw, text), newNSDoc(headerNS, "urn:d", raw, text)
		want, fast, errWant := runtime.WriteRequestForTest(body, []any{header}, profileNS, text, false)
		got, gotFast, errGot := runtime.WriteRequestForTest(body, []any{header}, profileNS, text, true)
		if fast != gotFast {
			t.Fatalf("xmlenc encoded it %v without Compact, %v with", fast, gotFast)
		}
		if (errWant == nil) != (errGot == nil) {
			t.Fatalf("error %v without Compact, %v with", errWant, errGot)
		}
		if errWant == nil {
			checkSameMeaning(t, want, got, raw)
		}
	})
}

// TestEnvelopeNamespacesKeepMeaning: where the content could mean
// something else with the namespaces declared once, the request keeps
// the declarations it needs (raw XML with markup gets its default
// namespace) or, when a prefix could be captured, is written with each
// default namespace declared where it changes.
func TestEnvelopeNamespacesKeepMeaning(t *testing.T) {
	for _, c := range []struct {
		name              string
		doc               *nsDoc
		prefixes, without []string
	}{
		{"plain", newNSDoc("urn:a", "urn:d", "v", "t"), []string{`xmlns="urn:a"`, `xmlns:ns1="urn:b"`, `<ns1:T_n>t</ns1:T_n>`, `xsi:type="ns2:TraversalSpec"`}, nil},
		{"xsi:type without a prefix", newNSDoc("urn:a", "urn:d", "v", "t"), []string{`<T_typed xmlns="urn:e" xsi:type="T">v</T_typed>`}, nil},
		// Raw XML with markup keeps the default namespace encoding/xml's
		// output has around it.
		{"raw markup", newNSDoc("urn:a", "urn:d", "<c>1</c>", "t"), []string{`<T_any xmlns="urn:d"><c>1</c></T_any>`, `<T_raw xmlns="urn:c"><c>1</c></T_raw>`}, nil},
		// Text or raw XML spelling a prefix the request would bind: each
		// default namespace declared where it changes, no prefix.
		{"ns1 in text", newNSDoc("urn:a", "urn:d", "v", "ns1:x"), []string{`<T_item xmlns="urn:b"><T_n>ns1:x</T_n>`}, []string{"xmlns:ns1"}},
		{"ns2 in raw", newNSDoc("urn:a", "urn:d", "<c>ns2:x</c>", "t"), nil, []string{"xmlns:ns"}},
		{"char reference", newNSDoc("urn:a", "urn:d", "ns1&#58;x", "t"), nil, []string{"xmlns:ns"}},
		{"cdata", newNSDoc("urn:a", "urn:d", "ns1<![CDATA[:x]]>", "t"), nil, []string{"xmlns:ns"}},
		{"own ns1", newNSDoc("urn:a", "urn:d", `<ns1:c xmlns:ns1="urn:z"/>`, "t"), nil, []string{`xmlns:ns1="urn:b"`}},
		// xt bound where encoding/xml's output binds it.
		{"xt in text", newNSDoc("urn:a", "urn:d", "v", "xt:T"), []string{`xmlns:xt="urn:vim25"`}, nil},
		// A body in no namespace: no default namespace, the others
		// prefixed, declared on the envelope.
		{"no namespace", newNSDoc("", "urn:d", "v", "t"), []string{`xmlns:ns1="urn:b"`, `<soap:Body><T_doc><ns1:T_item>`, `<ns1:T_m>1</ns1:T_m>`}, []string{`xmlns=""`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := string(checkDoc(t, c.doc))
			for _, s := range c.prefixes {
				if !strings.Contains(got, s) {
					t.Errorf("no %s in %s", s, got)
				}
			}
			for _, s := range c.without {
				if strings.Contains(got, s) {
					t.Errorf("%s in %s", s, got)
				}
			}
		})
	}
}
