package generator

import (
	doccomment "go/doc/comment"
	"strings"
	"unicode"
)

// formatDoc is go/printer's formatDocComment for // lines: the text
// reformatted by go/doc/comment, each line's trailing space trimmed.
// Directives (//go:build and the like) are declined: gofmt moves some.
func formatDoc(list []string) ([]string, bool) {
	lines := make([]string, len(list))
	for i, c := range list {
		after, _ := strings.CutPrefix(c, "//")
		if isDirective(after) || strings.Contains(after, "+build") {
			return nil, false
		}
		lines[i] = strings.TrimPrefix(after, " ")
	}
	if plainDoc(lines) {
		out := make([]string, len(lines))
		for i, l := range lines {
			if l == "" {
				out[i] = "//"
			} else {
				out[i] = strings.TrimRightFunc("// "+l, unicode.IsSpace)
			}
		}
		return out, true
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l)
		b.WriteString("\n")
	}
	text := b.String()
	if strings.TrimSpace(text) == "" {
		return nil, false
	}
	var p doccomment.Parser
	var pr doccomment.Printer
	text = string(pr.Comment(p.Parse(text)))
	out := make([]string, 0, len(list))
	for text != "" {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		switch {
		case line == "":
			line = "//"
		case strings.HasPrefix(line, "\t"):
			line = "//" + line
		default:
			line = "// " + line
		}
		out = append(out, strings.TrimRightFunc(line, unicode.IsSpace))
	}
	return out, true
}

// plainDoc reports whether go/doc/comment prints the doc comment lines
// as they are: paragraphs of unindented text one blank line apart, with
// nothing it reads as a heading, list, code block, link definition or
// quotes to curl. Parsing and printing a comment costs more than the rest
// of quickFormat, and the documentation of a large WSDL is mostly such
// text.
func plainDoc(lines []string) bool {
	n := len(lines)
	if n == 0 || lines[0] == "" || lines[n-1] == "" {
		return false
	}
	for i, l := range lines {
		if l == "" {
			if lines[i-1] == "" {
				return false
			}
			continue
		}
		switch c := l[0]; {
		case c == ' ' || c == '\t' || c == '#' || c == '[' || c == '*' || c == '+' || c == '-' || '0' <= c && c <= '9':
			return false // indented, heading, link definition, list
		case strings.HasPrefix(l, "•"), strings.Contains(l, "``"), strings.Contains(l, "''"):
			return false
		case strings.TrimSpace(l) == "":
			return false
		}
		// A one-line paragraph between two others may be an old-style
		// heading.
		if i > 0 && lines[i-1] == "" && i+1 < n && lines[i+1] == "" {
			return false
		}
	}
	return true
}

// isDirective is go/printer's: a //line, //extern, //export or
// //word:word comment.
func isDirective(c string) bool {
	if strings.HasPrefix(c, "line ") || strings.HasPrefix(c, "extern ") || strings.HasPrefix(c, "export ") {
		return true
	}
	colon := strings.Index(c, ":")
	if colon <= 0 || colon+1 >= len(c) {
		return false
	}
	for i := 0; i <= colon+1; i++ {
		if i == colon {
			continue
		}
		b := c[i]
		if !('a' <= b && b <= 'z' || '0' <= b && b <= '9') {
			return false
		}
	}
	return true
}
