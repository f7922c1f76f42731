package generator

import (
	"fmt"
	"strings"
	"time"

	"github.com/dave/jennifer/jen"
	"github.com/wsdlsess/wsdlsess/generator/profile"
)

// emitSession writes session.go: each compiled profile as a
// *impl.Profile literal, and the typed closures it needs to build login,
// logout and invalidation requests and read their responses. The runtime
// never parses the YAML; this file is the profile.
func emitSession(g *gen, head fileHead) *jen.File {
	f := newFile(head)
	n := g.n
	h := &helpers{}
	emitPolyAccessors(f, g)
	for _, s := range g.bs.sessions {
		sn := n.sessions[s]
		emitProfileVar(f, n, s, sn)
		if fn := sn.closures[roleLogin]; s.login != nil && fn.emit {
			emitLoginFuncs(f, n, s, fn, h)
		}
		if fn := sn.closures[roleLogout]; s.logout != nil && fn.emit {
			emitRequestFunc(f, n, fn.request, s.logout, nil, h)
			emitNewResponse(f, n, fn.newResponse, s.logout.op)
		}
		if fn := sn.closures[roleInvalidate]; s.invalidate != nil && fn.emit {
			emitInvalidateFuncs(f, n, s, fn, h)
		}
	}
	h.emit(f)
	return f
}

// emitPolyAccessors writes, for every base field a response path reads
// through a polymorphic holder, a method of the holder that reads it from
// whichever concrete type arrived (the zero value for none, or for a
// derived type that restricted the field away or changed its type).
func emitPolyAccessors(f *jen.File, g *gen) {
	n := g.n
	var paths []*boundPath
	for _, s := range g.bs.sessions {
		paths = append(paths, s.loginToken, s.loginEndpoint, s.loginLifetime)
		for _, l := range s.lend {
			paths = append(paths, l.path)
		}
		if iv := s.invalidate; iv != nil {
			paths = append(paths, iv.results, iv.success, iv.code, iv.message)
		}
	}
	for _, a := range polyAccessors(paths...) {
		local, attr, _ := fieldXML(a.field)
		var cases []jen.Code
		for _, c := range a.holder.concrete {
			for _, cf := range fieldsOf(c) {
				if l, at, _ := fieldXML(cf); l == local && at == attr && sameRef(cf.typ, a.field.typ) {
					cases = append(cases, jen.Case(jen.Op("*").Id(n.typ(c))).Block(jen.Return(jen.Id("v").Dot(n.field(cf)))))
					break
				}
			}
		}
		f.Add(commentLines(fmt.Sprintf("%s reads %s from whichever type derived from %s the value is, for the session's response paths.", a.name(n), n.field(a.field), n.typ(a.holder.base))))
		f.Func().Params(jen.Id("h").Id(n.typ(a.holder))).Id(a.name(n)).Params().Add(n.typeCode(a.field.typ)).Block(
			jen.Switch(jen.Id("v").Op(":=").Id("h").Dot("Value").Assert(jen.Type())).Block(cases...),
			jen.Var().Id("zero").Add(n.typeCode(a.field.typ)),
			jen.Return(jen.Id("zero")),
		)
	}
}

// sameRef reports whether two uses name the same Go type.
func sameRef(a, b ref) bool {
	if a.t != b.t || a.slice != b.slice || a.ptr != b.ptr || a.nillable != b.nillable || (a.b == nil) != (b.b == nil) {
		return false
	}
	return a.b == nil || a.b.ident == b.b.ident
}

// helpers records the small generic helpers the closures used.
type helpers struct{ ptr, strs bool }

