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
