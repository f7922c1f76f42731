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
		line := ""
		for _, w := range strings.Fields(l) {
			switch {
			case line == "":
				line = w
			case len(line)+1+len(w) <= docWidth:
				line += " " + w
			default:
				out = append(out, line)
				line = w
			}
		}
		out = append(out, line)
	}
	return out
}
