package generator

import "sort"

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
func headerOptions(m *model, bs *bound, n *names, pkg nameSet) []headerOpt {
	owned := map[*goType]bool{}
	for _, s := range bs.sessions {
		for t := range s.owned {
			owned[t] = true
		}
	}
	type use struct{ req, resp bool }
	uses := map[*goType]*use{}
	var ts []*goType
	for _, b := range m.bindings {
		for _, op := range b.ops {
			if bs.isDriven(op) {
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
