package runtime

import (
	"encoding/xml"
	"math"
	"testing"
)

// TestXSDFloatSpecialValues: INF, -INF and NaN go out and come back in
// XSD's spelling, in elements and attributes; a plain float64 would write
// "+Inf", which XSD readers reject.
func TestXSDFloatSpecialValues(t *testing.T) {
	type doc struct {
		XMLName xml.Name  `xml:"d"`
		A       XSDDouble `xml:"a,attr"`
		E       XSDDouble `xml:"e"`
		F       XSDFloat  `xml:"f"`
		N       XSDDouble `xml:"n"`
		P       XSDDouble `xml:"p"`
	}
	in := doc{A: XSDDouble(math.Inf(-1)), E: XSDDouble(math.Inf(1)), F: XSDFloat(math.Inf(-1)), N: XSDDouble(math.NaN()), P: 1.5e-7}
	b, err := xml.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const want = `<d a="-INF"><e>INF</e><f>-INF</f><n>NaN</n><p>1.5e-07</p></d>`
	if string(b) != want {
		t.Fatalf("marshal:\n got %s\nwant %s", b, want)
	}
	var out doc
	if err := xml.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if !math.IsInf(float64(out.A), -1) || !math.IsInf(float64(out.E), 1) || !math.IsInf(float64(out.F), -1) || !math.IsNaN(float64(out.N)) || out.P != 1.5e-7 {
		t.Errorf("unmarshal: %+v", out)
	}
	var bad doc
	if err := xml.Unmarshal([]byte(`<d><e>lots</e></d>`), &bad); err == nil {
		t.Error("a non-number decoded without error")
	}
}
