package runtime

import (
	"bytes"
	"encoding/xml"
	"testing"
	"time"
)

func TestXSDBinaryRoundTrip(t *testing.T) {
	type doc struct {
		B64 XSDBase64    `xml:"b"`
		Hex XSDHexBinary `xml:"h"`
	}
	in := doc{B64: XSDBase64("\x00\xffhi"), Hex: XSDHexBinary{0xca, 0xfe}}
	b, err := xml.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `<doc><b>AP9oaQ==</b><h>CAFE</h></doc>`; string(b) != want {
		t.Errorf("wire %s, want %s", b, want)
	}
	var out doc
	// Line breaks inside base64 are legal and common (MIME style).
	if err := xml.Unmarshal([]byte("<doc><b>AP9o\n aQ==</b><h>cafe</h></doc>"), &out); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.B64, in.B64) || !bytes.Equal(out.Hex, in.Hex) {
		t.Errorf("decoded %+v, want %+v", out, in)
	}
	if err := xml.Unmarshal([]byte("<doc><b>!!</b></doc>"), &out); err == nil {
		t.Error("bad base64 accepted")
	}
}

func TestXSDNumbersKeepDigits(t *testing.T) {
	r, err := XSDDecimal("12345678901234567890.000000000001").Rat()
	if err != nil || r.FloatString(12) != "12345678901234567890.000000000001" {
		t.Errorf("Rat = %v, %v", r, err)
	}
	if _, err := XSDDecimal("1e5").Rat(); err != nil {
		// big.Rat accepts exponents; xsd:decimal does not, but reading
		// leniently is safer than failing a response.
		t.Log(err)
	}
	if _, err := XSDDecimal("abc").Rat(); err == nil {
		t.Error("abc accepted as decimal")
	}
	i, err := XSDInteger("-123456789012345678901234567890").Int()
	if err != nil || i.String() != "-123456789012345678901234567890" {
		t.Errorf("Int = %v, %v", i, err)
	}
}

func TestXSDDateTimes(t *testing.T) {
	for _, c := range []struct {
		got  func() (time.Time, error)
		want time.Time
	}{
		{XSDDateTime("2024-02-29T23:59:59.5+01:00").Time, time.Date(2024, 2, 29, 22, 59, 59, 5e8, time.UTC)},
		{XSDDateTime("2024-02-29T23:59:59Z").Time, time.Date(2024, 2, 29, 23, 59, 59, 0, time.UTC)},
		{XSDDateTime("2024-02-29T23:59:59").Time, time.Date(2024, 2, 29, 23, 59, 59, 0, time.UTC)},
		{XSDDate("1980-02-29").Time, time.Date(1980, 2, 29, 0, 0, 0, 0, time.UTC)},
		{XSDDate("1980-02-29-05:00").Time, time.Date(1980, 2, 29, 5, 0, 0, 0, time.UTC)},
		{XSDTime("10:00:00.25Z").Time, time.Date(0, 1, 1, 10, 0, 0, 25e7, time.UTC)},
	} {
		got, err := c.got()
		if err != nil || !got.Equal(c.want) {
			t.Errorf("got %v, %v; want %v", got, err, c.want)
		}
	}
	if _, err := XSDDateTime("yesterday").Time(); err == nil {
		t.Error("bad dateTime accepted")
	}
	if got := NewXSDDateTime(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)); got != "2024-01-02T03:04:05Z" {
		t.Errorf("NewXSDDateTime = %s", got)
	}
	if got := NewXSDDate(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)); got != "2024-01-02" {
		t.Errorf("NewXSDDate = %s", got)
	}
}
