package runtime

import (
	"bytes"
	"fmt"
)

// Limits on the shape of a response, checked on the raw bytes before
// encoding/xml reads them (shapeReader keeps the check a step ahead of
// it; the body xmldec decodes, xmldec bounds itself). encoding/xml allocates per token (about 250 bytes
// a nesting level, kept until the level closes, and about 270 bytes an
// attribute, all kept until the element's token is dropped), so a few MiB
// of "<a><a><a>…" or of one element with a million attributes make it hold
// hundreds of MiB at once, far beyond the response size limit. No SOAP
// message a vendor sends comes near these limits; a hostile or broken one
// is refused with a clear error after one pass over its bytes that
// allocates nothing.
const (
	// maxXMLDepth bounds element nesting (encoding/xml's own Unmarshal
	// limit is 10,000, and Decoder.Token and Skip have none).
	maxXMLDepth = 1000
	// maxXMLAttrs bounds the attributes (namespace declarations included)
	// of one element.
	maxXMLAttrs = 1000
)

// checkXMLShape refuses a document type declaration and nesting or
// attribute counts beyond the limits. A document it cannot follow
// (unterminated markup) is left to encoding/xml, which reports the syntax
// error; the scan only ever refuses what is over a limit or forbidden.
//
// SOAP forbids a document type declaration (SOAP 1.1 section 3, SOAP 1.2
// part 1 section 5): refusing every "<!" other than a comment or CDATA
// section removes internal entities (billion laughs), external entities
// and parameter entities in one rule, instead of relying on encoding/xml
// (which ignores declarations and fails on the first use of an entity it
// does not know) to keep doing so.
func checkXMLShape(data []byte) error {
	s := shapeScan{data: data}
	return s.scanTo(len(data))
}

// shapeScan is checkXMLShape done in steps: the bytes before i are
// checked, depth elements are open there, and done is set once the rest
// needs no checking (no markup left, or markup it cannot follow).
type shapeScan struct {
	data  []byte
	i     int
	depth int
	done  bool
}

// scanTo checks the markup that starts before to, each construct whole:
// on a nil return i is at least to, or done is set.
func (s *shapeScan) scanTo(to int) error {
	data := s.data
	for !s.done && s.i < to {
		i := s.i
		j := bytes.IndexByte(data[i:], '<')
		if j < 0 {
			s.done = true
			return nil
		}
		i += j + 1
		rest := data[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("!--")):
			k := bytes.Index(rest[3:], []byte("-->"))
			if k < 0 {
				s.done = true
				return nil
			}
			i += 3 + k + 3
		case bytes.HasPrefix(rest, []byte("![CDATA[")):
			k := bytes.Index(rest, []byte("]]>"))
			if k < 0 {
				s.done = true
				return nil
			}
			i += k + 3
		case bytes.HasPrefix(rest, []byte("!")):
			return fmt.Errorf("it carries a document type declaration or markup declaration (%s), which SOAP forbids", declName(rest))
		case bytes.HasPrefix(rest, []byte("?")):
			k := bytes.Index(rest, []byte("?>"))
			if k < 0 {
				s.done = true
				return nil
			}
			i += k + 2
		case bytes.HasPrefix(rest, []byte("/")):
			s.depth--
			k := bytes.IndexByte(rest, '>')
			if k < 0 {
				s.done = true
				return nil
			}
			i += k + 1
		default:
			n, attrs, empty, ok := scanStartTag(rest)
			if !ok {
				s.done = true
				return nil
			}
			if attrs > maxXMLAttrs {
				return fmt.Errorf("an element has more than %d attributes", maxXMLAttrs)
			}
			if !empty {
				s.depth++
				if s.depth > maxXMLDepth {
					return fmt.Errorf("elements nest deeper than %d levels", maxXMLDepth)
				}
			}
			i += n
		}
		s.i = i
	}
	return nil
}

// scanStartTag reads a start tag after its '<': its length through '>',
// its attribute count (the '=' signs outside quoted values) and whether it
// is empty ("/>"). ok is false when the tag never ends.
func scanStartTag(b []byte) (n, attrs int, empty, ok bool) {
	var quote byte
	for k, c := range b {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '=':
			attrs++
		case c == '>':
			return k + 1, attrs, k > 0 && b[k-1] == '/', true
		}
	}
	return 0, 0, false, false
}

// declName names a "<!" declaration for the error, from its first word:
// "<!DOCTYPE", "<!ENTITY". It is markup, never a value.
func declName(rest []byte) string {
	end := 1
	for end < len(rest) && end < 16 && (rest[end] >= 'A' && rest[end] <= 'Z' || rest[end] >= 'a' && rest[end] <= 'z' || rest[end] == '[') {
		end++
	}
	return "<" + string(rest[:end])
}
