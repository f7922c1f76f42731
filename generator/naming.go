package generator

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// assignNames decides every Go name once, in a fixed order: clients,
// global types, element types, anonymous types, wrappers, polymorphic
// holders, interfaces, enum constants; then fields and methods per scope.
// It reads the model and writes only the names it returns.
func assignNames(m *model) *names {
	n := &names{
		types: map[*goType]string{}, ifaces: map[*goType]string{}, enums: map[*enumConst]string{},
		fields: map[*goField]string{}, opVars: map[*operation]string{}, ports: map[*port]portNames{},
		faultSetOf: map[*operation]*faultSet{}, derivedVars: map[*goType]string{},
	}
	pkg := nameSet{}
	vars := nameSet{invokeHelper: true}
	for _, pt := range m.ports {
		var pn portNames
		if m.single {
			pn.client = pkg.take("Client")
			pn.ctor = pkg.take("NewClient")
		} else {
			base := goName(pt.name)
			pn.client = pkg.take(base+"Client", goName(pt.service)+base+"Client")
			pn.ctor = pkg.take("New" + pn.client)
		}
		if pt.unbound {
			pn.goVar = vars.take("binding" + goName(pt.name))
		} else {
			// Siebel names a service and its port alike: say it once.
			name := goName(pt.service)
			if p := goName(pt.name); p != name {
				name += p
			}
			pn.goVar = vars.take("service" + name)
		}
		n.ports[pt] = pn
	}
	for _, b := range m.bindings {
		for _, op := range b.ops {
			n.opVars[op] = vars.take("op" + goName(b.qname.Local) + goName(op.name))
		}
	}
	// A copy: the model's list stays in the planner's order.
	order := slices.Clone(m.types)
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if a.prio != b.prio {
			return a.prio < b.prio
		}
		if ap, bp := a.qname.Space != m.tns, b.qname.Space != m.tns; ap != bp {
			return bp
		}
		if a.key != b.key {
			return a.key < b.key
		}
		return a.cand < b.cand
	})
	suffix := []string{"", "Element", "Type", "Wrapper", "Value"}
	for _, t := range order {
		tag := nsTag(t.qname.Space)
		cands := []string{t.cand}
		if s := suffix[t.prio]; s != "" {
			cands = append(cands, t.cand+s)
		}
		cands = append(cands, t.cand+tag, t.cand+tag+suffix[t.prio])
		n.types[t] = pkg.take(cands...)
	}
	for _, t := range order {
		if t.kind == kPoly {
			base := n.typ(t.base)
			n.ifaces[t] = pkg.take(base+"Kind", base+"Concrete")
		}
	}
	for _, t := range order {
		for _, e := range t.enums {
			v := goName(e.value)
			if strings.TrimSpace(e.value) == "" {
				v = "Empty"
			}
			n.enums[e] = pkg.take(n.typ(t)+v, n.typ(t)+"Value"+v)
		}
	}
	for _, t := range order {
		if t.kind != kStruct && t.kind != kChoice || t.copyOf != nil {
			continue
		}
		fs := nameSet{"XMLName": true}
		for _, f := range t.fields {
			alt := f.cand + "Elem"
			if f.isAttr() {
				alt = f.cand + "Attr"
			}
			n.fields[f] = fs.take(f.cand, alt)
		}
	}
	n.headerOpts = headerOptions(m, n, pkg)
	n.sessions = nameSessions(m, vars)
	for _, pt := range m.ports {
		ms := nameSet{"Exchange": true, "Close": true}
		if s := m.sessionOf[pt]; s != nil && s.invalidate != nil {
			ms["InvalidateSessions"] = true
		}
		pn := n.ports[pt]
		pn.methods = map[*operation]string{}
		for _, op := range pt.binding.ops {
			if m.isDriven(op) {
				continue
			}
			pn.methods[op] = ms.take(goName(op.name), goName(op.name)+"Operation")
		}
		n.ports[pt] = pn
	}
	// Type names are unique, so this order is total.
	sort.Slice(order, func(i, j int) bool { return n.typ(order[i]) < n.typ(order[j]) })
	n.order = order
	nameFaultSets(m, n, vars)
	return n
}

// nameFaultSets gathers the distinct lists of declared faults and names
// each after what uses it: its one fault, or the first operation that
// declares it (the doc comment lists the others). Named after every fault
// it holds, a list of Salesforce's had a 161-character name.
// It runs after the type names, which the lists' doc comments use.
func nameFaultSets(m *model, n *names, vars nameSet) {
	sets := map[string]*faultSet{}
	for _, b := range m.bindings {
		for _, op := range b.ops {
			if len(op.faults) == 0 {
				continue
			}
			var key strings.Builder
			for _, ft := range op.faults {
				key.WriteString(n.typ(ft))
				key.WriteByte(' ')
			}
			fs, ok := sets[key.String()]
			if !ok {
				name := "faults" + goName(op.name)
				if len(op.faults) == 1 {
					name = "faults" + n.typ(op.faults[0])
				}
				fs = &faultSet{name: vars.take(name), declared: op.faults}
				sets[key.String()] = fs
				n.faultSets = append(n.faultSets, fs)
				// Named after the declared fault only: the derived ones
				// follow from it, and vSphere has hundreds.
				for _, ft := range op.faults {
					if len(m.derived.of[ft]) > 0 && n.derivedVars[ft] == "" {
						n.derivedVars[ft] = vars.take("derived" + n.typ(ft))
					}
				}
			}
			fs.users = append(fs.users, op.name)
			n.faultSetOf[op] = fs
		}
	}
}

