package generator

import "fmt"

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
func nameSessions(bs *bound, vars nameSet) map[*session]sessionNames {
	var sharedSuffix [numRoles]bool
	for i, a := range bs.sessions {
		for _, b := range bs.sessions[:i] {
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
	for i, s := range bs.sessions {
		suffix := ""
		if len(bs.sessions) > 1 && s.binding != nil {
			suffix = goName(s.binding.qname.Local)
		} else if len(bs.sessions) > 1 {
			suffix = fmt.Sprint(i + 1)
		}
		sn := sessionNames{profileVar: vars.take("sessionProfile" + suffix)}
		for r := range numRoles {
			op := s.drives(r)
			if op == nil {
				continue
			}
			key := keyOf(r, op)
			if prev, ok := closures[key]; ok {
				prev.emit = false
				sn.closures[r] = prev
				continue
			}
			take := func(base string) string {
				if base == "" {
					return ""
				}
				if len(bs.sessions) > 1 && !sharedSuffix[r] {
					return vars.take(base)
				}
				return vars.take(base + suffix)
			}
			b := closureBases[r]
			cn := closureNames{request: take(b[0]), newResponse: take(b[1]), read: take(b[2]), emit: true}
			closures[key] = cn
			sn.closures[r] = cn
		}
		out[s] = sn
	}
	return out
}
