package runtime

import (
	"math"
	"strconv"
	"strings"
)

// XSDDouble is xsd:double. It exists for XSD's special values: encoding/xml
// writes a float64 infinity Go style ("+Inf"), which no XSD reader accepts;
// XSDDouble writes and reads INF, -INF and NaN as the XSD lexical space
// defines them. Every other value is written as encoding/xml would.
type XSDDouble float64

// XSDFloat is xsd:float, with the same special values as XSDDouble.
type XSDFloat float32

// MarshalText writes d in XSD's lexical form.
func (d XSDDouble) MarshalText() ([]byte, error) {
	return []byte(formatXSDFloat(float64(d), 64)), nil
}

// UnmarshalText reads d from XSD's lexical form.
func (d *XSDDouble) UnmarshalText(b []byte) error {
	f, err := parseXSDFloat(string(b), 64)
	*d = XSDDouble(f)
	return err
}

// MarshalText writes f in XSD's lexical form.
func (f XSDFloat) MarshalText() ([]byte, error) {
	return []byte(formatXSDFloat(float64(f), 32)), nil
}

// UnmarshalText reads f from XSD's lexical form.
func (f *XSDFloat) UnmarshalText(b []byte) error {
	v, err := parseXSDFloat(string(b), 32)
	*f = XSDFloat(v)
	return err
}

func formatXSDFloat(f float64, bits int) string {
	switch {
	case math.IsInf(f, 1):
		return "INF"
	case math.IsInf(f, -1):
		return "-INF"
	case math.IsNaN(f):
		return "NaN"
	}
	return strconv.FormatFloat(f, 'g', -1, bits)
}

func parseXSDFloat(s string, bits int) (float64, error) {
	s = strings.TrimSpace(s)
	switch s {
	case "INF", "+INF":
		return math.Inf(1), nil
	case "-INF":
		return math.Inf(-1), nil
	case "NaN":
		return math.NaN(), nil
	}
	return strconv.ParseFloat(s, bits)
}