func (h *helpers) emit(f *jen.File) {
	if h.ptr {
		f.Add(commentLines("ptrTo returns a pointer to a copy of v, for optional request fields."))
		f.Func().Id("ptrTo").Types(jen.Id("T").Any()).Params(jen.Id("v").Id("T")).Op("*").Id("T").Block(jen.Return(jen.Op("&").Id("v")))
	}
	if h.strs {
		f.Add(commentLines("convertStrings converts session ids to the string type the WSDL declares."))
		f.Func().Id("convertStrings").Types(jen.Id("T").Op("~").String()).Params(jen.Id("s").Index().String()).Index().Id("T").Block(
			jen.Id("out").Op(":=").Make(jen.Index().Id("T"), jen.Len(jen.Id("s"))),
			jen.For(jen.List(jen.Id("i"), jen.Id("v")).Op(":=").Range().Id("s")).Block(jen.Id("out").Index(jen.Id("i")).Op("=").Id("T").Call(jen.Id("v"))),
			jen.Return(jen.Id("out")),
		)
	}
}

// kv is one "Field: value" of a keyed literal, kept in the order written
// (jen.Dict would sort them).
func kv(name string, v jen.Code) jen.Code { return jen.Id(name).Op(":").Add(v) }

// multi is a composite literal body with one element a line, as gofmt
// users write long literals.
func multi(items ...jen.Code) *jen.Statement {
	return jen.Custom(jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}, items...)
}

func strs(p []string) *jen.Statement {
	var vs []jen.Code
	for _, s := range p {
		vs = append(vs, jen.Lit(s))
	}
	return jen.Index().String().Values(vs...)
}

// rt names an identifier of package impl: the profile literal's types,
// constants and closures' result types.
func rt(name string) *jen.Statement { return jen.Qual(implPkg, name) }

