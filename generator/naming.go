package generator

import (
	"slices"
	"sort"
	"strings"
)

// assignNames decides every Go name once, in a fixed order: clients,
// global types, element types, anonymous types, wrappers, polymorphic
// holders, interfaces, enum constants; then fields and methods per scope.
// It reads the model and the sessions bound to it (their operations get
// no method) and writes only the names it returns.
func assignNames(m *model, bs *bound) *names {
	n := &names{
		types: map[*goType]string{}, ifaces: map[*goType]string{}, enums: map[*enumConst]string{},
		fields: map[*goField]string{}, opVars: map[*operation]string{}, ports: map[*port]portNames{},
		faultSetOf: map[*operation]*faultSet{}, derivedVars: map[*goType]string{},
	}
	pkg := nameSet{}
	vars := nameSet{invokeHelper: true}
	nameClients(m, n, pkg, vars)
	order := nameTypes(m, n, pkg)
	nameMembers(order, n, pkg)
	n.headerOpts = headerOptions(m, bs, n, pkg)
	n.sessions = nameSessions(bs, vars)
	nameMethods(m, bs, n)
	// Type names are unique, so this order is total.
	sort.Slice(order, func(i, j int) bool { return n.typ(order[i]) < n.typ(order[j]) })
	n.order = order
	nameFaultSets(m, n, vars)
	return n
}

// nameClients names each port's client type, constructor and descriptor
// variable, and each operation's descriptor variable.
func nameClients(m *model, n *names, pkg, vars nameSet) {
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
}

// nameTypes names every type, the most deserving first (by prio: global
// types before element types before anonymous ones …, then the target
// namespace's before imported ones), and returns them in that order.
func nameTypes(m *model, n *names, pkg nameSet) []*goType {
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
	return order
}

// nameMembers names what hangs off the named types: holders' interfaces
// and enumeration constants (package scope), struct fields (each struct
// its own scope).
func nameMembers(order []*goType, n *names, pkg nameSet) {
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
}

// nameMethods names each client's methods: one per operation the session
// does not drive, clear of the methods every client has.
func nameMethods(m *model, bs *bound, n *names) {
	for _, pt := range m.ports {
		ms := nameSet{"Exchange": true, "Close": true}
		if s := bs.sessionOf[pt]; s != nil && s.invalidate != nil {
			ms["InvalidateSessions"] = true
		}
		pn := n.ports[pt]
		pn.methods = map[*operation]string{}
		for _, op := range pt.binding.ops {
			if bs.isDriven(op) {
				continue
			}
			pn.methods[op] = ms.take(goName(op.name), goName(op.name)+"Operation")
		}
		n.ports[pt] = pn
	}
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
