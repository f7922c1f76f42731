package profile

import (
	"fmt"
	"sort"
	"strings"
)

// Pos is a position in a profile file (1-based; 0 when unknown).
type Pos struct {
	Line, Column int
}

// Error is one problem with a profile: where it is, which key, what is wrong
// and how to fix it.
type Error struct {
	File string
	Pos  Pos
	// Key is the key path, like "login.operation.name" or "send[1].cookie";
	// "" for the file as a whole.
	Key string
	// Msg says what is wrong and what to do.
	Msg string
}

// Error formats the problem as "file:line: key: message", the shape
// compilers use, so editors can jump to it.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Pos.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Pos.Line)
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// maxErrors bounds how many problems one Errors reports, so a badly broken
// file gives a readable message.
const maxErrors = 10

// Errors is every problem found in one profile, in file order. Parse
// returns it (as error) when there is at least one.
type Errors []*Error

// Error lists the problems, one per line.
func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i == maxErrors {
			fmt.Fprintf(&b, "\n%s: and %d more problems", e.File, len(es)-maxErrors)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// sorted returns es ordered by position, then key, without duplicates, or
// nil when empty (so a nil error stays nil).
func (es Errors) sorted() error {
	return es.sortedIn("")
}

// sortedIn is sorted for a profile that extends others: the problems in
// primary, the file given to Parse, come first, then those of its bases
// by file name.
func (es Errors) sortedIn(primary string) error {
	if len(es) == 0 {
		return nil
	}
	es.Sort(primary)
	out := es[:1]
	for _, e := range es[1:] {
		if last := out[len(out)-1]; last.Error() != e.Error() {
			out = append(out, e)
		}
	}
	return out
}

// Sort orders es by file (primary first), position and key.
func (es Errors) Sort(primary string) {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.File != b.File {
			if a.File == primary || b.File == primary {
				return a.File == primary
			}
			return a.File < b.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Column != b.Pos.Column {
			return a.Pos.Column < b.Pos.Column
		}
		return a.Key < b.Key
	})
}

// Pos returns where key (a key path like "login.operation.name" or
// "tokens[0]"; "" for the top-level mapping) appears in the profile. For a
// key that is not in the profile it returns where an extending file removed
// it (key: null), else the position of its nearest enclosing key, so a
// message about a missing key points at the block that lacks it. Where
// names the file too.
func (p *Profile) Pos(key string) Pos {
	pos, _ := p.where(key)
	return pos
}

// Where returns the file and position of key, as Pos does; the file is
// File unless the key was set by a profile File extends.
func (p *Profile) Where(key string) (file string, pos Pos) {
	pos, file = p.where(key)
	return file, pos
}

func (p *Profile) where(key string) (Pos, string) {
	for {
		if pos, ok := p.positions[key]; ok {
			return pos, p.fileOfKey(key)
		}
		if pos, ok := p.removed[key]; ok {
			return pos, p.removedIn[key]
		}
		if key == "" {
			return Pos{}, p.File
		}
		key = parentKey(key)
	}
}

func (p *Profile) fileOfKey(key string) string {
	if f, ok := p.files[key]; ok {
		return f
	}
	return p.File
}

// parentKey strips the last ".name" or "[i]" from a key path.
func parentKey(key string) string {
	i := strings.LastIndexAny(key, ".[")
	if i < 0 {
		return ""
	}
	return key[:i]
}

// Errorf returns an Error at key's position in the profile's file. The
// binder uses it for problems found against the WSDL:
//
//	p.Errorf("login.operation.name", "no operation %q in service %s; did you mean %q?", ...)
func (p *Profile) Errorf(key, format string, args ...any) *Error {
	pos, file := p.where(key)
	return &Error{File: file, Pos: pos, Key: key, Msg: fmt.Sprintf(format, args...)}
}