func emitProfileVar(f *jen.File, n *names, s *session, sn sessionNames) {
	p := s.prof
	doc := fmt.Sprintf("%s is the session profile %s compiled", sn.profileVar, p.Name)
	if s.binding != nil {
		doc += " for binding " + s.binding.qname.Local
	}
	doc += fmt.Sprintf(" (from %s).", s.source)
	if p.Summary != "" {
		doc += "\n\n" + p.Summary + "."
	}
	if p.Stateful {
		doc += "\n\nThe session is stateful: the server keeps state in it that a new session would not have, so a lost session is an error (runtime.ErrSessionLost), never replaced silently."
	}
	f.Add(commentLines(doc))
	var fields []jen.Code
	fields = append(fields, kv("Name", jen.Lit(p.Name)))
	fields = append(fields, kv("Login", loginLit(n, s, sn.closures[roleLogin])))
	if len(s.tokens) > 0 {
		var ts []jen.Code
		for _, t := range s.tokens {
			v := []jen.Code{kv("Kind", rt(t.RuntimeKind()))}
			switch {
			case t.Header != nil:
				v = append(v, kv("Header", qnameLit(t.element)))
				if len(t.Header.Path) > 0 {
					v = append(v, kv("Path", strs(t.Header.Path)))
				}
			case t.Cookie != "":
				v = append(v, kv("Name", jen.Lit(t.Cookie)))
			case t.HTTPHeader != "":
				v = append(v, kv("Name", jen.Lit(t.HTTPHeader)))
			}
			ts = append(ts, jen.Values(v...))
		}
		fields = append(fields, kv("Tokens", jen.Index().Add(rt("TokenSource")).Add(multi(ts...))))
	}
	if len(s.send) > 0 {
		var ts []jen.Code
		for _, t := range s.send {
			v := []jen.Code{kv("Kind", rt(t.RuntimeKind()))}
			switch {
			case t.Header != nil:
				v = append(v, kv("Header", qnameLit(t.element)))
				if len(t.Header.Path) > 0 {
					v = append(v, kv("Path", strs(t.Header.Path)))
				}
				if t.Header.MustUnderstand {
					v = append(v, kv("MustUnderstand", jen.True()))
				}
			case t.Cookie != "":
				v = append(v, kv("Name", jen.Lit(t.Cookie)))
			case t.HTTPHeader != nil:
				v = append(v, kv("Name", jen.Lit(t.HTTPHeader.Name)))
				if t.HTTPHeader.Prefix != "" {
					v = append(v, kv("Prefix", jen.Lit(t.HTTPHeader.Prefix)))
				}
			}
			ts = append(ts, jen.Values(v...))
		}
		fields = append(fields, kv("Send", jen.Index().Add(rt("TokenTarget")).Add(multi(ts...))))
	}
	if len(s.constants) > 0 {
		var cs []jen.Code
		for _, c := range s.constants {
			v := []jen.Code{kv("Name", qnameLit(c.element))}
			if len(c.Path) > 0 {
				v = append(v, kv("Path", strs(c.Path)))
			}
			v = append(v, kv("Value", jen.Lit(c.Value)))
			cs = append(cs, jen.Values(v...))
		}
		fields = append(fields, kv("Constant", jen.Index().Add(rt("HeaderValue")).Add(multi(cs...))))
	}
	if p.Rotate {
		fields = append(fields, kv("Rotate", jen.True()))
	}
	if len(p.Gone) > 0 {
		var gs []jen.Code
		for _, g := range p.Gone {
			var v []jen.Code
			if g.FaultCode != "" {
				v = append(v, kv("FaultCode", jen.Lit(g.FaultCode)))
			}
			if g.FaultString != "" {
				v = append(v, kv("FaultString", jen.Lit(g.FaultString)))
			}
			if g.Detail != "" {
				v = append(v, kv("Detail", jen.Lit(g.Detail)))
			}
			if g.HTTPStatus != 0 {
				v = append(v, kv("HTTPStatus", jen.Lit(g.HTTPStatus)))
			}
			gs = append(gs, jen.Values(v...))
		}
		fields = append(fields, kv("Gone", jen.Index().Add(rt("GoneRule")).Add(multi(gs...))))
	}
	if l := p.Limits; l != nil {
		var v []jen.Code
		for _, d := range []struct {
			name string
			d    profile.Duration
		}{{"Idle", l.Idle}, {"TokenIdle", l.TokenIdle}, {"MaxAge", l.MaxAge}, {"RefreshMargin", l.RefreshMargin}} {
			if d.d != 0 {
				v = append(v, kv(d.name, durationCode(time.Duration(d.d))))
			}
		}
		if len(v) > 0 {
			fields = append(fields, kv("Limits", rt("Limits").Add(multi(v...))))
		}
	}
	fields = append(fields, kv("Relogin", rt(p.Relogin.RuntimeName())))
	if p.Cookies == profile.CookiesNamed {
		// Written only when not the default, so profiles without the key
		// compile as before.
		fields = append(fields, kv("Cookies", rt(p.Cookies.RuntimeName())))
	}
	if s.logout != nil {
		fn := sn.closures[roleLogout]
		fields = append(fields, kv("Logout", jen.Op("&").Add(rt("Logout")).Add(multi(
			kv("Operation", jen.Op("&").Id(n.opVar(s.logout.op))),
			kv("Request", jen.Id(fn.request)),
			kv("NewResponse", jen.Id(fn.newResponse)),
		))))
	}
	when := profile.LogoutWhen("")
	if p.Logout != nil {
		when = p.Logout.When
	}
	fields = append(fields, kv("LogoutOn", rt(when.RuntimeName())))
	fields = append(fields, kv("Scope", rt(p.Scope.RuntimeName())))
	if p.PoolSize != 0 {
		fields = append(fields, kv("PoolSize", jen.Lit(p.PoolSize)))
	}
	if iv := s.invalidate; iv != nil {
		fn := sn.closures[roleInvalidate]
		fields = append(fields, kv("Invalidate", jen.Op("&").Add(rt("Invalidate")).Add(multi(
			kv("Operation", jen.Op("&").Id(n.opVar(iv.op))),
			kv("MaxBatch", jen.Lit(p.Invalidate.MaxBatch)),
			kv("Request", jen.Id(fn.request)),
			kv("NewResponse", jen.Id(fn.newResponse)),
			kv("Results", jen.Id(fn.read)),
		))))
	}
	f.Var().Id(sn.profileVar).Op("=").Op("&").Add(rt("Profile")).Add(multi(fields...))
}

