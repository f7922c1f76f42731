package generator

import (
	"encoding/xml"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wsdlsess/wsdlsess/generator/profile"
)

// Step 3 of the pipeline: a session profile is checked against each port's
// binding and compiled into what emit_session.go writes, a impl.Profile
// literal with typed closures. The rules are in generator/profile/BINDING.md.

// session is a profile bound to one binding.
type session struct {
	prof *profile.Profile
	// source says where the profile came from, for the doc comment.
	source string
	// binding is nil when the profile names no operation, so one compiled
	// profile serves every port.
	binding *binding

	login                                    *boundOp
	user, password                           *boundPath
	loginToken, loginEndpoint, loginLifetime *boundPath
	// lend: the login response's URLs lent to borrowing clients, in the
	// profile's order.
	lend       []boundLend
	logout     *boundOp
	invalidate *boundInvalidate
	// credentials, tokens, send and constants are the profile's lists of
	// those names, entry for entry, each with the header element it
	// names resolved (the namespace taken from the WSDL when the profile
	// leaves it out); lifetimeHeader is login.operation.lifetime-header's.
	credentials    []boundCredential
	lifetimeHeader xml.Name
	tokens         []boundToken
	send           []boundTarget
	constants      []boundConstant
	// owned: declared request header types the session writes itself, so
	// they get no per-call option.
	owned map[*goType]bool
}

// boundOp is an operation the session engine drives, with the request
// fields the profile fixes.
type boundOp struct {
	op  *operation
	set []boundSet
}

type boundSet struct {
	path  *boundPath
	value string
}

type boundLend struct {
	name string
	path *boundPath
}

// boundCredential is one of login.headers; element is its header.
type boundCredential struct {
	profile.CredentialHeader
	element xml.Name
}

// boundToken is one token source; element is its header's, if it names
// one.
type boundToken struct {
	profile.TokenSource
	element xml.Name
}

// boundTarget is one token target; element is its header's, if it names
// one.
type boundTarget struct {
	profile.TokenTarget
	element xml.Name
}

// boundConstant is one constant header; element is its header.
type boundConstant struct {
	profile.ConstantHeader
	element xml.Name
}

type boundInvalidate struct {
	op                                   *operation
	ids, results, success, code, message *boundPath
}

// sessionRole is what a session drives an operation for.
type sessionRole int

const (
	roleLogin sessionRole = iota
	roleLogout
	roleInvalidate
	numRoles
)

// drives returns the operation the session drives in role r, nil for
// none.
func (s *session) drives(r sessionRole) *operation {
	switch {
	case r == roleLogin && s.login != nil:
		return s.login.op
	case r == roleLogout && s.logout != nil:
		return s.logout.op
	case r == roleInvalidate && s.invalidate != nil:
		return s.invalidate.op
	}
	return nil
}

// bound is what binding the session profile gives: the sessions naming
// and emit read. bindProfile builds it whole and nothing writes it
// afterwards.
type bound struct {
	// sessions are the profile compiled per binding (none: no profile),
	// sessionOf each port's (nil: none).
	sessions  []*session
	sessionOf map[*port]*session
}

// isDriven reports whether a session drives op (a profile's login, logout
// or invalidate operation): it gets no method, since a caller could not
// add what the session sends.
func (bs *bound) isDriven(op *operation) bool {
	for _, s := range bs.sessions {
		for r := range numRoles {
			if s.drives(r) == op {
				return true
			}
		}
	}
	return false
}

// bindProfile loads opts.Profile and binds it to every port of m. The
// built-in "none" (or no profile) compiles to no session: calls go out
// bare.
func bindProfile(m *model, opts Options, warn func(string)) (*bound, error) {
	out := &bound{sessionOf: map[*port]*session{}}
	if opts.Profile == "" || opts.Profile == "none" {
		return out, nil
	}
	p, err := profile.Load(opts.Profile)
	var errs profile.Errors
	if err != nil {
		// A profile with only bad values comes back with them: they are
		// reported with the binding's problems, in one pass.
		if p == nil || !errors.As(err, &errs) {
			return nil, err
		}
	}
	usesOps := len(p.Operations()) > 0
	byBinding := map[*binding]*session{}
	for _, pt := range m.ports {
		var b *binding
		if usesOps {
			b = pt.binding
		}
		s, ok := byBinding[b]
		if !ok {
			s = bindSession(m, p, b, &errs)
			s.source = profileSource(opts.Profile)
			byBinding[b] = s
			out.sessions = append(out.sessions, s)
		}
		out.sessionOf[pt] = s
	}
	if len(m.ports) == 0 {
		errs = append(errs, p.Errorf("", "the WSDL has no SOAP port to bind the profile to (fix: generate with -profile none)"))
	}
	checkGone(m, p, warn)
	for i, g := range p.Gone {
		if d := g.Detail; d != "" && len(d) < 5 {
			file, pos := p.Where(fmt.Sprintf("gone[%d].detail", i))
			warn(fmt.Sprintf("%s:%d: gone[%d].detail %q is very short and matches any fault detail containing it; use the fault element or error code", file, pos.Line, i, d))
		}
	}
	if len(errs) > 0 {
		// Bindings of one portType fail alike; say each problem once.
		seen := map[string]bool{}
		var uniq profile.Errors
		for _, e := range errs {
			if !seen[e.Error()] {
				seen[e.Error()] = true
				uniq = append(uniq, e)
			}
		}
		uniq.Sort(p.File)
		return nil, uniq
	}
	return out, nil
}

