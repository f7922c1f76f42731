package runtime

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// innerScope is the prefix bindings in scope inside st ("" the default
// namespace), those of outer changed by st's declarations.
func innerScope(outer map[string]string, st xml.StartElement) map[string]string {
	cur := maps.Clone(outer)
	for _, a := range st.Attr {
		switch {
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			cur[""] = a.Value
		case a.Name.Space == "xmlns":
			cur[a.Name.Local] = a.Value
		}
	}
	return cur
}

// nsView describes a fragment as a namespace-aware reader sees it: per
// element its resolved name, resolved attributes (declarations left out)
// and every prefix binding in scope; text as it is. scope is what is
// bound outside the fragment.
func nsView(frag []byte, scope map[string]string) ([]string, []map[string]string, error) {
	d := xml.NewDecoder(bytes.NewReader(frag))
	var out []string
	var scopes []map[string]string
	stack := []map[string]string{scope}
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return out, scopes, nil
		}
		if err != nil {
			return nil, nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			cur := innerScope(stack[len(stack)-1], t)
			stack = append(stack, cur)
			resolve := func(n xml.Name, elem bool) string {
				if n.Space == "" {
					if elem {
						return "{" + cur[""] + "}" + n.Local
					}
					return n.Local
				}
				uri, ok := cur[n.Space]
				if !ok {
					uri = "UNBOUND:" + n.Space
				}
				return "{" + uri + "}" + n.Local
			}
			var attrs []string
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
					continue
				}
				attrs = append(attrs, resolve(a.Name, false)+"="+a.Value)
			}
			sort.Strings(attrs)
			out = append(out, "<"+resolve(t.Name, true)+" "+strings.Join(attrs, " "))
			scopes = append(scopes, cur)
		case xml.EndElement:
			if len(stack) == 1 {
				return nil, nil, fmt.Errorf("unmatched </%s>", t.Name.Local)
			}
			stack = stack[:len(stack)-1]
			out = append(out, "</")
		case xml.CharData:
			out = append(out, "text:"+string(t))
		case xml.Comment:
			out = append(out, "comment:"+string(t))
		case xml.ProcInst:
			out = append(out, "pi:"+t.Target+" "+string(t.Inst))
		}
	}
}

// checkCompact asserts that compactNS kept the meaning of frag: the same
// names, attributes and text, and at every element every prefix the input
// had in scope bound to the same namespace (the default namespace
// included, so QName values resolve as before).
func checkCompact(t *testing.T, frag string) string {
	t.Helper()
	outer := []nsBinding{{prefix: []byte("soap"), uri: []byte(nsSOAP11)}}
	scope := map[string]string{"soap": nsSOAP11, "": ""}
	got := compactNS(nil, []byte(frag), outer)
	wantView, wantScopes, err := nsView([]byte(frag), scope)
	if err != nil {
		return string(got) // not well-formed: only no panic is asked
	}
	gotView, gotScopes, err := nsView(got, scope)
	if err != nil {
		t.Fatalf("compacted %q into %q, which does not parse: %v", frag, got, err)
	}
	if fmt.Sprint(wantView) != fmt.Sprint(gotView) {
		t.Fatalf("compacting changed the document\n in: %s\nout: %s\nwant %q\n got %q", frag, got, wantView, gotView)
	}
	for i, ws := range wantScopes {
		for p, uri := range ws {
			if gotScopes[i][p] != uri {
				t.Fatalf("element %d: prefix %q bound to %q, was %q\n in: %s\nout: %s", i, p, gotScopes[i][p], uri, frag, got)
			}
		}
	}
	return string(got)
}

