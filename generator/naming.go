package generator

import (
	"fmt"
	"sort"
	"strings"
)

// assignNames decides every Go name once, in a fixed order: clients,
// global types, element types, anonymous types, wrappers, polymorphic
// holders, interfaces, enum constants; then fields and methods per scope.
func assignNames(m *model) {
	pkg := nameSet{}
	vars := nameSet{invokeHelper: true}
	for _, pt := range m.ports {
		if m.single {
			pt.goClient = pkg.take("Client")
			pt.goCtor = pkg.take("NewClient")
		} else {
			base := goName(pt.name)
			pt.goClient = pkg.take(base+"Client", goName(pt.service)+base+"Client")
			pt.goCtor = pkg.take("New" + pt.goClient)
		}
		if pt.unbound {
			pt.goVar = vars.take("binding" + goName(pt.name))
		} else {
			// Siebel names a service and its port alike: say it once.
			name := goName(pt.service)
			if p := goName(pt.name); p != name {
				name += p
			}
			pt.goVar = vars.take("service" + name)
		}
	}
	for _, b := range m.bindings {
		for _, op := range b.ops {
			op.goVar = vars.take("op" + goName(b.qname.Local) + goName(op.name))
		}
	}
	sort.SliceStable(m.types, func(i, j int) bool {
		a, b := m.types[i], m.types[j]
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
	for _, t := range m.types {
		tag := nsTag(t.qname.Space)
		cands := []string{t.cand}
		if s := suffix[t.prio]; s != "" {
			cands = append(cands, t.cand+s)
		}
		cands = append(cands, t.cand+tag, t.cand+tag+suffix[t.prio])
		t.name = pkg.take(cands...)
	}
	for _, t := range m.types {
		if t.kind == kPoly {
			t.iface = pkg.take(t.base.name+"Kind", t.base.name+"Concrete")
		}
	}
	for _, t := range m.types {
		for _, e := range t.enums {
			v := goName(e.value)
			if strings.TrimSpace(e.value) == "" {
				v = "Empty"
			}
			e.name = pkg.take(t.name+v, t.name+"Value"+v)
		}
	}
	for _, t := range m.types {
		if t.kind != kStruct && t.kind != kChoice || t.copyOf != nil {
			continue
		}
		fs := nameSet{"XMLName": true}
		for _, f := range t.fields {
			alt := f.cand + "Elem"
			if f.isAttr() {
				alt = f.cand + "Attr"
			}
			f.name = fs.take(f.cand, alt)
		}
	}
	m.headerOpts = headerOptions(m, pkg)
	m.sessionNames = nameSessions(m, vars)
	for _, pt := range m.ports {
		ms := nameSet{"Exchange": true, "Close": true}
		if s := m.sessionOf[pt]; s != nil && s.invalidate != nil {
			ms["InvalidateSessions"] = true
		}
		pt.methods = map[*operation]string{}
		for _, op := range pt.binding.ops {
			if m.isDriven(op) {
				continue
			}
			pt.methods[op] = ms.take(goName(op.name), goName(op.name)+"Operation")
		}
	}
	sort.SliceStable(m.types, func(i, j int) bool { return m.types[i].name < m.types[j].name })
	nameFaultSets(m, vars)
}

// nameFaultSets gathers the distinct lists of declared faults and names
// each after what uses it: its one fault, or the first operation that
// declares it (the doc comment lists the others). Named after every fault
// it holds, a list of Salesforce's had a 161-character name.
// It runs after the type names, which the lists' doc comments use.
func nameFaultSets(m *model, vars nameSet) {
	sets := map[string]*faultSet{}
	for _, b := range m.bindings {
		for _, op := range b.ops {
			if len(op.faults) == 0 {
				continue
			}
			var key strings.Builder
			for _, ft := range op.faults {
				key.WriteString(ft.name)
				key.WriteByte(' ')
			}
			fs, ok := sets[key.String()]
			if !ok {
				name := "faults" + goName(op.name)
				if len(op.faults) == 1 {
					name = "faults" + op.faults[0].name
				}
				fs = &faultSet{name: vars.take(name), declared: op.faults}
				sets[key.String()] = fs
				m.faultSets = append(m.faultSets, fs)
				// Named after the declared fault only: the derived ones
				// follow from it, and vSphere has hundreds.
				for _, ft := range op.faults {
					if len(ft.derivedFaults) > 0 && ft.derivedVar == "" {
						ft.derivedVar = vars.take("derived" + ft.name)
					}
				}
			}
			fs.users = append(fs.users, op.name)
			op.faultSet = fs
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
func headerOptions(m *model, pkg nameSet) []headerOpt {
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
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].name < ts[j].name })
	var out []headerOpt
	for _, t := range ts {
		if uses[t].req {
			out = append(out, headerOpt{t: t, name: pkg.take("With"+t.name, "With"+t.name+"Header")})
		}
		if uses[t].resp {
			out = append(out, headerOpt{t: t, name: pkg.take("Read"+t.name, "Read"+t.name+"Header"), response: true})
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
