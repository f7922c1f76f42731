package runtime

import (
	"encoding/xml"
	"strings"
	"testing"
)

type nillables struct {
	XMLName  xml.Name          `xml:"urn:t r"`
	Required Nillable[string]  `xml:"urn:t required"`
	Optional *Nillable[int32]  `xml:"urn:t optional,omitempty"`
	Many     []Nillable[int32] `xml:"urn:t many"`
}

// TestNillableRoundTrip: xsi:nil, a value, and absence stay apart through
// decode and encode.
func TestNillableRoundTrip(t *testing.T) {
	in := `<r xmlns="urn:t" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<required xsi:nil="true"/><optional xsi:nil="1"></optional><many>1</many><many xsi:nil="true"/><many>3</many></r>`
	var v nillables
	if err := xml.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	if !v.Required.Nil || v.Optional == nil || !v.Optional.Nil || len(v.Many) != 3 || v.Many[0].Value != 1 || !v.Many[1].Nil || v.Many[2].Value != 3 {
		t.Fatalf("decoded %+v (optional %+v)", v, v.Optional)
	}
	out, err := xml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var back nillables
	if err := xml.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if !back.Required.Nil || back.Optional == nil || !back.Optional.Nil || !back.Many[1].Nil || back.Many[2].Value != 3 {
		t.Errorf("re-decoded %+v from %s", back, out)
	}
	if got := strings.Count(string(out), `xsi:nil="true"`); got != 3 {
		t.Errorf("%d xsi:nil in %s, want 3", got, out)
	}
	// A value and an absent optional element.
	v = nillables{Required: Value("x")}
	out, _ = xml.Marshal(v)
	if strings.Contains(string(out), "nil") || strings.Contains(string(out), "optional") || !strings.Contains(string(out), ">x</required>") {
		t.Errorf("value and absence: %s", out)
	}
}

// TestNillableConstructors: Value and ValuePtr hold a value, Nil is the
// explicit no-value the wire writes as xsi:nil.
func TestNillableConstructors(t *testing.T) {
	v := nillables{Required: Nil[string](), Optional: ValuePtr[int32](7), Many: []Nillable[int32]{Value[int32](1), Nil[int32]()}}
	out, err := xml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var back nillables
	if err := xml.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if !back.Required.Nil || back.Optional == nil || back.Optional.Nil || back.Optional.Value != 7 ||
		len(back.Many) != 2 || back.Many[0] != Value[int32](1) || !back.Many[1].Nil {
		t.Errorf("decoded %+v (optional %+v) from %s", back, back.Optional, out)
	}
}