// binder checks one profile against one binding, collecting every problem.
type binder struct {
	m    *model
	p    *profile.Profile
	b    *binding
	errs *profile.Errors
}

func (bd *binder) fail(e *profile.Error) {
	if e != nil {
		*bd.errs = append(*bd.errs, e)
	}
}

func bindSession(m *model, p *profile.Profile, b *binding, errs *profile.Errors) *session {
	bd := &binder{m: m, p: p, b: b, errs: errs}
	s := &session{prof: p, binding: b, owned: map[*goType]bool{}}
	if p.Login != nil {
		for _, h := range p.Login.Headers {
			s.credentials = append(s.credentials, boundCredential{CredentialHeader: h})
		}
	}
	for _, t := range p.Tokens {
		s.tokens = append(s.tokens, boundToken{TokenSource: t})
	}
	for _, t := range p.Send {
		s.send = append(s.send, boundTarget{TokenTarget: t})
	}
	for _, c := range p.Constant {
		s.constants = append(s.constants, boundConstant{ConstantHeader: c})
	}
	if lo := p.Login; lo != nil && lo.Operation != nil {
		s.login = bd.operation("login.operation.name", lo.Operation.Name, true)
		if s.login != nil {
			in := bd.input(s.login.op)
			s.user = bd.path("login.operation.user", in, lo.Operation.User, leafString)
			s.password = bd.path("login.operation.password", in, lo.Operation.Password, leafString)
			s.login.set = bd.sets("login.operation.set", in, lo.Operation.Set)
			out := bd.output(s.login.op)
			for i, t := range p.Tokens {
				if len(t.Login) > 0 {
					s.loginToken = bd.readPath(fmt.Sprintf("tokens[%d].login", i), out, t.Login, leafString)
					break
				}
			}
			if len(lo.Operation.Endpoint) > 0 {
				s.loginEndpoint = bd.readPath("login.operation.endpoint", out, lo.Operation.Endpoint, leafString)
			}
			if len(lo.Operation.Lifetime) > 0 {
				s.loginLifetime = bd.readPath("login.operation.lifetime", out, lo.Operation.Lifetime, leafInt)
			}
			for i, l := range lo.Operation.Lend {
				if bp := bd.readPath(fmt.Sprintf("login.operation.lend[%d].endpoint", i), out, l.Endpoint, leafString); bp != nil {
					s.lend = append(s.lend, boundLend{l.Name, bp})
				}
			}
		}
	}
	if lo := p.Logout; lo != nil && lo.Operation != "" {
		s.logout = bd.operation("logout.operation", lo.Operation, false)
		if s.logout != nil {
			s.logout.set = bd.sets("logout.set", bd.input(s.logout.op), lo.Set)
		}
	}
	if iv := p.Invalidate; iv != nil {
		if bo := bd.operation("invalidate.operation", iv.Operation, true); bo != nil {
			bi := &boundInvalidate{op: bo.op}
			bi.ids = bd.path("invalidate.ids", bd.input(bo.op), iv.IDs, leafRepeatedString)
			bi.results = bd.readPath("invalidate.results", bd.output(bo.op), iv.Results, leafRepeatedStruct)
			if bi.results != nil {
				rt := bi.results.leaf.t
				one := pathRoot{t: rt, desc: fmt.Sprintf("type %s (one invalidate result)", xsdName(rt))}
				bi.success = bd.indexPath("invalidate.success", one, iv.Success, leafBool)
				if len(iv.ErrorCode) > 0 {
					bi.code = bd.indexPath("invalidate.error-code", one, iv.ErrorCode, leafString)
				}
				if len(iv.ErrorMessage) > 0 {
					bi.message = bd.indexPath("invalidate.error-message", one, iv.ErrorMessage, leafString)
				}
			}
			s.invalidate = bi
		}
	}
	for _, h := range p.Headers() {
		if qn, ok := bd.header(h, s); ok {
			s.setElement(h, qn)
		}
	}
	return s
}