// headerOpt is a typed per-call option for a declared SOAP header that the
// session does not own: With<T> sends one, Read<T> captures one from the
// response.
type headerOpt struct {
	t        *goType
	name     string
	response bool
}

// headerOptions names one option per declared header type and direction,
// in type-name order, skipping headers a session writes itself.
func headerOptions(m *model, n *names, pkg nameSet) []headerOpt {
	owned := map[*goType]bool{}
	for _, s := range m.sessions {
		for t := range s.owned {
			owned[t] = true
		}
	}
	type use struct{ req, resp bool }
	uses := map[*goType]*use{}
	var ts []*goType
	for _, b := range m.bindings {
		for _, op := range b.ops {
			if m.isDriven(op) {
				// The session engine sends it; the caller cannot add headers.
				continue
			}
			for dir, hs := range [][]*goType{op.headers, op.outHeaders} {
				for _, t := range hs {
					if t.xmlName == nil || dir == 0 && owned[t] {
						continue
					}
					u := uses[t]
					if u == nil {
						u = &use{}
						uses[t] = u
						ts = append(ts, t)
					}
					if dir == 0 {
						u.req = true
					} else {
						u.resp = true
					}
				}
			}
		}
	}
	sort.SliceStable(ts, func(i, j int) bool { return n.typ(ts[i]) < n.typ(ts[j]) })
	var out []headerOpt
	for _, t := range ts {
		name := n.typ(t)
		if uses[t].req {
			out = append(out, headerOpt{t: t, name: pkg.take("With"+name, "With"+name+"Header")})
		}
		if uses[t].resp {
			out = append(out, headerOpt{t: t, name: pkg.take("Read"+name, "Read"+name+"Header"), response: true})
		}
	}
	return out
}

// sessionNames are the Go names of one compiled session's declarations:
// its *runtime.Profile variable and, per role it drives an operation in,
// that operation's closures.
type sessionNames struct {
	profileVar string
	closures   [numRoles]closureNames
}

// closureNames names the closures of one operation a session drives:
// request builds its request, newResponse allocates its response, read
// reads it (loginResult, invalidateResults; logout reads nothing). emit
// is false when they are an earlier session's, reused.
type closureNames struct {
	request, newResponse, read string
	emit                       bool
}

// closureBases are the base names of each role's closures, in the order
// they are named: request, newResponse, read.
var closureBases = [numRoles][3]string{
	roleLogin:      {"loginRequest", "newLoginResponse", "loginResult"},
	roleLogout:     {"logoutRequest", "newLogoutResponse", ""},
	roleInvalidate: {"invalidateRequest", "newInvalidateResponse", "invalidateResults"},
}

// closureKey identifies what a session's closures for one role depend
// on: the request and response types of the operation they build or read.
type closureKey struct {
	role    sessionRole
	in, out *goType
}

func keyOf(r sessionRole, op *operation) closureKey {
	return closureKey{role: r, in: op.in, out: op.out}
}

// nameSessions names each session's profile variable and closures.
// Bindings of one portType (SOAP 1.1 and 1.2) share the request and
// response types, so they share the closures; a role whose closures
// differ between sessions gets the binding in every one of its names.
func nameSessions(m *model, vars nameSet) map[*session]sessionNames {
	var sharedSuffix [numRoles]bool
	for i, a := range m.sessions {
		for _, b := range m.sessions[:i] {
			for r := range numRoles {
				oa, ob := a.drives(r), b.drives(r)
				if oa != nil && ob != nil && keyOf(r, oa) != keyOf(r, ob) {
					sharedSuffix[r] = true
				}
			}
		}
	}
	closures := map[closureKey]closureNames{}
	out := map[*session]sessionNames{}
	for i, s := range m.sessions {
		suffix := ""
		if len(m.sessions) > 1 && s.binding != nil {
			suffix = goName(s.binding.qname.Local)
		} else if len(m.sessions) > 1 {
			suffix = fmt.Sprint(i + 1)
		}
		names := sessionNames{profileVar: vars.take("sessionProfile" + suffix)}
		for r := range numRoles {
			op := s.drives(r)
			if op == nil {
				continue
			}
			key := keyOf(r, op)
			if prev, ok := closures[key]; ok {
				prev.emit = false
				names.closures[r] = prev
				continue
			}
			take := func(base string) string {
				if base == "" {
					return ""
				}
				if len(m.sessions) > 1 && !sharedSuffix[r] {
					return vars.take(base)
				}
				return vars.take(base + suffix)
			}
			b := closureBases[r]
			cn := closureNames{request: take(b[0]), newResponse: take(b[1]), read: take(b[2]), emit: true}
			closures[key] = cn
			names.closures[r] = cn
		}
		out[s] = names
	}
	return out
}
