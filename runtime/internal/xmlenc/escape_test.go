package xmlenc

import (
	"bytes"
	"encoding/xml"
	"testing"
)

var escapeSeeds = []string{"", "plain", "a<b>&c\"d'e", "tab\there\nnew\rline", "ctl\x01\x1f\x7f", "bad\xffutf8\xc3", "\uFFFE\uFFFF\U0010FFFF", "é漢😀", "]]>", "\xed\xa0\x80"}

// appendEscaped writes exactly the bytes xml.EscapeText writes, for text
// and attribute values alike.
func FuzzAppendEscaped(f *testing.F) {
	for _, s := range escapeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		if err := xml.EscapeText(&want, []byte(s)); err != nil {
			t.Fatal(err)
		}
		if got := appendEscaped(nil, s); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("string %q: got %q, want %q", s, got, want.Bytes())
		}
		if got := appendEscaped([]byte("x"), []byte(s)); !bytes.Equal(got[1:], want.Bytes()) {
			t.Errorf("bytes %q: got %q, want %q", s, got[1:], want.Bytes())
		}
	})
}
