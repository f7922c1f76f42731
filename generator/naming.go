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
	closures := map[string]string{}
	sharedSuffix := map[string]bool{}
	for i, a := range m.sessions {
		for _, b := range m.sessions[:i] {
			for _, role := range sessionFuncs(a) {
				if closureKey(a, role) != closureKey(b, role) {
					// Two different closures for one role: both need
					// the binding in their names.
					sharedSuffix[role] = true
				}
			}
		}
	}
	for i, s := range m.sessions {
		suffix := ""
		if len(m.sessions) > 1 && s.binding != nil {
			suffix = goName(s.binding.qname.Local)
		} else if len(m.sessions) > 1 {
			suffix = fmt.Sprint(i + 1)
		}
		s.goVar = vars.take("sessionProfile" + suffix)
		s.fn = map[string]string{}
		s.emits = map[string]bool{}
		for _, role := range sessionFuncs(s) {
			// Bindings of one portType (SOAP 1.1 and 1.2) share the
			// request and response types, so they share the closures.
			key := role + " " + closureKey(s, role)
			if name, ok := closures[key]; ok {
				s.fn[role] = name
				continue
			}
			if len(m.sessions) > 1 && closureKey(s, role) != "" && !sharedSuffix[role] {
				s.fn[role] = vars.take(role)
			} else {
				s.fn[role] = vars.take(role + suffix)
			}
			closures[key] = s.fn[role]
			s.emits[role] = true
		}
	}
	for _, pt := range m.ports {
		ms := nameSet{"Exchange": true, "Close": true}
		if pt.session != nil && pt.session.invalidate != nil {
			ms["InvalidateSessions"] = true
		}
		pt.methods = map[*operation]string{}
		for _, op := range pt.binding.ops {
			if op.hidden {
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
			if op.hidden {
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

// sessionFuncs lists the closures a compiled profile needs, by role; the
// role is also the function's base name.
func sessionFuncs(s *session) []string {
	var out []string
	if s.login != nil {
		out = append(out, "loginRequest", "newLoginResponse", "loginResult")
	}
	if s.logout != nil {
		out = append(out, "logoutRequest", "newLogoutResponse")
	}
	if s.invalidate != nil {
		out = append(out, "invalidateRequest", "newInvalidateResponse", "invalidateResults")
	}
	return out
}

// closureKey identifies what a session closure depends on: the types of
// the operation it builds or reads ("" when the role has no operation).
func closureKey(s *session, role string) string {
	var op *operation
	switch {
	case strings.HasPrefix(role, "login") || role == "newLoginResponse":
		op = s.login.op
	case strings.HasPrefix(role, "logout") || role == "newLogoutResponse":
		op = s.logout.op
	default:
		op = s.invalidate.op
	}
	return fmt.Sprintf("%p %p", op.in, op.out)
}
