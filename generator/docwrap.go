package generator

import "strings"

// docWidth is where doc comment text wraps, as people wrap Go comments
// by hand: "// " plus 77 characters stays within 80 columns.
const docWidth = 77

// docLines splits doc text into comment lines, wrapping prose lines
// longer than docWidth at spaces. Lines that start with white space
// (preformatted text, indented lists) are kept as they are, and a word
// longer than the width (a URL) stands on a line of its own.
func docLines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if len(l) <= docWidth || strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
			out = append(out, l)
			continue
		}
		// A builder per output line: adding to a string copied the line
		// once per word, a tenth of generating a documented WSDL.
		var line strings.Builder
		line.Grow(docWidth)
		for w := range strings.FieldsSeq(l) {
			switch {
			case line.Len() == 0:
			case line.Len()+1+len(w) <= docWidth:
				line.WriteByte(' ')
			default:
				out = append(out, line.String())
				line = strings.Builder{}
				line.Grow(docWidth)
			}
			line.WriteString(w)
		}
		out = append(out, line.String())
	}
	return out
}
