package runtime

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// XSD built-in types that generated code uses where Go has no exact
// counterpart. Date, time and number types keep the lexical form they were
// sent in, so a value round-trips byte for byte (time zones, fractional
// seconds, trailing zeros); helpers convert when the caller needs a value.

// XSDDecimal is xsd:decimal in its lexical form: no float rounding.
type XSDDecimal string

// Rat parses the decimal exactly.
func (d XSDDecimal) Rat() (*big.Rat, error) {
	r, ok := new(big.Rat).SetString(strings.TrimSpace(string(d)))
	if !ok {
		return nil, fmt.Errorf("xsd:decimal: %q is not a decimal number", string(d))
	}
	return r, nil
}

// XSDInteger is xsd:integer and its unbounded derivations in lexical form.
type XSDInteger string

// Int parses the integer exactly.
func (i XSDInteger) Int() (*big.Int, error) {
	v, ok := new(big.Int).SetString(strings.TrimSpace(string(i)), 10)
	if !ok {
		return nil, fmt.Errorf("xsd:integer: %q is not an integer", string(i))
	}
	return v, nil
}

// XSDDateTime is xsd:dateTime in lexical form.
type XSDDateTime string

// NewXSDDateTime formats t as xsd:dateTime.
func NewXSDDateTime(t time.Time) XSDDateTime { return XSDDateTime(t.Format(time.RFC3339Nano)) }

// Time parses the value; a value without a zone is read as UTC.
func (d XSDDateTime) Time() (time.Time, error) {
	return parseXSDTime(string(d), "2006-01-02T15:04:05.999999999", "xsd:dateTime")
}

// XSDDate is xsd:date in lexical form.
type XSDDate string

// NewXSDDate formats the date of t.
func NewXSDDate(t time.Time) XSDDate { return XSDDate(t.Format("2006-01-02")) }

// Time parses the value at midnight; a value without a zone is read as UTC.
func (d XSDDate) Time() (time.Time, error) {
	return parseXSDTime(string(d), "2006-01-02", "xsd:date")
}

// XSDTime is xsd:time in lexical form.
type XSDTime string

// Time parses the value on 0000-01-01.
func (d XSDTime) Time() (time.Time, error) {
	return parseXSDTime(string(d), "15:04:05.999999999", "xsd:time")
}

// XSDDuration is xsd:duration in lexical form (P1Y2M3DT4H5M6.7S): months and
// years have no fixed length, so no time.Duration conversion is offered.
type XSDDuration string

// XSDGregorian is xsd:gYear, gYearMonth, gMonth, gMonthDay or gDay in
// lexical form.
type XSDGregorian string

func parseXSDTime(s, layout, what string) (time.Time, error) {
	s = strings.TrimSpace(s)
	zone := ""
	switch {
	case strings.HasSuffix(s, "Z"):
		zone = "Z07:00"
	case len(s) > 6 && (s[len(s)-6] == '+' || s[len(s)-6] == '-') && s[len(s)-3] == ':':
		zone = "Z07:00"
	}
	t, err := time.Parse(layout+zone, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %q is not valid", what, s)
	}
	return t, nil
}

// XSDBase64 is xsd:base64Binary: raw bytes in Go, base64 on the wire.
type XSDBase64 []byte

// MarshalText encodes base64.
func (b XSDBase64) MarshalText() ([]byte, error) {
	out := make([]byte, base64.StdEncoding.EncodedLen(len(b)))
	base64.StdEncoding.Encode(out, b)
	return out, nil
}

// UnmarshalText decodes base64, ignoring the line breaks some servers add.
func (b *XSDBase64) UnmarshalText(text []byte) error {
	clean := make([]byte, 0, len(text))
	for _, c := range text {
		if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
			clean = append(clean, c)
		}
	}
	v := make([]byte, base64.StdEncoding.DecodedLen(len(clean)))
	n, err := base64.StdEncoding.Decode(v, clean)
	if err != nil {
		return fmt.Errorf("xsd:base64Binary: %w", err)
	}
	*b = v[:n]
	return nil
}

// UnmarshalXML decodes the element's base64 text like UnmarshalText, or,
// in an MTOM answer, takes the bytes of the MIME part its
// <xop:Include href="cid:…"/> child stands for.
func (b *XSDBase64) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var text, part []byte
	included := false
	for depth := 1; depth > 0; {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if depth == 1 {
				text = append(text, t...)
			}
		case xml.StartElement:
			depth++
			if _, ok := xopHref(&t); ok && depth == 2 {
				if included {
					return fmt.Errorf("xsd:base64Binary: element %s holds two xop:Include elements", start.Name.Local)
				}
				if part, err = resolveInclude(d, &t); err != nil {
					return err
				}
				included = true
			}
		case xml.EndElement:
			depth--
		}
	}
	if !included {
		return b.UnmarshalText(text)
	}
	if len(bytes.TrimSpace(text)) > 0 {
		return fmt.Errorf("xsd:base64Binary: element %s holds text beside its xop:Include", start.Name.Local)
	}
	*b = part
	return nil
}

// XSDHexBinary is xsd:hexBinary: raw bytes in Go, hex on the wire.
type XSDHexBinary []byte

// MarshalText encodes upper-case hex, the canonical form.
func (b XSDHexBinary) MarshalText() ([]byte, error) {
	return []byte(strings.ToUpper(hex.EncodeToString(b))), nil
}

// UnmarshalText decodes hex.
func (b *XSDHexBinary) UnmarshalText(text []byte) error {
	v, err := hex.DecodeString(strings.TrimSpace(string(text)))
	if err != nil {
		return fmt.Errorf("xsd:hexBinary: %w", err)
	}
	*b = v
	return nil
}

// XSDAnyType keeps an element of unknown or arbitrary content (xsd:anyType,
// xsd:any) as raw XML: its name, attributes and inner XML, and the
// namespace prefixes in scope where it stood, without which prefixed
// names in Inner (<sf:Id>) and QName values (xsi:type="sf:Account") mean
// nothing. Decode reads it into a Go value with that scope; marshalling a
// decoded value declares the prefixes it uses, so it can be sent back.
type XSDAnyType struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Inner   []byte     `xml:",innerxml"`
	// Scope maps prefix to namespace ("" the default namespace) for the
	// declarations in scope at the element, its own included, when it
	// was decoded from a response: those of the prefixes the element
	// mentions (any name before a colon in its tags, attribute values or
	// text), so that it holds no more than it can use. Values decoded
	// from one answer with the same scope share one map: treat it as
	// read-only (copy it to change it). Nil for a value built in Go,
	// whose Inner must then declare what it uses.
	Scope map[string]string `xml:"-"`
}
