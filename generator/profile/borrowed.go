package profile

import "fmt"

// borrows reports whether p takes its session from another client's login
// (login.borrowed).
func (p *Profile) borrows() bool { return p.Borrowed() != nil }

// Borrowed returns login.borrowed, nil when the profile logs in itself.
func (p *Profile) Borrowed() *Borrowed {
	if p.Login == nil {
		return nil
	}
	return p.Login.Borrowed
}

// Lends reports whether clients of p can lend their session to clients of
// a borrowing profile: a shared, non-rotating session opened by a login
// operation (runtime.WithSessionFrom refuses others).
func (p *Profile) Lends() bool {
	return p.Login != nil && p.Login.Operation != nil && p.Scope == ScopeShared && !p.Rotate
}

const lendName = "a lent endpoint name (lower-case letters, digits and '-', like metadata)"

// lend checks login.operation.lend: named response paths of URLs for the
// clients that borrow the session.
func (v *validator) lend(ls []Lend) {
	first := map[string]int{}
	for i, l := range ls {
		key := fmt.Sprintf("login.operation.lend[%d]", i)
		if l.Name == "" {
			v.errorf(key+".name", "missing; give the name a borrowing profile's login.borrowed.endpoint uses (like metadata)")
		}
		v.match(key+".name", l.Name, profileNameRE, lendName)
		if j, dup := first[l.Name]; dup && l.Name != "" {
			v.errorf(key+".name", "login.operation.lend[%d] already lends %q; give each URL its own name", j, l.Name)
		} else {
			first[l.Name] = i
		}
		if len(l.Endpoint) == 0 {
			v.errorf(key+".endpoint", "missing; give the login response path of the URL (like result/metadataServerUrl)")
		}
	}
}

// borrowed checks login.borrowed, and that the profile says nothing that
// belongs to the lender's profile: the borrowing client sends the lender's
// token as it is, and the lender opens, limits and ends the session.
func (v *validator) borrowed(b *Borrowed) {
	p := v.p
	v.match("login.borrowed.endpoint", b.Endpoint, profileNameRE, lendName)
	for i, r := range b.Rewrite {
		key := fmt.Sprintf("login.borrowed.rewrite[%d]", i)
		if r.From == "" {
			v.errorf(key+".from", "missing; give the part of the lender's URL to replace (like /services/Soap/u/)")
		}
		if r.To == "" {
			v.errorf(key+".to", "missing; give the text that replaces it (like /services/Soap/T/)")
		}
	}
	if p.Scope != "" && p.Scope != ScopeShared {
		v.errorf("scope", "login borrowed shares the lender's one session; use scope shared")
	}
	if v.has("tokens") || len(p.Tokens) > 0 {
		v.errorf("tokens", "login borrowed sends the lender's token, so tokens has nothing to read; remove it")
	}
	for _, k := range []struct {
		key string
		set bool
	}{
		{"stateful", p.Stateful}, {"rotate", p.Rotate},
		{"limits", v.has("limits") || p.Limits != nil}, {"pool-size", v.has("pool-size") || p.PoolSize != 0},
		{"logout", v.has("logout") || p.Logout != nil}, {"invalidate", v.has("invalidate") || p.Invalidate != nil},
	} {
		if k.set {
			v.errorf(k.key, "belongs to the lender's profile: login borrowed uses the lender's session as it opens, limits and ends it; remove %s", k.key)
		}
	}
}
