package generator

import (
	"bytes"
	"go/format"
	"strconv"
)

// renderQuick renders a chunk with jennifer writing every jennifer
// unit, unformatted, a marker comment after each unit; quickFormat then
// prints each unit's text as gofmt would, and go/format prints the
// units it declines (runs of them at a time), so go/format parses and
// prints only what quickFormat does not know. ok is false when the
// output is not as expected (a marker lost), and the caller then
// formats the chunk whole.
func renderQuick(head fileHead, units []unit) (chunk, bool) {
	f := newFile(head)
	f.NoFormat = true
	for i, u := range units {
		u(f)
		f.Comment(unitMarker + strconv.Itoa(i))
	}
	var buf bytes.Buffer
	buf.Grow(4096 + 512*len(units))
	if err := f.Render(&buf); err != nil {
		return chunk{}, false
	}
	src := buf.Bytes()
	// jennifer writes the header, the package clause and a blank line,
	// the imports and a blank line, then the units: what precedes the
	// first unit is formatted as it is.
	pkg := []byte("\npackage " + head.pkg + "\n\n")
	bodyAt := bytes.Index(src, pkg)
	if bodyAt < 0 {
		return chunk{}, false
	}
	bodyAt += len(pkg)
	if rest := src[bodyAt:]; bytes.HasPrefix(rest, []byte("import (\n")) {
		end := bytes.Index(rest, []byte("\n)\n\n"))
		if end < 0 {
			return chunk{}, false
		}
		bodyAt += end + len("\n)\n\n")
	} else if bytes.HasPrefix(rest, []byte("import ")) {
		end := bytes.Index(rest, []byte("\n\n"))
		if end < 0 {
			return chunk{}, false
		}
		bodyAt += end + len("\n\n")
	}
	headSrc, err := format.Source(src[:bodyAt])
	if err != nil {
		return chunk{}, false
	}
	out := bytes.NewBuffer(make([]byte, 0, len(src)+len(src)/4))
	out.Write(headSrc)
	var slow []byte // a run of declined units' text, formatted together
	lastAt := -1    // where the last piece written starts
	// sep writes the line break before a piece that starts at out's end
	// once the piece is written: a blank line unless gofmt puts the two
	// declarations on consecutive lines, then the piece moves up one.
	sep := func(at int) {
		b := out.Bytes()
		if lastAt >= 0 && !blankBetween(b[lastAt:at-1], b[at:]) {
			copy(b[at-1:], b[at:])
			out.Truncate(out.Len() - 1)
			at--
		}
		lastAt = at
	}
	put := func(piece []byte) {
		out.WriteByte('\n')
		at := out.Len()
		out.Write(piece)
		sep(at)
	}
	flush := func() bool {
		if len(bytes.TrimSpace(slow)) == 0 {
			slow = slow[:0]
			return true
		}
		formatted, err := format.Source(append([]byte("package p\n\n"), slow...))
		if err != nil || !bytes.HasPrefix(formatted, []byte("package p\n\n")) {
			return false
		}
		put(formatted[len("package p\n\n"):])
		slow = slow[:0]
		return true
	}
	// One copy of the text for every unit's tokens to point into.
	str := string(src)
	var toks []qtok
	pos := bodyAt
	for i := range units {
		start := pos
		// The last marker ends the file: no line break after it.
		m := []byte("// " + unitMarker + strconv.Itoa(i))
		end := bytes.Index(src[pos:], m)
		if end < 0 {
			return chunk{}, false
		}
		text := src[pos : pos+end]
		pos += end + len(m)
		if pos < len(src) {
			if src[pos] != '\n' {
				return chunk{}, false
			}
			pos++
		}
		if !flush() {
			return chunk{}, false
		}
		out.WriteByte('\n')
		at := out.Len()
		if quickFormat(out, str[start:start+len(text)], &toks) {
			sep(at)
			continue
		}
		out.Truncate(at - 1)
		slow = append(slow, text...)
	}
	if !flush() || len(bytes.TrimSpace(src[pos:])) > 0 || lastAt < 0 {
		return chunk{}, false
	}
	return chunk{src: out.Bytes()}, true
}

// blankBetween reports whether gofmt leaves a blank line between two
// pieces of top-level declarations, each in gofmt's form: when the
// second starts with a doc comment or with another keyword than the
// last declaration of the first (go/printer's declList).
func blankBetween(a, b []byte) bool {
	if bytes.HasPrefix(b, []byte("//")) {
		return true
	}
	return lastKeyword(a) != firstWord(b)
}

// lastKeyword is the keyword of the last top-level declaration in src:
// the last line at column 1 that starts with one.
func lastKeyword(src []byte) string {
	for end := len(src); end > 0; {
		start := bytes.LastIndexByte(src[:end-1], '\n') + 1
		if w := firstWord(src[start:end]); w != "" {
			return w
		}
		end = start
	}
	return ""
}

// firstWord is the declaration keyword line starts with, or "".
func firstWord(line []byte) string {
	for _, kw := range []string{"type", "func", "var", "const"} {
		if bytes.HasPrefix(line, []byte(kw)) && len(line) > len(kw) && (line[len(kw)] == ' ' || line[len(kw)] == '(') {
			return kw
		}
	}
	return ""
}
