package generator

import (
	"fmt"
	"strings"
)

// problem is a reference to something no loaded file defines (or a QName
// whose prefix is not declared) that the generator works around by leaving
// out what depends on it. Published WSDLs carry such mistakes in one
// operation out of thirty; refusing the other twenty-nine helps nobody.
// Options.Strict turns each one back into the error it names.
type problem struct {
	// what names the thing left out: "operation GetThing", "element size
	// of Thing", "port ThingPort".
	what string
	err  *Error
}

// warning is the text Options.Warn receives: the error's location and fix,
// with what was skipped in front of the reason.
func (pr problem) warning() string {
	w := *pr.err
	w.Msg = pr.what + " skipped: " + w.Msg
	return w.Error()
}

// note is the line the generated package's doc carries for the problem.
func (pr problem) note() string {
	where := pr.err.File
	if pr.err.Line > 0 {
		where += fmt.Sprintf(":%d", pr.err.Line)
	}
	s := pr.what + ": " + pr.err.Msg + " (" + where + ")"
	return strings.Join(strings.Fields(s), " ")
}

// skip reports e as the reason what is left out: a warning (once per
// distinct problem), or in strict mode the error e itself.
func (p *planner) skip(e *Error, what string) {
	if p.strict {
		p.fail(e)
		return
	}
	pr := problem{what: what, err: e}
	key := pr.warning()
	if p.problemSeen[key] {
		return
	}
	p.problemSeen[key] = true
	p.problems = append(p.problems, pr)
	p.warn(key)
}

// ownerName names the type a field belongs to in messages.
func ownerName(t *goType) string {
	if t == nil {
		return "?"
	}
	if t.qname.Local != "" {
		return t.qname.Local
	}
	return t.cand
}

// drop is skip for an operation, port or binding: a client loses it, and a
// WSDL that loses all of them has nothing usable left (see planModel).
func (p *planner) drop(e *Error, what string) {
	p.lost++
	p.skip(e, what)
}

// unadd removes t, the last type or one of the last added, from the
// package: what it was built for was skipped.
func (p *planner) unadd(t *goType) {
	for i := len(p.types) - 1; i >= 0; i-- {
		if p.types[i] == t {
			p.types = append(p.types[:i], p.types[i+1:]...)
			return
		}
	}
}

// usable fails a generation whose dangling references left nothing worth a
// package: every operation, port or binding that was there got skipped, or
// not one type remains. The error is the first problem's, as Strict gives.
func usable(p *planner, bindings []*binding) error {
	if len(p.problems) == 0 {
		return nil
	}
	for _, b := range bindings {
		if len(b.ops) > 0 {
			return nil
		}
	}
	if p.lost == 0 && len(p.types) > 0 {
		return nil
	}
	return p.problems[0].err
}
