package generator

import (
	"fmt"
	"strings"
)

// Inspect describes the WSDL like `python -m zeep` does: services, ports,
// binding style and SOAP version, operations with their input, output,
// header and fault types (Go names as Generate would emit them).
//
// A remote location that is not fetched (no AllowRemote, no SchemaMap entry,
// no embedded copy) does not stop it: it is listed as refused, and what
// needed it as skipped.
func Inspect(opts Options) (string, error) {
	l := newLoader(opts)
	l.skipRefused = true
	m, err := planModel(opts, l)
	if err != nil {
		return "", err
	}
	bs, err := bindProfile(m, opts, opts.warn())
	if err != nil {
		return "", err
	}
	n := assignNames(m, bs)
	var b strings.Builder
	b.WriteString("Services:\n")
	last := ""
	for _, pt := range m.ports {
		svc := pt.service
		if pt.unbound {
			svc = "(the WSDL names no service: one client per binding)"
		}
		if svc != last {
			fmt.Fprintf(&b, "  %s\n", svc)
			last = svc
		}
		bd := pt.binding
		if pt.unbound {
			fmt.Fprintf(&b, "    Binding: %s (SOAP %s, %s) -> Go %s\n", bd.qname.Local, soapName(bd.soap), bd.style, n.port(pt).client)
		} else {
			fmt.Fprintf(&b, "    Port: %s (binding %s, SOAP %s, %s) -> Go %s\n", pt.name, bd.qname.Local, soapName(bd.soap), bd.style, n.port(pt).client)
		}
		addr := pt.endpoint
		if addr == "" {
			addr = "(none: pass runtime.WithEndpoint)"
		}
		fmt.Fprintf(&b, "      Address: %s\n", addr)
		if s := bs.sessionOf[pt]; s != nil {
			fmt.Fprintf(&b, "      Session: %s\n", describeSession(s))
			describeGone(&b, m, s.prof)
		}
		fmt.Fprintf(&b, "      Operations:\n")
		for _, op := range bd.ops {
			in, out := "-", "-"
			if op.in != nil {
				in = signature(n, op.in)
			}
			if op.out != nil {
				out = signature(n, op.out)
			} else if op.oneWay {
				out = "(one-way)"
			}
			fmt.Fprintf(&b, "        %s(%s) -> %s", op.name, in, out)
			if op.action != "" {
				fmt.Fprintf(&b, " [action %s]", op.action)
			}
			if bs.isDriven(op) {
				b.WriteString(" [driven by the session: no method]")
			}
			b.WriteString("\n")
			if len(op.headers) > 0 {
				fmt.Fprintf(&b, "          headers: %s\n", typeNames(n, op.headers))
			}
			if len(op.outHeaders) > 0 {
				fmt.Fprintf(&b, "          response headers: %s\n", typeNames(n, op.outHeaders))
			}
			if len(op.faults) > 0 {
				fmt.Fprintf(&b, "          faults: %s\n", typeNames(n, op.faults))
				if more := m.derived.more[op]; len(more) > 0 {
					fmt.Fprintf(&b, "          derived fault details: %s\n", shortNames(n, more))
				}
			}
		}
		if len(bd.skipped) > 0 {
			fmt.Fprintf(&b, "      Skipped (rpc/encoded or unsupported): %s\n", strings.Join(bd.skipped, ", "))
		}
	}
	if len(m.skippedPorts) > 0 {
		fmt.Fprintf(&b, "Skipped non-SOAP ports: %s\n", strings.Join(m.skippedPorts, ", "))
	}
	fmt.Fprintf(&b, "Types: %d\n", len(m.types))
	if len(m.problems) > 0 {
		b.WriteString("Skipped (the WSDL refers to what none of its files defines):\n")
		for _, pr := range m.problems {
			fmt.Fprintf(&b, "  %s\n", pr.note())
		}
	}
	if len(m.remotes) > 0 {
		b.WriteString("Remote locations:\n")
		for _, r := range m.remotes {
			how := r.how
			switch how {
			case "mapped":
				how = "mapped to " + r.path
			case "refused":
				how = "refused (not fetched without -allow-remote; -schema-map URL=PATH maps it to a local copy)"
			}
			fmt.Fprintf(&b, "  %s: %s\n", r.url, how)
		}
	}
	return b.String(), nil
}

// typeNames lists the Go names of ts.
func typeNames(n *names, ts []*goType) string {
	var s []string
	for _, t := range ts {
		s = append(s, n.typ(t))
	}
	return strings.Join(s, ", ")
}

// signature shows a body type with its fields, zeep style:
// Login{Username string, Password string}.
func signature(n *names, t *goType) string {
	fs := fieldsOf(t)
	if len(fs) == 0 {
		return n.typ(t)
	}
	var parts []string
	for _, f := range fs {
		parts = append(parts, n.field(f)+" "+typeString(n, f.typ))
	}
	return n.typ(t) + "{" + strings.Join(parts, ", ") + "}"
}

// typeString is the Go type of r as it reads in source.
func typeString(n *names, r ref) string {
	s := ""
	if r.slice {
		s = "[]"
	} else if r.ptr {
		s = "*"
	}
	base := ""
	switch {
	case r.t != nil:
		base = n.typ(r.t)
	case r.b.rt:
		base = "runtime." + r.b.ident
	default:
		base = r.b.ident
	}
	if r.nillable {
		return s + "runtime.Nillable[" + base + "]"
	}
	return s + base
}

// describeSession summarises a bound profile in one line.
func describeSession(s *session) string {
	p := s.prof
	var parts []string
	switch l := p.Login; {
	case l == nil:
		parts = append(parts, "no login")
	case l.Operation != nil:
		parts = append(parts, fmt.Sprintf("login by operation %s", l.Operation.Name))
	case l.HTTP != "":
		parts = append(parts, "login by HTTP "+string(l.HTTP))
	case l.WSSecurity != "":
		parts = append(parts, "login by WS-Security UsernameToken")
	default:
		parts = append(parts, "login by credential headers")
	}
	for _, t := range s.tokens {
		switch {
		case len(t.Login) > 0:
			parts = append(parts, "token from "+t.Login.String())
		case t.Header != nil:
			parts = append(parts, "token from header {"+t.element.Space+"}"+t.element.Local)
		case t.Cookie != "":
			parts = append(parts, "token from cookie "+t.Cookie)
		default:
			parts = append(parts, "token from HTTP header "+t.HTTPHeader)
		}
	}
	for _, t := range s.send {
		switch {
		case t.Header != nil:
			parts = append(parts, "sent in {"+t.element.Space+"}"+t.element.Local)
		case t.Cookie != "":
			parts = append(parts, "sent as cookie "+t.Cookie)
		default:
			parts = append(parts, "sent as HTTP header "+t.HTTPHeader.Name)
		}
	}
	if p.Rotate {
		parts = append(parts, "rotating")
	}
	parts = append(parts, "scope "+string(p.Scope))
	return fmt.Sprintf("profile %s (%s)", p.Name, strings.Join(parts, ", "))
}

// shortNames lists up to six names, else five and a count: vSphere admits
// 54 derived fault details under nearly every operation, and a few name
// the kind.
func shortNames(n *names, ts []*goType) string {
	if len(ts) <= 6 {
		return typeNames(n, ts)
	}
	return fmt.Sprintf("%s and %d more", typeNames(n, ts[:5]), len(ts)-5)
}
