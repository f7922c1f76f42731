package xmlenc

import "unicode/utf8"

// appendEscaped appends s escaped as encoding/xml's EscapeText and
// attribute values are: the five specials, tab, newline and carriage
// return as character references, and what is not an XML character
// (invalid UTF-8 included) as U+FFFD.
func appendEscaped[S string | []byte](dst []byte, s S) []byte {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\'' && c != '&' && c != '<' && c != '>' {
			i++
			continue
		}
		var esc string
		width := 1
		switch c {
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\t':
			esc = "&#x9;"
		case '\n':
			esc = "&#xA;"
		case '\r':
			esc = "&#xD;"
		default:
			var r rune
			if c < utf8.RuneSelf {
				r = rune(c)
			} else {
				r, width = decodeRune(s[i:])
			}
			if inCharRange(r) && !(r == utf8.RuneError && width == 1) {
				i += width
				continue
			}
			esc = "\uFFFD"
		}
		dst = append(dst, s[last:i]...)
		dst = append(dst, esc...)
		i += width
		last = i
	}
	return append(dst, s[last:]...)
}

// AppendEscapedString is appendEscaped for the runtime's own writers
// (profile headers, WS-Security, fault details), so that one function
// escapes everything the runtime writes.
func AppendEscapedString(dst []byte, s string) []byte { return appendEscaped(dst, s) }

func decodeRune[S string | []byte](s S) (rune, int) {
	switch s := any(s).(type) {
	case string:
		return utf8.DecodeRuneInString(s)
	case []byte:
		return utf8.DecodeRune(s)
	}
	return utf8.RuneError, 1
}

// inCharRange is XML 1.0's Char production, as encoding/xml checks it.
func inCharRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