func loginLit(n *names, s *session, fn closureNames) jen.Code {
	p := s.prof
	v := []jen.Code{kv("Kind", rt(p.LoginKind()))}
	if s.login != nil {
		v = append(v,
			kv("Operation", jen.Op("&").Id(n.opVar(s.login.op))),
			kv("Request", jen.Id(fn.request)),
			kv("NewResponse", jen.Id(fn.newResponse)),
			kv("Result", jen.Id(fn.read)),
		)
		if h := p.Login.Operation.LifetimeHeader; h != nil {
			v = append(v, kv("LifetimeHeader", qnameLit(s.lifetimeHeader)))
			if len(h.Path) > 0 {
				v = append(v, kv("LifetimePath", strs(h.Path)))
			}
		}
	}
	if len(s.credentials) > 0 {
		var hs []jen.Code
		for _, h := range s.credentials {
			e := []jen.Code{kv("Name", qnameLit(h.element))}
			if len(h.Path) > 0 {
				e = append(e, kv("Path", strs(h.Path)))
			}
			e = append(e, kv("Value", rt(h.Credential.RuntimeName())))
			hs = append(hs, jen.Values(e...))
		}
		v = append(v, kv("Headers", jen.Index().Add(rt("CredentialHeader")).Add(multi(hs...))))
	}
	if p.Login != nil && p.Login.WSSecurity != "" {
		v = append(v, kv("WSSecurity", jen.True()))
	}
	if b := p.Borrowed(); b != nil && (b.Endpoint != "" || len(b.Rewrite) > 0) {
		var bv []jen.Code
		if b.Endpoint != "" {
			bv = append(bv, kv("Endpoint", jen.Lit(b.Endpoint)))
		}
		if len(b.Rewrite) > 0 {
			var rs []jen.Code
			for _, r := range b.Rewrite {
				rs = append(rs, jen.Values(kv("From", jen.Lit(r.From)), kv("To", jen.Lit(r.To))))
			}
			bv = append(bv, kv("Rewrite", jen.Index().Add(rt("Rewrite")).Add(multi(rs...))))
		}
		v = append(v, kv("Borrow", jen.Op("&").Add(rt("Borrow")).Add(multi(bv...))))
	}
	return rt("Login").Add(multi(v...))
}

// durationCode writes d as people do: 15 * time.Minute, time.Hour.
func durationCode(d time.Duration) jen.Code {
	for _, u := range []struct {
		d    time.Duration
		name string
	}{{time.Hour, "Hour"}, {time.Minute, "Minute"}, {time.Second, "Second"}, {time.Millisecond, "Millisecond"}} {
		if d%u.d == 0 {
			if d == u.d {
				return jen.Qual("time", u.name)
			}
			return jen.Lit(int(d/u.d)).Op("*").Qual("time", u.name)
		}
	}
	return jen.Qual("time", "Duration").Call(jen.Lit(int64(d)))
}

// ---- request builders ----

// reqNode is one struct being built in a request literal.
type reqNode struct {
	n      *names
	t      *goType
	kids   map[*goField]*reqNode
	values map[*goField]jen.Code
}

func newReqNode(n *names, t *goType) *reqNode {
	return &reqNode{n: n, t: t, kids: map[*goField]*reqNode{}, values: map[*goField]jen.Code{}}
}

