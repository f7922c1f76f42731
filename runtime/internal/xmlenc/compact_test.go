package xmlenc

import (
	"encoding/xml"
	"testing"
)

// TestCompactNames: a Compact encoder names an element in the first
// element's namespace without a prefix, one in another namespace with a
// prefix the caller declares, and declares the default namespace only
// where the content relies on it (raw XML, an xsi:type value without a
// prefix) or where an element has none.
func TestCompactNames(t *testing.T) {
	for _, c := range []struct {
		name  string
		inner []Start
		want  string
	}{
		{"other namespace", []Start{{Name: xml.Name{Space: "urn:b", Local: "x"}}},
			`<top><ns1:x></ns1:x></top>`},
		{"same namespace", []Start{{Name: xml.Name{Space: "urn:a", Local: "x"}}},
			`<top><x></x></top>`},
		{"no namespace", []Start{{Name: xml.Name{Local: "x"}}},
			`<top><x></x></top>`}, // encoding/xml's: x inherits urn:a
		{"xmlns empty", []Start{{Name: xml.Name{Local: "x"}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}}}}},
			`<top><x xmlns=""></x></top>`},
		{"raw XML", []Start{{Name: xml.Name{Space: "urn:b", Local: "x"}, Keep: true}},
			`<top><x xmlns="urn:b"></x></top>`},
		{"typed in the default namespace", []Start{{Name: xml.Name{Space: "urn:b", Local: "x"}, Type: xml.Name{Space: "urn:a", Local: "T"}}},
			`<top><ns1:x xsi:type="T"></ns1:x></top>`},
		{"typed in another namespace", []Start{{Name: xml.Name{Space: "urn:a", Local: "x"}, Type: xml.Name{Space: "urn:c", Local: "T"}}},
			`<top><x xsi:type="ns1:T"></x></top>`},
		{"typed in no namespace", []Start{{Name: xml.Name{Space: "urn:b", Local: "x"}, Type: xml.Name{Local: "T"}}},
			`<top><x xmlns="urn:b" xsi:type="T"></x></top>`},
	} {
		e := &Encoder{Compact: true}
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
		if string(e.Buf) != c.want || e.Default != "urn:a" {
			t.Errorf("%s: %s (default %q), want %s", c.name, e.Buf, e.Default, c.want)
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
		{"ns2:x", false},
		{"xt:T", false}, // no xsi:type in a namespace: xt was never bound
	} {
		e := &Encoder{Compact: true}
		err := e.Element(&Start{Name: xml.Name{Space: "urn:a", Local: "top"}}, func(e *Encoder) error {
			if err := e.Element(&Start{Name: xml.Name{Space: "urn:b", Local: "x"}}, nil); err != nil {
				return err
			}
			return e.Element(&Start{Name: xml.Name{Space: "urn:a", Local: "r"}, Keep: true}, func(e *Encoder) error {
				e.Raw([]byte(c.raw))
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