func TestCompactNSDeclaresOnce(t *testing.T) {
	const xsi = `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`
	for _, c := range []struct{ in, want string }{
		// encoding/xml's shape: every element declares its namespace.
		{`<a xmlns="urn:x"><b xmlns="urn:x">1</b><c xmlns="urn:x"><d xmlns="urn:x"/></c></a>`,
			`<a xmlns="urn:x"><b>1</b><c><d/></c></a>`},
		// A child in another namespace keeps its declaration, and its
		// sibling back in the parent's does not need one.
		{`<a xmlns="urn:x"><b xmlns="urn:y"><c xmlns="urn:y"/></b><d xmlns="urn:x"/></a>`,
			`<a xmlns="urn:x"><b xmlns="urn:y"><c/></b><d/></a>`},
		// Unqualified children under a prefixed parent: xmlns="" is needed
		// inside a default namespace, redundant where none is declared.
		{`<q:a xmlns:q="urn:x" xmlns=""><b>1</b><q:c xmlns:q="urn:x" xmlns=""><d/></q:c></q:a>`,
			`<q:a xmlns:q="urn:x"><b>1</b><q:c><d/></q:c></q:a>`},
		{`<a xmlns="urn:x"><q:b xmlns:q="urn:x" xmlns=""><c/></q:b></a>`,
			`<a xmlns="urn:x" xmlns:q="urn:x"><q:b xmlns=""><c/></q:b></a>`},
		// Polymorphic siblings: the prefixes move to the top element once.
		{`<a xmlns="urn:x"><s xmlns="urn:x" ` + xsi + ` xmlns:xt="urn:x" xsi:type="xt:T"><n xmlns="urn:x">1</n></s><s xmlns="urn:x" ` + xsi + ` xmlns:xt="urn:x" xsi:type="xt:U"></s></a>`,
			`<a xmlns="urn:x" ` + xsi + ` xmlns:xt="urn:x"><s xsi:type="xt:T"><n>1</n></s><s xsi:type="xt:U"></s></a>`},
		// A prefix bound to two namespaces: the first moves up, the other
		// stays where it is, and the first is declared again below it.
		{`<a><b xmlns:p="urn:1" p:k="1"/><c xmlns:p="urn:2" p:k="2"><d xmlns:p="urn:1" p:k="3"/></c></a>`,
			`<a xmlns:p="urn:1"><b p:k="1"/><c xmlns:p="urn:2" p:k="2"><d xmlns:p="urn:1" p:k="3"/></c></a>`},
		// The envelope's prefix is never shadowed from the top.
		{`<a><b xmlns:soap="urn:other" soap:k="1"/><c soap:k="2"/></a>`,
			`<a><b xmlns:soap="urn:other" soap:k="1"/><c soap:k="2"/></a>`},
		// Raw XML inside: comments, CDATA, processing instructions, single
		// quotes, '>' in a value.
		{`<a xmlns="urn:x"><!-- <b xmlns="urn:y"> --><![CDATA[<c xmlns="urn:x">]]><?pi x?><d xmlns='urn:x' v='1>0'/></a>`,
			`<a xmlns="urn:x"><!-- <b xmlns="urn:y"> --><![CDATA[<c xmlns="urn:x">]]><?pi x?><d v='1>0'/></a>`},
		// Two top-level elements (typed headers): each its own top.
		{`<h1 xmlns="urn:h" xmlns:p="urn:p"/><h2 xmlns="urn:h" xmlns:p="urn:p"/>`,
			`<h1 xmlns="urn:h" xmlns:p="urn:p"/><h2 xmlns="urn:h" xmlns:p="urn:p"/>`},
	} {
		got := checkCompact(t, c.in)
		if got != c.want {
			t.Errorf("compactNS(%s)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

// TestCompactNSLeavesTheUnexpected: an element the scanner does not
// understand to its end (a DOCTYPE, an unquoted value, a cut-off tag) is
// copied as it is, never dropped or mangled.
func TestCompactNSLeavesTheUnexpected(t *testing.T) {
	for _, in := range []string{
		`<a xmlns="urn:x"><b xmlns="urn:x"`,
		`<a xmlns="urn:x"><b xmlns="urn:x"/><!DOCTYPE x><c xmlns="urn:x"/></a>`,
		`<a xmlns="urn:x"><b xmlns="urn:x" v=1/></a>`,
		`<a xmlns="urn:x"><!-- never closed`,
		`text only`,
		``,
		`</a><b/>`,
	} {
		if got := string(compactNS(nil, []byte(in), nil)); got != in {
			t.Errorf("compactNS(%q) = %q", in, got)
		}
	}
	// A well-formed element before is compacted all the same.
	in := `<a xmlns="urn:x"><b xmlns="urn:x"/></a><c xmlns="urn:x"><d xmlns="urn:x" v=1/></c>`
	if got := string(compactNS(nil, []byte(in), nil)); got != `<a xmlns="urn:x"><b/></a><c xmlns="urn:x"><d xmlns="urn:x" v=1/></c>` {
		t.Errorf("got %s", got)
	}
}

func FuzzCompactNS(f *testing.F) {
	for _, s := range []string{
		`<a xmlns="urn:x"><b xmlns="urn:x">1</b></a>`,
		`<q:a xmlns:q="urn:x" xmlns=""><b/><q:c xmlns:q="urn:y"><q:d xmlns:q="urn:x"/></q:c></q:a>`,
		`<a xmlns:p="urn:1"><p:b xmlns:p="urn:2" xmlns="urn:2"><c xmlns="" p:k='v'/></p:b></a>`,
		`<a><!--x--><![CDATA[y]]><?p q?><b xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"></b></a>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkCompact(t, in)
	})
}

// TestEnvelopeDeclaresEachNamespaceOnce: a request declares each
// namespace it uses once, on the envelope, whatever elements use it
// (headers and the body alike, children in another namespace than their
// parent, polymorphic and nil values): the body's namespace as the
// default namespace, which a profile header in it shares; xsi only when
// the body uses it. A profile header in a namespace nothing else uses
// declares it on itself.
func TestEnvelopeDeclaresEachNamespaceOnce(t *testing.T) {
	type field struct {
		V string `xml:",chardata"`
	}
	type item struct {
		N     int         `xml:"urn:x n"`
		Nil   *xsiNilElem `xml:"urn:x none"`
		Field []field     `xml:"urn:y f"`
		Any   []XSDAnyType
	}
	type req struct {
		XMLName xml.Name `xml:"urn:x req"`
		Items   []item   `xml:"urn:x item"`
	}
	type hdr struct {
		XMLName xml.Name `xml:"urn:x H"`
		ID      string   `xml:"urn:x id"`
	}
	type other struct {
		XMLName xml.Name `xml:"urn:z O"`
		F       field    `xml:"urn:y f"`
	}
	anyF := XSDAnyType{XMLName: xml.Name{Space: "urn:y", Local: "Name"}, Inner: []byte("Acme")}
	items := []item{
		{N: 1, Nil: &xsiNilElem{}, Field: []field{{V: "a"}, {V: "b"}}, Any: []XSDAnyType{anyF, anyF}},
		{N: 2, Nil: &xsiNilElem{}, Field: []field{{V: "c"}}, Any: []XSDAnyType{anyF}},
	}
	env := envelope{
		version: impl.SOAP11,
		profile: []headerElem{{name: xml.Name{Space: "urn:x", Local: "P"}, path: []string{"p"}, text: "1"}, {name: xml.Name{Space: "urn:w", Local: "W"}, text: "2"}},
		typed:   []any{hdr{ID: "s"}, other{F: field{V: "o"}}},
		body:    req{Items: items},
	}
	var buf bytes.Buffer
	if err := env.write(&buf); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	parts, err := declarations(buf.Bytes())
	if err != nil {
		t.Fatalf("%v: %s", err, s)
	}
	want := []string{
		"Envelope " + nsSOAP11 + " " + xsiNamespace + " urn:x urn:y urn:z",
		"W urn:w",
	}
	if !slices.Equal(parts, want) {
		t.Errorf("declarations per element\n got %q\nwant %q\n%s", parts, want, s)
	}
	var got struct {
		Header struct {
			P string `xml:"urn:x P>p"`
			W string `xml:"urn:w W"`
			H string `xml:"urn:x H>id"`
			O struct {
				F string `xml:"urn:y f"`
			} `xml:"urn:z O"`
		} `xml:"Header"`
		Body struct {
			Req struct {
				Items []struct {
					N int      `xml:"urn:x n"`
					F []string `xml:"urn:y f"`
				} `xml:"urn:x item"`
			} `xml:"urn:x req"`
		} `xml:"Body"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil || len(got.Body.Req.Items) != 2 || len(got.Body.Req.Items[0].F) != 2 ||
		got.Header.P != "1" || got.Header.W != "2" || got.Header.H != "s" || got.Header.O.F != "o" {
		t.Errorf("the request read back: %+v, %v", got, err)
	}
	if !strings.Contains(s, `<soap:Envelope xmlns:soap="`+nsSOAP11+`" xmlns:xsi=`) {
		t.Errorf("xsi is not declared on the envelope: %s", s)
	}
	buf.Reset()
	env = envelope{version: impl.SOAP11, body: req{Items: []item{{N: 1}}}}
	if err := env.write(&buf); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "xsi") {
		t.Errorf("xsi declared by a body that does not use it: %s", buf.String())
	}
}

// declarations lists, per element that declares a namespace, its name
// and the namespaces it declares (sorted; xmlns="" left out), and fails
// when an element declares one that is in scope already.
func declarations(doc []byte) ([]string, error) {
	var out []string
	scopes := []map[string]bool{{}}
	d := xml.NewDecoder(bytes.NewReader(doc))
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
			var uris []string
			scope := maps.Clone(scopes[len(scopes)-1])
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" && a.Value != "" {
					if scope[a.Value] {
						return nil, fmt.Errorf("<%s> declares %s again", t.Name.Local, a.Value)
					}
					uris = append(uris, a.Value)
				}
			}
			for _, u := range uris {
				scope[u] = true
			}
			scopes = append(scopes, scope)
			if len(uris) > 0 {
				sort.Strings(uris)
				out = append(out, t.Name.Local+" "+strings.Join(uris, " "))
			}
		case xml.EndElement:
			scopes = scopes[:len(scopes)-1]
		}
	}
}

