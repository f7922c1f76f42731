package generator

import (
	"fmt"
	"strings"
)

// Error is a bad-input error: which file and line, which construct, what is
// wrong and how to fix it. The CLI prints it as one line and exits 1.
type Error struct {
	File      string
	Line      int
	Construct string
	Msg       string
	Fix       string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Construct != "" {
		b.WriteString(e.Construct)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Fix != "" {
		b.WriteString(" (fix: ")
		b.WriteString(e.Fix)
		b.WriteString(")")
	}
	return b.String()
}

// errAt builds an Error located at n.
func errAt(n *node, construct, fix, format string, args ...any) *Error {
	e := &Error{Construct: construct, Msg: fmt.Sprintf(format, args...), Fix: fix}
	if n != nil {
		e.Line = n.Line
		if n.file != nil {
			e.File = n.file.name
		}
	}
	return e
}