// set places v (a string expression) at path, converting it to the
// field's type.
func (n *reqNode) set(bp *boundPath, v jen.Code, h *helpers) {
	for i, st := range bp.steps {
		f := st.field
		if i == len(bp.steps)-1 {
			n.values[f] = leafValue(n.n, f.typ, v, h)
			return
		}
		k := n.kids[f]
		if k == nil {
			k = newReqNode(n.n, f.typ.t)
			n.kids[f] = k
		}
		n = k
	}
}

// leafValue converts a string expression to r: a named string type, a
// pointer, a slice of ids.
func leafValue(n *names, r ref, v jen.Code, h *helpers) jen.Code {
	if r.slice {
		if r.t != nil {
			h.strs = true
			return jen.Id("convertStrings").Types(jen.Id(n.typ(r.t))).Call(v)
		}
		return v
	}
	var e jen.Code = v
	if r.t != nil {
		e = jen.Id(n.typ(r.t)).Call(v)
	}
	if c := enumConstFor(n, r, v); c != "" {
		e = jen.Id(c)
	}
	if r.nillable {
		e = jen.Qual(runtimePkg, "Value").Call(e)
	}
	if r.ptr {
		h.ptr = true
		return jen.Id("ptrTo").Call(e)
	}
	return e
}

// lit renders the node as a composite literal, fields in declaration order.
func (n *reqNode) lit() *jen.Statement {
	var v []jen.Code
	for _, f := range fieldsOf(n.t) {
		switch {
		case n.values[f] != nil:
			v = append(v, kv(n.n.field(f), n.values[f]))
		case n.kids[f] != nil:
			k := n.kids[f].lit()
			if f.typ.ptr {
				k = jen.Op("&").Add(k)
			}
			v = append(v, kv(n.n.field(f), k))
		}
	}
	return jen.Id(n.n.typ(n.t)).Values(v...)
}

// emitRequestFunc writes a function building op's request with the fixed
// values of bo.set and, for login, the credentials.
func emitRequestFunc(f *jen.File, n *names, name string, bo *boundOp, creds []struct {
	path  *boundPath
	param string
}, h *helpers) {
	op := bo.op
	params := []jen.Code{}
	if creds != nil {
		params = append(params, jen.List(jen.Id("user"), jen.Id("password")).String())
		f.Add(commentLines(fmt.Sprintf("%s builds the request of operation %s from the credentials.", name, op.name)))
	} else {
		f.Add(commentLines(fmt.Sprintf("%s builds the request of operation %s.", name, op.name)))
	}
	if op.in == nil {
		f.Func().Id(name).Params(params...).Any().Block(jen.Return(jen.Nil()))
		return
	}
	root := newReqNode(n, op.in)
	for _, c := range creds {
		if c.path != nil {
			root.set(c.path, jen.Id(c.param), h)
		}
	}
	for _, s := range bo.set {
		root.set(s.path, jen.Lit(s.value), h)
	}
	f.Func().Id(name).Params(params...).Any().Block(jen.Return(jen.Op("&").Add(root.lit())))
}

func emitNewResponse(f *jen.File, n *names, name string, op *operation) {
	f.Add(commentLines(fmt.Sprintf("%s allocates the response of operation %s.", name, op.name)))
	if op.out == nil {
		f.Func().Id(name).Params().Any().Block(jen.Return(jen.Nil()))
		return
	}
	f.Func().Id(name).Params().Any().Block(jen.Return(jen.New(jen.Id(n.typ(op.out)))))
}

// ---- response readers ----

// readPath returns the conditions under which the path's value exists
// (nil checks, non-empty lists) and the value expression, as Go source.
func readPath(n *names, root string, bp *boundPath) (conds []string, value string) {
	e := root
	for i, st := range bp.steps {
		f := st.field
		if st.via != nil {
			e += "." + polyAccessor{st.via, f}.name(n) + "()"
		} else {
			e += "." + n.field(f)
		}
		last := i == len(bp.steps)-1
		switch {
		case st.index:
			conds = append(conds, "len("+e+") > 0")
			e += "[0]"
		case f.typ.ptr && !f.typ.slice:
			conds = append(conds, e+" != nil")
			if last && !f.typ.nillable {
				e = "*" + e
			}
		}
		if last && f.typ.nillable {
			// xsi:nil reads as the zero value.
			e += ".Value"
		}
	}
	return conds, e
}

