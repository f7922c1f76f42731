package generator

import (
	"encoding/xml"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/wsdlsess/wsdlsess/generator/profile"
)

// declaredHeaders lists the header elements the binding declares (all
// bindings when the session serves every port), in a fixed order: request
// headers, or response headers when response is true.
func (bd *binder) declaredHeaders(response bool) []*goType {
	seen := map[*goType]bool{}
	var out []*goType
	for _, b := range bd.m.bindings {
		if bd.b != nil && b != bd.b {
			continue
		}
		for _, op := range b.ops {
			hs := op.headers
			if response {
				hs = op.outHeaders
			}
			for _, t := range hs {
				if t.xmlName != nil && !seen[t] {
					seen[t] = true
					out = append(out, t)
				}
			}
		}
	}
	return out
}

// header resolves one SOAP header element the profile names: its namespace
// (from the WSDL when the profile leaves it out), and its path when the
// WSDL declares the element. An element the WSDL does not declare (Siebel
// SessionToken, Oracle SessionKeepAlive) is the profile's own declaration.
func (bd *binder) header(h profile.HeaderRef, s *session) (xml.Name, bool) {
	if len(h.Path.Alternatives()) > 1 {
		// The runtime writes the header by this path, and an undeclared
		// header leaves nothing to choose an alternative by.
		bd.fail(bd.p.Errorf(h.Key+".path", "a header path takes one path, not alternatives (%s); give the one this WSDL uses", h.Path))
		return xml.Name{Space: h.Namespace, Local: h.Element}, false
	}
	declared := bd.declaredHeaders(h.Use.Response())
	dir := "request"
	if h.Use.Response() {
		dir = "response"
	}
	var same []*goType
	spaces := map[string]bool{}
	for _, t := range declared {
		if t.xmlName.Local == h.Element {
			same = append(same, t)
			spaces[t.xmlName.Space] = true
		}
	}
	var t *goType
	qn := xml.Name{Space: h.Namespace, Local: h.Element}
	if h.Namespace == "" {
		switch len(spaces) {
		case 0:
			hint := headerHint(h.Element, declared)
			if strings.HasPrefix(hint, "did you mean") {
				bd.fail(bd.p.Errorf(h.Key+".element", "the WSDL declares no %s header %s; %s (a header the WSDL does not declare needs its namespace)", dir, h.Element, hint))
				return qn, false
			}
			msg := fmt.Sprintf("the WSDL declares no %s header %s; give its namespace", dir, h.Element)
			if hint != "" {
				msg += " (" + hint + ")"
			}
			bd.fail(bd.p.Errorf(h.Key+".namespace", "%s", msg))
			return qn, false
		case 1:
			t = same[0]
			qn = *t.xmlName
		default:
			var ns []string
			for s := range spaces {
				ns = append(ns, s)
			}
			sort.Strings(ns)
			bd.fail(bd.p.Errorf(h.Key+".namespace", "the WSDL declares %s header %s in %d namespaces (%s); say which", dir, h.Element, len(ns), strings.Join(ns, ", ")))
			return qn, false
		}
	} else {
		for _, c := range declared {
			if *c.xmlName == qn {
				t = c
			}
		}
		if t == nil && len(same) > 0 {
			bd.fail(bd.p.Errorf(h.Key+".namespace", "the WSDL declares %s header %s in namespace %s, not %s; write that namespace, or leave namespace out to take the declared one", dir, h.Element, same[0].xmlName.Space, h.Namespace))
			return qn, false
		}
		if t == nil {
			var inNS []*goType
			for _, c := range declared {
				if c.xmlName.Space == h.Namespace {
					inNS = append(inNS, c)
				}
			}
			if hint := headerHint(h.Element, inNS); strings.HasPrefix(hint, "did you mean") {
				bd.fail(bd.p.Errorf(h.Key+".element", "the WSDL declares no %s header %s in namespace %s; %s", dir, h.Element, h.Namespace, hint))
				return qn, false
			}
			// A global element that is not a header part still gives the
			// path something to be checked against.
			t = bd.m.elements[qn]
		}
	}
	if t == nil {
		return qn, true
	}
	root := pathRoot{t: t, desc: fmt.Sprintf("header element %s", h.Element)}
	want := leafString
	if h.Use == profile.UseLifetime {
		want = leafInt // seconds, as login.operation.lifetime
	}
	var bp *boundPath
	if len(h.Path) > 0 {
		var err *profile.Error
		bp, err = resolvePath(bd.p, h.Key+".path", root, h.Path, want, false, false)
		if err != nil {
			bd.fail(err)
			return qn, false
		}
	} else if want == leafInt && !hasIntText(t) {
		bd.fail(bd.p.Errorf(h.Key+".element", "header element %s does not hold %s; give path to the child that holds the seconds", h.Element, leafInt))
		return qn, false
	} else if want == leafString && !hasStringText(t) {
		bd.fail(bd.p.Errorf(h.Key+".element", "header element %s has child elements (%s), not text; give path to the child that holds the value", h.Element, childList(t)))
		return qn, false
	}
	if bp != nil && qn.Space != "" {
		// The runtime writes path children in the header's namespace
		// (a default xmlns); an unqualified child would be misnamed.
		for _, st := range bp.steps {
			if st.field.isUnqualifiedElem() {
				bd.fail(bd.p.Errorf(h.Key+".path", "child %s of header %s is unqualified in the WSDL (elementFormDefault), but session header paths are written in the header's namespace; this is not supported yet: send the header with a typed call option instead", st.field.xmlName.Local, h.Element))
				return qn, false
			}
		}
	}
	if h.Use == profile.UseConstant && bp != nil {
		v := bd.constantValue(h.Key)
		if vs := enumValues(bp.leaf); len(vs) > 0 && !slices.Contains(vs, v) {
			bd.fail(bd.p.Errorf(h.Key+".value", "%q is not a value of enumeration %s; %s", v, xsdName(bp.leaf.t), offer(v, vs)))
		}
	}
	if !h.Use.Response() && slices.Contains(declared, t) {
		s.owned[t] = true
	}
	return qn, true
}

// constantValue is the value of the constant entry at key ("constant[1]").
func (bd *binder) constantValue(key string) string {
	for i, c := range bd.p.Constant {
		if fmt.Sprintf("constant[%d]", i) == key {
			return c.Value
		}
	}
	return ""
}

// headerHint suggests a declared header for a name the WSDL lacks.
func headerHint(name string, declared []*goType) string {
	var names []string
	for _, t := range declared {
		names = append(names, t.xmlName.Local)
	}
	sort.Strings(names)
	if s, ok := profile.DidYouMean(name, names); ok {
		return fmt.Sprintf("did you mean %q?", s)
	}
	if len(names) == 0 {
		return ""
	}
	return "it declares " + strings.Join(names, ", ")
}

// hasStringText reports whether an element's own text is a string value.
func hasStringText(t *goType) bool {
	for _, f := range fieldsOf(t) {
		if _, _, text := fieldXML(f); text {
			return goKind(f.typ) == "string"
		}
	}
	return false
}

// hasIntText reports whether an element's own text is an integer.
func hasIntText(t *goType) bool {
	for _, f := range fieldsOf(t) {
		if _, _, text := fieldXML(f); text {
			return leafFits(f.typ, leafInt)
		}
	}
	return false
}

func childList(t *goType) string {
	var names []string
	for _, f := range fieldsOf(t) {
		if local, attr, _ := fieldXML(f); local != "" && !attr {
			names = append(names, local)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
