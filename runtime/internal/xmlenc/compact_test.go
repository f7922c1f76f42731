package xmlenc

import (
	"encoding/xml"
	"reflect"
	"strings"
	"testing"
)

// TestCompactNames: a Compact encoder declares the top-level element's
// namespace as the default namespace and the prefixes below it on it,
// names an element in another namespace with a prefix, and declares the
// default namespace below only where the content relies on it (raw XML,
// an xsi:type value without a prefix) or where an element has none.
func TestCompactNames(t *testing.T) {
	for _, c := range []struct {
		name  string
		inner []Start
		want  string
	}{
		{"other namespace", []Start{{Name: xml.Name{Space: "urn:b", Local: "x"}}},
			`<top xmlns="urn:a" xmlns:ns1="urn:b"><ns1:x></ns1:x></top>`},
		{"same namespace", []Start{{Name: xml.Name{Space: "urn:a", Local: "x"}}},
			`<top xmlns="urn:a"><x></x></top>`},
		{"no namespace", []Start{{Name: xml.Name{Local: "x"}}},
			`<top xmlns="urn:a"><x></x></top>`}, // encoding/xml's: x inherits urn:a
		{"xmlns empty", []Start{{Name: xml.Name{Local: "x"}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}}}}},
			`<top xmlns="urn:a"><x xmlns=""></x></top>`},
		{"raw XML", []Start{{Name: xml.Name{Space: "urn:b", Local: "x"}, Keep: true}},
			`<top xmlns="urn:a"><x xmlns="urn:b"></x></top>`},
		{"typed in the default namespace", []Start{{Name: xml.Name{Space: "urn:b", Local: "x"}, Type: xml.Name{Space: "urn:a", Local: "T"}}},
			`<top xmlns="urn:a" xmlns:ns1="urn:b"><ns1:x xsi:type="T"></ns1:x></top>`},
		{"typed in another namespace", []Start{{Name: xml.Name{Space: "urn:a", Local: "x"}, Type: xml.Name{Space: "urn:c", Local: "T"}}},
			`<top xmlns="urn:a" xmlns:ns1="urn:c"><x xsi:type="ns1:T"></x></top>`},
		{"typed in no namespace", []Start{{Name: xml.Name{Space: "urn:b", Local: "x"}, Type: xml.Name{Local: "T"}}},
			`<top xmlns="urn:a"><x xmlns="urn:b" xsi:type="T"></x></top>`},
	} {
		e := &Encoder{Compact: true, cs: compactState{top: true}}
		err := e.Element(&Start{Name: xml.Name{Space: "urn:a", Local: "top"}}, func(e *Encoder) error {
			for i := range c.inner {
				if err := e.Element(&c.inner[i], nil); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if string(e.Buf) != c.want {
			t.Errorf("%s: %s, want %s", c.name, e.Buf, c.want)
		}
		if e.Clash() {
			t.Errorf("%s: Clash", c.name)
		}
	}
}

// TestCompactClash: content that spells a prefix the output binds, or
// could, is a Clash.
func TestCompactClash(t *testing.T) {
	for _, c := range []struct {
		raw   string
		clash bool
	}{
		{"plain", false},
		{"ns1:x", true},
		{"ns1&#58;x", true},
		{"ns1<!---->:x", true},
		{`<ns1:c xmlns:ns1="urn:z"/>`, true},
		{`<c xmlns:ns7="urn:z"/>`, true},
		{`<c xmlns:ns1="urn:b"/>`, true},
		{"ns2:x", true}, // any prefix of the form
		{"dns:x ns", false},
		{"ns\x00s1:x", true}, // two writes, one text: "ns" + "1:x"
		{"xt:T", false},      // no xsi:type in a namespace: xt was never bound
	} {
		e := &Encoder{Compact: true, cs: compactState{top: true}}
		err := e.Element(&Start{Name: xml.Name{Space: "urn:a", Local: "top"}}, func(e *Encoder) error {
			if err := e.Element(&Start{Name: xml.Name{Space: "urn:b", Local: "x"}}, nil); err != nil {
				return err
			}
			return e.Element(&Start{Name: xml.Name{Space: "urn:a", Local: "r"}, Keep: true}, func(e *Encoder) error {
				for _, part := range strings.Split(c.raw, "\x00s") {
					e.Raw([]byte(part))
				}
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		if e.Clash() != c.clash {
			t.Errorf("%q: Clash %v, want %v: %s", c.raw, !c.clash, c.clash, e.Buf)
		}
	}
}

// TestCompactTopLevel: each top-level element (each Encode, each item of
// a slice encoded at the top) declares what it uses itself.
func TestCompactTopLevel(t *testing.T) {
	type item struct {
		XMLName xml.Name `xml:"urn:a it"`
		X       string   `xml:"urn:b x"`
	}
	type other struct {
		XMLName xml.Name `xml:"urn:c o"`
		X       string   `xml:"urn:b x"`
	}
	e := &Encoder{Compact: true}
	if err := e.Encode([]item{{X: "1"}, {X: "2"}}); err != nil {
		t.Fatal(err)
	}
	if err := e.Encode(other{X: "3"}); err != nil {
		t.Fatal(err)
	}
	const want = `<it xmlns="urn:a" xmlns:ns1="urn:b"><ns1:x>1</ns1:x></it><it xmlns="urn:a" xmlns:ns1="urn:b"><ns1:x>2</ns1:x></it>` +
		`<o xmlns="urn:c" xmlns:ns1="urn:b"><ns1:x>3</ns1:x></o>`
	if string(e.Buf) != want || e.Clash() {
		t.Errorf("got %s (Clash %v), want %s", e.Buf, e.Clash(), want)
	}
}

// TestCompactShared: a Shared encoder declares nothing in the output;
// the first top-level element's namespace is Default, shared by a later
// top-level element in it, and AppendDecls names it and every prefix
// used by any element; a later top-level element in no namespace
// undeclares the default (a child without a namespace is in its
// parent's, as encoding/xml writes it).
func TestCompactShared(t *testing.T) {
	type body struct {
		XMLName xml.Name `xml:"urn:a req"`
		X       string   `xml:"urn:b x"`
		N       string   `xml:"n"`
	}
	type hdrA struct {
		XMLName xml.Name `xml:"urn:a H"`
		ID      string   `xml:"urn:a id"`
	}
	type hdrC struct {
		XMLName xml.Name `xml:"urn:c O"`
		X       string   `xml:"urn:b x"`
	}
	type hdrNone struct {
		XMLName xml.Name `xml:"P"`
		N       string   `xml:"n"`
	}
	e := &Encoder{Compact: true, Shared: true}
	for _, v := range []any{body{X: "1", N: "2"}, hdrA{ID: "3"}, hdrC{X: "4"}, hdrNone{N: "5"}} {
		if err := e.Encode(v); err != nil {
			t.Fatal(err)
		}
	}
	const want = `<req><ns1:x>1</ns1:x><n>2</n></req><H><id>3</id></H><ns2:O><ns1:x>4</ns1:x></ns2:O><P xmlns=""><n>5</n></P>`
	const decls = ` xmlns="urn:a" xmlns:ns1="urn:b" xmlns:ns2="urn:c"`
	if string(e.Buf) != want || e.Default != "urn:a" || string(e.AppendDecls(nil)) != decls || e.Unsure || e.Clash() {
		t.Errorf("got %s, Default %q, declarations %q (Unsure %v, Clash %v)\nwant %s, %q", e.Buf, e.Default, e.AppendDecls(nil), e.Unsure, e.Clash(), want, decls)
	}
}

// TestCompactClashNamesAttrs: a name or attribute of the caller's that
// spells a prefix of the output's form is a Clash too.
func TestCompactClashNamesAttrs(t *testing.T) {
	for _, s := range []Start{
		{Name: xml.Name{Space: "urn:a", Local: "ns1:c"}},
		{Name: xml.Name{Space: "urn:a", Local: "c"}, Attr: []xml.Attr{{Name: xml.Name{Local: "k"}, Value: "ns1:T"}}},
		{Name: xml.Name{Space: "urn:a", Local: "c"}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns:ns1"}, Value: "urn:z"}}},
	} {
		e := &Encoder{Compact: true, cs: compactState{top: true}}
		err := e.Element(&Start{Name: xml.Name{Space: "urn:a", Local: "top"}}, func(e *Encoder) error {
			if err := e.Element(&Start{Name: xml.Name{Space: "urn:b", Local: "x"}}, nil); err != nil {
				return err
			}
			return e.Element(&s, nil)
		})
		if err != nil {
			t.Fatal(err)
		}
		if !e.Clash() {
			t.Errorf("no Clash: %s", e.Buf)
		}
	}
}

// TestPrefixedTagNoPlan: an element name with a prefix in a tag is left
// to encoding/xml (written as it is, a Compact output could bind it).
func TestPrefixedTagNoPlan(t *testing.T) {
	type named struct {
		XMLName xml.Name `xml:"p:a"`
	}
	type field struct {
		A string `xml:"urn:x p:a"`
	}
	type attr struct {
		A string `xml:"p:a,attr"`
	}
	if Supported(reflect.TypeFor[named]()) || Supported(reflect.TypeFor[field]()) || !Supported(reflect.TypeFor[attr]()) {
		t.Error("a prefixed element name in a tag has a plan, or a prefixed attribute name none")
	}
}