// xsiNilElem is always written as xsi:nil.
type xsiNilElem struct{}

func (xsiNilElem) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return impl.EncodeXSINil(e, start)
}

// unqualified is a Marshaler (written by encoding/xml as a fragment) whose
// element and child are in no namespace.
type unqualified struct{}

func (unqualified) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return e.EncodeElement(struct {
		U string `xml:"u"`
	}{"1"}, xml.StartElement{Name: xml.Name{Local: "frag"}})
}

// TestEnvelopeFragments: a body that is a fragment (no namespace) keeps
// its names beside a typed header in a namespace, and a fragment under an
// element whose default namespace the request does not declare (its name
// has a prefix) is written with each default namespace where it changes;
// a header fragment or a header in no namespace keeps its names under
// the default namespace the envelope declares for the body.
func TestEnvelopeFragments(t *testing.T) {
	type hdr struct {
		XMLName xml.Name `xml:"urn:h H"`
		ID      string   `xml:"urn:h id"`
	}
	type plain struct {
		XMLName xml.Name `xml:"P"`
		N       string   `xml:"n"`
	}
	type holder struct {
		XMLName xml.Name `xml:"urn:a top"`
		Item    struct {
			F unqualified `xml:"urn:b f"`
		} `xml:"urn:b item"`
	}
	for _, c := range []struct {
		env  envelope
		want []string
	}{
		{envelope{version: impl.SOAP11, typed: []any{hdr{ID: "1"}}, body: unqualified{}}, []string{"{}frag", "{}u", "{urn:h}H"}},
		{envelope{version: impl.SOAP11, body: holder{}}, []string{"{urn:a}top", "{urn:b}item", "{urn:b}frag", "{urn:b}u"}},
		// Headers beside a body whose namespace the envelope makes the
		// default: a fragment, a header in no namespace, one in the
		// body's namespace.
		{envelope{version: impl.SOAP11, typed: []any{unqualified{}, plain{N: "1"}, hdr{ID: "2"}}, body: hdr{ID: "3"}},
			[]string{"{}frag", "{}u", "{}P", "{}n", "{urn:h}H", "{urn:h}id"}},
		{envelope{version: impl.SOAP11, typed: []any{plain{N: "1"}}, body: hdr{ID: "3"}}, []string{"{}P", "{}n", "{urn:h}H", "{urn:h}id"}},
	} {
		var buf bytes.Buffer
		if err := c.env.write(&buf); err != nil {
			t.Fatal(err)
		}
		view, _, err := nsView(buf.Bytes(), map[string]string{"": ""})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range c.want {
			if !strings.Contains(strings.Join(view, " "), "<"+w+" ") {
				t.Errorf("no %s in %v: %s", w, view, buf.String())
			}
		}
	}
}