// setElement records the resolved element of header entry h.
func (s *session) setElement(h profile.HeaderRef, qn xml.Name) {
	switch h.Use {
	case profile.UseCredential:
		s.credentials[h.Index].element = qn
	case profile.UseLifetime:
		s.lifetimeHeader = qn
	case profile.UseTokenSource:
		s.tokens[h.Index].element = qn
	case profile.UseTokenTarget:
		s.send[h.Index].element = qn
	case profile.UseConstant:
		s.constants[h.Index].element = qn
	}
}

// operation finds a named operation in the binding.
func (bd *binder) operation(key, name string, needOutput bool) *boundOp {
	var names []string
	for _, op := range bd.b.ops {
		if op.name == name {
			if op.oneWay && needOutput {
				bd.fail(bd.p.Errorf(key, "operation %q is one-way (no output), so it cannot return what the profile reads from it", name))
				return nil
			}
			return &boundOp{op: op}
		}
		names = append(names, op.name)
	}
	var with []string
	for _, pt := range bd.m.ports {
		for _, op := range pt.binding.ops {
			if op.name == name {
				with = append(with, pt.service+"/"+pt.name)
			}
		}
	}
	msg := fmt.Sprintf("no operation %q in binding %s of %s", name, bd.b.qname.Local, bd.portsOf())
	if len(with) == 0 && len(bd.m.bindings) > 1 {
		var bs []string
		for _, b := range bd.m.bindings {
			bs = append(bs, b.qname.Local)
		}
		msg = fmt.Sprintf("no operation %q in any binding of the WSDL (%s)", name, strings.Join(bs, ", "))
	}
	if len(with) > 0 {
		msg += fmt.Sprintf("; ports that have it: %s (generate those with this profile and the others with another)", strings.Join(with, ", "))
	} else {
		msg += "; " + offer(name, names)
	}
	bd.fail(bd.p.Errorf(key, "%s", msg))
	return nil
}

// portsOf names the ports of the binding being bound.
func (bd *binder) portsOf() string {
	var ps []string
	for _, pt := range bd.m.ports {
		if pt.binding == bd.b {
			ps = append(ps, pt.service+"/"+pt.name)
		}
	}
	if len(ps) == 1 {
		return "port " + ps[0]
	}
	return "ports " + strings.Join(ps, ", ")
}

func (bd *binder) input(op *operation) pathRoot {
	return pathRoot{t: op.in, desc: bodyDesc(op.in, "input", op.name)}
}

func (bd *binder) output(op *operation) pathRoot {
	return pathRoot{t: op.out, desc: bodyDesc(op.out, "output", op.name)}
}

func bodyDesc(t *goType, dir, op string) string {
	if t == nil {
		return fmt.Sprintf("operation %s (no %s body)", op, dir)
	}
	name := xsdName(t)
	if t.xmlName != nil {
		name = t.xmlName.Local
	}
	return fmt.Sprintf("type %s (%s of operation %s)", name, dir, op)
}

// path resolves a request path (written by the generated code).
func (bd *binder) path(key string, root pathRoot, path profile.Path, want leafKind) *boundPath {
	bp, err := resolvePath(bd.p, key, root, path, want, false, false)
	bd.fail(err)
	return bp
}

// readPath resolves a response path (read by the generated code).
func (bd *binder) readPath(key string, root pathRoot, path profile.Path, want leafKind) *boundPath {
	bp, err := resolvePath(bd.p, key, root, path, want, false, true)
	bd.fail(err)
	return bp
}

// indexPath resolves a path inside one invalidate result (read; it may
// take the first item of a repeated element).
func (bd *binder) indexPath(key string, root pathRoot, path profile.Path, want leafKind) *boundPath {
	bp, err := resolvePath(bd.p, key, root, path, want, true, true)
	bd.fail(err)
	return bp
}

// sets resolves fixed request values; a value on an enumeration must be
// one of its values.
func (bd *binder) sets(key string, root pathRoot, fields profile.Fields) []boundSet {
	var out []boundSet
	for _, f := range fields {
		k := key + "." + f.Path.String()
		bp := bd.path(k, root, f.Path, leafString)
		if bp == nil {
			continue
		}
		if vs := enumValues(bp.leaf); len(vs) > 0 && !slices.Contains(vs, f.Value) {
			bd.fail(bd.p.Errorf(k, "%q is not a value of enumeration %s; %s", f.Value, xsdName(bp.leaf.t), offer(f.Value, vs)))
			continue
		}
		out = append(out, boundSet{path: bp, value: f.Value})
	}
	return out
}

// profileSource describes a profile's origin without the caller's
// directories, so generated code does not depend on where it ran.
func profileSource(nameOrPath string) string {
	if !strings.ContainsAny(nameOrPath, `/\`) && filepath.Ext(nameOrPath) == "" {
		return "the built-in profile " + nameOrPath
	}
	return filepath.Base(nameOrPath)
}
