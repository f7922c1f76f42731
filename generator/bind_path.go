package generator

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/wsdlsess/wsdlsess/generator/profile"
)

// A profile names request and response fields by XML paths
// ("result/sessionId", "_this/@type"). The binder resolves each path to the
// chain of generated struct fields it crosses, so the emitter can write
// plain Go field accesses (with nil checks) instead of reflection.

// pathStep is one field a path crosses.
type pathStep struct {
	field *goField
	// index: the field is repeated and the path takes its first element
	// (invalidate.error-code through errors/statusCode).
	index bool
	// via is set when the previous field holds a polymorphic value (a
	// kPoly holder: Salesforce's Error has DuplicateError derived from
	// it): this field is the base type's, read through the holder's
	// accessor whatever concrete type arrived (see polyAccessor).
	via *goType
}

// boundPath is a profile path resolved against the generated types.
type boundPath struct {
	steps []pathStep
	// leaf is the Go type of the value the path ends on.
	leaf ref
}

// leafKind classifies what a path may end on.
type leafKind int

const (
	leafString         leafKind = iota // a type the model maps to a Go string
	leafInt                            // a Go integer (seconds)
	leafBool                           // xsd:boolean
	leafRepeatedString                 // a repeated string element (invalidate.ids)
	leafRepeatedStruct                 // a repeated complex element (invalidate.results)
)

func (k leafKind) String() string {
	switch k {
	case leafInt:
		return "an integer type (xsd:int, long, short…)"
	case leafBool:
		return "xsd:boolean"
	case leafRepeatedString:
		return "a repeated (maxOccurs > 1) string element"
	case leafRepeatedStruct:
		return "a repeated (maxOccurs > 1) complex element"
	}
	return "a string type (xsd:string or a restriction of it, anyURI, ID, token, an enumeration)"
}

// pathRoot is where a path starts: a struct and how to describe it.
type pathRoot struct {
	t    *goType
	desc string // "type login (input of operation login)"
}

// resolvePath walks path from root. allowIndex permits crossing a repeated
// element by its first item (only for paths inside one invalidate result).
//
// read permits crossing a polymorphic element (its base type's fields are
// read whatever concrete type arrives); a request path may not, since it
// would have to pick a concrete type to write.
//
// A path with alternatives ("sessionIds | ArrayList") takes the first
// that resolves; when none does, the error is the first one's, naming
// the others.
func resolvePath(p *profile.Profile, key string, root pathRoot, path profile.Path, want leafKind, allowIndex, read bool) (*boundPath, *profile.Error) {
	alts := path.Alternatives()
	var first *profile.Error
	for _, alt := range alts {
		bp, err := resolveOne(p, key, root, alt, want, allowIndex, read)
		if err == nil {
			return bp, nil
		}
		if first == nil {
			first = err
		}
	}
	if len(alts) > 1 {
		var rest []string
		for _, alt := range alts[1:] {
			rest = append(rest, strconv.Quote(alt.String()))
		}
		if len(rest) == 1 {
			first.Msg += fmt.Sprintf(" (the alternative %s does not fit either)", rest[0])
		} else {
			first.Msg += fmt.Sprintf(" (the alternatives %s do not fit either)", strings.Join(rest, ", "))
		}
	}
	return nil, first
}

func resolveOne(p *profile.Profile, key string, root pathRoot, path profile.Path, want leafKind, allowIndex, read bool) (*boundPath, *profile.Error) {
	if root.t == nil {
		return nil, p.Errorf(key, "%s has no body to hold %q", root.desc, path.String())
	}
	bp := &boundPath{}
	t, desc := root.t, root.desc
	var via *goType
	for i, seg := range path {
		last := i == len(path)-1
		attr := strings.HasPrefix(seg, "@")
		name := strings.TrimPrefix(seg, "@")
		var f *goField
		var elems, attrs []string
		for _, c := range fieldsOf(t) {
			local, isAttr, _ := fieldXML(c)
			if local == "" {
				continue
			}
			if isAttr {
				attrs = append(attrs, "@"+local)
			} else {
				elems = append(elems, local)
			}
			if local == name && isAttr == attr && f == nil {
				f = c
			}
		}
		if f == nil {
			what := "element"
			if attr {
				what = "attribute"
			}
			return nil, p.Errorf(key, "no %s %q in %s; %s", what, name, desc, offer(seg, append(elems, attrs...)))
		}
		step := pathStep{field: f, via: via}
		via = nil
		if f.typ.slice {
			switch {
			case last && (want == leafRepeatedString || want == leafRepeatedStruct):
			case !last && allowIndex:
				step.index = true
			default:
				return nil, p.Errorf(key, "element %q of %s is repeated (maxOccurs > 1); a path may not end on or cross a list here", name, desc)
			}
		} else if last && (want == leafRepeatedString || want == leafRepeatedStruct) {
			return nil, p.Errorf(key, "element %q of %s is not repeated; %s must end on %s", name, desc, key, want)
		}
		bp.steps = append(bp.steps, step)
		if last {
			break
		}
		next := f.typ.t
		if next != nil && next.kind == kPoly {
			if !read {
				return nil, p.Errorf(key, "%q in %s may hold %s or a type derived from it (xsi:type), so a request path cannot go on through it to %q: the generated code would have to pick the concrete type (fix: leave this field out of the profile)", name, desc, xsdName(next.base), strings.Join(path[i+1:], "/"))
			}
			via, next = next, next.base
		}
		if next == nil || next.kind != kStruct {
			return nil, p.Errorf(key, "%q in %s has no child elements (its Go type is %s), so the path cannot go on to %q", name, desc, typeDesc(f.typ), strings.Join(path[i+1:], "/"))
		}
		t, desc = next, fmt.Sprintf("type %s (element %s)", xsdName(next), name)
	}
	last := bp.steps[len(bp.steps)-1].field
	leaf := last.typ
	// A simple-content struct (vSphere ManagedObjectReference) stands for
	// its text value.
	if leaf.t != nil && leaf.t.kind == kStruct && want != leafRepeatedStruct {
		for _, c := range fieldsOf(leaf.t) {
			if _, _, text := fieldXML(c); text {
				bp.steps = append(bp.steps, pathStep{field: c})
				leaf = c.typ
				break
			}
		}
	}
	bp.leaf = leaf
	if !leafFits(leaf, want) {
		return nil, p.Errorf(key, "%q ends on Go type %s; it must end on %s", path.String(), typeDesc(leaf), want)
	}
	return bp, nil
}