// guarded writes "if conds { body }", or body alone when there are none.
func guarded(conds []string, body ...jen.Code) jen.Code {
	if len(conds) == 0 {
		return jen.Add(body...)
	}
	return jen.If(jen.Op(strings.Join(conds, " && "))).Block(body...)
}

// asString converts a string-kind value of r to a Go string.
func asString(r ref, v string) string {
	if r.t != nil {
		return "string(" + v + ")"
	}
	return v
}

func emitLoginFuncs(f *jen.File, n *names, s *session, fn closureNames, h *helpers) {
	op := s.login.op
	emitRequestFunc(f, n, fn.request, s.login, []struct {
		path  *boundPath
		param string
	}{{s.user, "user"}, {s.password, "password"}}, h)
	emitNewResponse(f, n, fn.newResponse, op)

	name := fn.read
	f.Add(commentLines(fmt.Sprintf("%s reads the session out of a response of operation %s.", name, op.name)))
	res := rt("LoginResult")
	var body []jen.Code
	reads := s.loginToken != nil || s.loginEndpoint != nil || s.loginLifetime != nil || len(s.lend) > 0
	outVar := "out"
	if !reads {
		outVar = "_"
	}
	body = append(body,
		jen.List(jen.Id(outVar), jen.Id("ok")).Op(":=").Id("resp").Assert(jen.Op("*").Id(n.typ(op.out))),
		jen.If(jen.Op("!").Id("ok")).Block(jen.Return(res.Clone().Values(), jen.Qual("fmt", "Errorf").Call(jen.Lit("operation "+op.name+": the response is %T, not *"+n.typ(op.out)), jen.Id("resp")))),
	)
	if !reads {
		body = append(body, jen.Comment("The session comes from a cookie or header of the response, not its body."), jen.Return(res.Clone().Values(), jen.Nil()))
		f.Func().Id(name).Params(jen.Id("resp").Any()).Params(res.Clone(), jen.Error()).Block(body...)
		return
	}
	body = append(body, jen.Var().Id("r").Add(res.Clone()))
	if bp := s.loginToken; bp != nil {
		conds, v := readPath(n, "out", bp)
		body = append(body, guarded(conds, jen.Id("r").Dot("Token").Op("=").Op(asString(bp.leaf, v))))
		body = append(body, jen.If(jen.Id("r").Dot("Token").Op("==").Lit("")).Block(
			jen.Return(jen.Id("r"), jen.Qual("errors", "New").Call(jen.Lit(fmt.Sprintf("operation %s: the response has no session id at %s", op.name, pathText(s.prof.Tokens))))),
		))
	}
	if bp := s.loginEndpoint; bp != nil {
		conds, v := readPath(n, "out", bp)
		body = append(body, guarded(conds, jen.Id("r").Dot("Endpoint").Op("=").Op(asString(bp.leaf, v))))
	}
	if bp := s.loginLifetime; bp != nil {
		conds, v := readPath(n, "out", bp)
		body = append(body, guarded(conds, jen.Id("r").Dot("Lifetime").Op("=").Qual("time", "Duration").Call(jen.Op(v)).Op("*").Qual("time", "Second")))
	}
	if len(s.lend) > 0 {
		// The URLs clients that borrow this session send their calls to.
		body = append(body, jen.Id("r").Dot("Lent").Op("=").Map(jen.String()).String().Values())
		for _, l := range s.lend {
			conds, v := readPath(n, "out", l.path)
			body = append(body, guarded(conds, jen.Id("r").Dot("Lent").Index(jen.Lit(l.name)).Op("=").Op(asString(l.path.leaf, v))))
		}
	}
	body = append(body, jen.Return(jen.Id("r"), jen.Nil()))
	f.Func().Id(name).Params(jen.Id("resp").Any()).Params(res.Clone(), jen.Error()).Block(body...)
}

