package xmldec

import (
	"strconv"
	"unicode/utf8"
)

// isNameStart and isNameByte accept the ASCII subset of XML names; a name
// with any other byte makes the decoder give the input back to
// encoding/xml, which knows the full Unicode tables.
func isNameStart(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_'
}

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

func isSpace(c byte) bool { return c == ' ' || c == '\r' || c == '\n' || c == '\t' }

// inCharRange is encoding/xml's isInCharacterRange: the XML Char production.
func inCharRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// validChars reports whether b is valid UTF-8 made only of XML characters.
func validChars(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 || !inCharRange(r) {
			return false
		}
		i += n
	}
	return true
}

// clean reports whether raw text reads as itself (no entity, no carriage
// return to normalise); ok is false when encoding/xml would refuse it.
// text is ordinary character data (where "]]>" is an error), as opposed
// to an attribute value or a CDATA section.
func clean(raw []byte, text bool) (isClean, ok bool) {
	isClean = true
	high := false
	for i, c := range raw {
		switch {
		case c >= utf8.RuneSelf:
			high = true
		case c == '&' || c == '\r':
			isClean = false
		case c < 0x20:
			if c != '\t' && c != '\n' {
				return false, false
			}
		case c == ']':
			if text && i+2 < len(raw) && raw[i+1] == ']' && raw[i+2] == '>' {
				return false, false
			}
		}
	}
	if high && isClean && !validChars(raw) {
		return false, false
	}
	return isClean, true
}

// decodeText appends the text of raw to dst as encoding/xml reads it:
// entities replaced (cdata: none), "\r\n" and "\r" made "\n", every
// character checked. ok is false where encoding/xml fails.
func decodeText(dst, raw []byte, text, cdata bool) ([]byte, bool) {
	if text && !cdata {
		if _, ok := clean(raw, true); !ok {
			return dst, false
		}
	}
	start := len(dst)
	var prev byte
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '&' && !cdata {
			r, n, ok := entity(raw[i:])
			if !ok {
				return dst, false
			}
			dst = utf8.AppendRune(dst, r)
			i += n - 1
			prev = 0
			continue
		}
		switch {
		case c == '\r':
			dst = append(dst, '\n')
		case prev == '\r' && c == '\n':
		default:
			dst = append(dst, c)
		}
		prev = c
	}
	if !validChars(dst[start:]) {
		return dst, false
	}
	return dst, true
}

// entity reads the reference at the start of b ("&…;"): the five
// predefined entities and character references, the only ones
// encoding/xml knows in strict mode.
func entity(b []byte) (r rune, n int, ok bool) {
	end := -1
	for i := 1; i < len(b) && i < 16; i++ {
		if b[i] == ';' {
			end = i
			break
		}
	}
	if end < 0 {
		return 0, 0, false
	}
	name := b[1:end]
	if len(name) > 0 && name[0] == '#' {
		digits, base := name[1:], 10
		if len(digits) > 0 && digits[0] == 'x' {
			digits, base = digits[1:], 16
		}
		for _, c := range digits {
			if !('0' <= c && c <= '9' || base == 16 && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F')) {
				return 0, 0, false
			}
		}
		v, err := strconv.ParseUint(string(digits), base, 64)
		if err != nil || v > utf8.MaxRune {
			return 0, 0, false
		}
		return rune(v), end + 1, true
	}
	switch string(name) {
	case "lt":
		return '<', end + 1, true
	case "gt":
		return '>', end + 1, true
	case "amp":
		return '&', end + 1, true
	case "apos":
		return '\'', end + 1, true
	case "quot":
		return '"', end + 1, true
	}
	return 0, 0, false
}