// leafFits reports whether r can hold what the key needs.
func leafFits(r ref, want leafKind) bool {
	switch want {
	case leafRepeatedStruct:
		return r.slice && r.t != nil && r.t.kind == kStruct
	case leafRepeatedString:
		return r.slice && goKind(r) == "string"
	case leafInt:
		k := goKind(r)
		return !r.slice && (strings.HasPrefix(k, "int") || strings.HasPrefix(k, "uint"))
	case leafBool:
		return !r.slice && goKind(r) == "bool"
	}
	return !r.slice && goKind(r) == "string"
}

// goKind is the predeclared Go type under r ("string", "int32", "bool"), or
// "" for structs, holders and runtime types.
func goKind(r ref) string {
	for i := 0; i < 16; i++ {
		switch {
		case r.t != nil && (r.t.kind == kSimple || r.t.kind == kAlias):
			r = ref{b: r.t.under.b, t: r.t.under.t}
		case r.t != nil:
			return ""
		case r.b != nil && !r.b.rt && !strings.Contains(r.b.ident, "["):
			return r.b.ident
		default:
			return ""
		}
	}
	return ""
}

// enumValues lists the enumeration of r's simple type, nil when it has
// none.
func enumValues(r ref) []string {
	if r.t == nil {
		return nil
	}
	var out []string
	for _, e := range r.t.enums {
		out = append(out, e.value)
	}
	return out
}

// typeDesc names a Go type for messages before final names exist.
func typeDesc(r ref) string {
	s := ""
	if r.slice {
		s = "[]"
	}
	switch {
	case r.t != nil:
		return s + xsdName(r.t)
	case r.b != nil:
		return s + r.b.ident
	}
	return s + "?"
}

// xsdName is the XSD name a type comes from (its candidate Go name for an
// anonymous one).
func xsdName(t *goType) string {
	if t.qname.Local != "" {
		return t.qname.Local
	}
	return t.cand
}

// offer lists the candidates for a hint: "did you mean X?" when one is
// close, else what there is.
func offer(got string, cands []string) string {
	sorted := append([]string(nil), cands...)
	sort.Strings(sorted)
	hint := ""
	if s, ok := profile.DidYouMean(got, sorted); ok {
		hint = fmt.Sprintf("; did you mean %q?", s)
	}
	const most = 12
	switch {
	case len(sorted) == 0:
		return "it has none"
	case len(sorted) > most:
		return "it has " + strings.Join(sorted[:most], ", ") + fmt.Sprintf(" and %d more", len(sorted)-most) + hint
	}
	return "it has " + strings.Join(sorted, ", ") + hint
}

// polyAccessor is the unexported method of holder h that reads base
// field f from whichever concrete type the holder has.
type polyAccessor struct {
	holder *goType
	field  *goField
}

func (a polyAccessor) name(n *names) string { return "field" + n.field(a.field) }

// polyAccessors lists the accessors the read paths use, once each.
func polyAccessors(paths ...*boundPath) []polyAccessor {
	var out []polyAccessor
	seen := map[polyAccessor]bool{}
	for _, bp := range paths {
		if bp == nil {
			continue
		}
		for _, st := range bp.steps {
			if a := (polyAccessor{st.via, st.field}); st.via != nil && !seen[a] {
				seen[a] = true
				out = append(out, a)
			}
		}
	}
	return out
}