// pathText is the login token path as the profile writes it.
func pathText(ts []profile.TokenSource) string {
	for _, t := range ts {
		if len(t.Login) > 0 {
			return t.Login.String()
		}
	}
	return ""
}

func emitInvalidateFuncs(f *jen.File, n *names, s *session, fn closureNames, h *helpers) {
	iv := s.invalidate
	op := iv.op
	name := fn.request
	f.Add(commentLines(fmt.Sprintf("%s builds the request of operation %s for one batch of session ids.", name, op.name)))
	root := newReqNode(n, op.in)
	root.set(iv.ids, jen.Id("ids"), h)
	f.Func().Id(name).Params(jen.Id("ids").Index().String()).Any().Block(jen.Return(jen.Op("&").Add(root.lit())))
	emitNewResponse(f, n, fn.newResponse, op)

	name = fn.read
	f.Add(commentLines(fmt.Sprintf("%s returns one error per session id (nil: invalidated), in request order. The errors carry the server's code and message, never the id.", name)))
	conds, list := readPath(n, "out", iv.results)
	var body []jen.Code
	body = append(body,
		jen.List(jen.Id("out"), jen.Id("ok")).Op(":=").Id("resp").Assert(jen.Op("*").Id(n.typ(op.out))),
		jen.If(jen.Op("!").Id("ok")).Block(jen.Return(jen.Nil())),
	)
	if len(conds) > 0 {
		body = append(body,
			jen.Var().Id("results").Index().Id(n.typ(iv.results.leaf.t)),
			guarded(conds, jen.Id("results").Op("=").Op(list)))
		list = "results"
	}
	sc, sv := readPath(n, "res", iv.success)
	loop := []jen.Code{
		jen.If(jen.Op(strings.Join(append(sc, sv), " && "))).Block(jen.Continue()),
	}
	e := []jen.Code{}
	if iv.code != nil {
		loop = append(loop, jen.Var().Id("code").String())
		c, v := readPath(n, "res", iv.code)
		loop = append(loop, guarded(c, jen.Id("code").Op("=").Op(asString(iv.code.leaf, v))))
		e = append(e, kv("Code", jen.Id("code")))
	}
	if iv.message != nil {
		loop = append(loop, jen.Var().Id("msg").String())
		c, v := readPath(n, "res", iv.message)
		loop = append(loop, guarded(c, jen.Id("msg").Op("=").Op(asString(iv.message.leaf, v))))
		e = append(e, kv("Message", jen.Id("msg")))
	}
	loop = append(loop, jen.Id("errs").Index(jen.Id("i")).Op("=").Op("&").Add(jen.Qual(runtimePkg, "InvalidateError")).Values(e...))
	body = append(body,
		jen.Id("errs").Op(":=").Make(jen.Index().Error(), jen.Len(jen.Op(list))),
		jen.For(jen.List(jen.Id("i"), jen.Id("res")).Op(":=").Range().Op(list)).Block(loop...),
		jen.Return(jen.Id("errs")),
	)
	f.Func().Id(name).Params(jen.Id("resp").Any()).Index().Error().Block(body...)
}

// enumConstFor names the enumeration constant a literal value stands for,
// so generated requests read LoginModeApi rather than LoginMode("api").
func enumConstFor(n *names, r ref, v jen.Code) string {
	if r.t == nil || len(r.t.enums) == 0 {
		return ""
	}
	st, ok := v.(*jen.Statement)
	if !ok {
		return ""
	}
	text := fmt.Sprintf("%#v", st)
	for _, e := range r.t.enums {
		if text == fmt.Sprintf("%q", e.value) {
			return n.enum(e)
		}
	}
	return ""
}
