package generator

import (
	"encoding/xml"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// port is one SOAP port of a service: one generated client.
type port struct {
	service, name, endpoint string
	doc                     string
	binding                 *binding
	// unbound: the WSDL names no service at all (SAP PI/CPI exports stop
	// at the binding), so this client stands for the binding name and the
	// caller supplies the endpoint.
	unbound bool
}

// binding is one SOAP 1.1 or 1.2 binding with its operations.
type binding struct {
	qname   xml.Name
	soap    int // 1 or 2
	style   string
	ops     []*operation
	skipped []string
}

// operation is one bound operation.
type operation struct {
	name       string
	doc        string
	action     string
	style      string
	in, out    *goType
	oneWay     bool
	headers    []*goType
	outHeaders []*goType
	faults     []*goType
	// faultNames are the names of the operation's wsdl:fault elements and
	// their messages: words a gone rule's fault-code must not be, since
	// they never travel on the wire (bind_gone.go).
	faultNames []string
	// encoded: rpc/encoded (SOAP encoding on the wire, section 5).
	encoded bool
}

// buildPorts walks services → ports → bindings → portTypes → messages.
func buildPorts(ix *index, p *planner, warn func(string)) ([]*port, []*binding, []string) {
	bindings := map[xml.Name]*binding{}
	var ports []*port
	var order []*binding
	var skipped []string
	for _, svc := range ix.services {
		for _, pn := range svc.kids(nsWSDL, "port") {
			a := pn.kid(nsSOAP11, "address")
			if a == nil {
				a = pn.kid(nsSOAP12, "address")
			}
			if a == nil && !bindsSOAP(ix, pn) {
				// HTTP GET/POST or another non-SOAP port: no client.
				skipped = append(skipped, svc.attr("name")+"/"+pn.attr("name"))
				continue
			}
			addr := portEndpoint(pn, a, warn)
			bq, err := pn.qname(pn.attr("binding"))
			if err != nil {
				p.drop(errAt(pn, "wsdl:port", "declare the prefix", "%v", err), "port "+pn.attr("name"))
				continue
			}
			b, ok := bindings[bq]
			if !ok {
				bn, found := ix.bindings[bq]
				if !found {
					// Tolerated (gowsdl's own stock.wsdl fixture has it): the
					// types still generate, the port cannot.
					warn(errAt(pn, "wsdl:port", "define the binding or import the WSDL that does", "port %s skipped: binding {%s}%s is not defined", pn.attr("name"), bq.Space, bq.Local).Error())
					continue
				}
				b = buildBinding(ix, p, bq, bn, warn)
				if b == nil {
					continue
				}
				bindings[bq] = b
				order = append(order, b)
			}
			ports = append(ports, &port{service: svc.attr("name"), name: pn.attr("name"), endpoint: addr, binding: b, doc: pn.doc()})
		}
	}
	if len(ix.services) == 0 {
		// No service at all, as SAP PI/CPI and other ESB exports ship
		// them: the endpoint is configured, not published. Each SOAP
		// binding still has operations worth a client; without this the
		// package would hold types only. (A WSDL whose services are all
		// HTTP-only keeps its choice: no SOAP client.)
		for _, bq := range ix.bindingOrder {
			b := buildBinding(ix, p, bq, ix.bindings[bq], warn)
			if b == nil {
				continue
			}
			order = append(order, b)
			ports = append(ports, &port{name: bq.Local, binding: b, doc: ix.bindings[bq].doc(), unbound: true})
		}
	}
	return ports, order, skipped
}

// bindsSOAP says whether a port's binding is a SOAP 1.1 or 1.2 binding.
// A port is SOAP by its binding, not its address: Exchange Web Services
// ships its soap:address commented out.
func bindsSOAP(ix *index, pn *node) bool {
	bq, err := pn.qname(pn.attr("binding"))
	if err != nil {
		return false
	}
	bn := ix.bindings[bq]
	return bn != nil && (bn.kid(nsSOAP11, "binding") != nil || bn.kid(nsSOAP12, "binding") != nil)
}

// portEndpoint is the endpoint a port publishes, or "" when it publishes
// none that can be called: no soap:address, or a location that is not an
// absolute http(s) URL (Workday ships location="Human_Resources"). With ""
// the client needs runtime.WithEndpoint, and says so, instead of failing
// at the first call with "unsupported protocol scheme".
func portEndpoint(pn, a *node, warn func(string)) string {
	fix := "pass runtime.WithEndpoint(url) to the client"
	if a == nil {
		warn(errAt(pn, "wsdl:port", fix, "port %s has no soap:address; its client has no default endpoint", pn.attr("name")).Error())
		return ""
	}
	loc := strings.TrimSpace(a.attr("location"))
	if u, err := url.Parse(loc); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		warn(errAt(a, "soap:address", fix, "port %s has location %q, which is not an absolute http(s) URL; its client has no default endpoint", pn.attr("name"), loc).Error())
		return ""
	}
	return loc
}

func buildBinding(ix *index, p *planner, bq xml.Name, bn *node, warn func(string)) *binding {
	b := &binding{qname: bq}
	if sb := bn.kid(nsSOAP11, "binding"); sb != nil {
		b.soap, b.style = 1, sb.attr("style")
	} else if sb := bn.kid(nsSOAP12, "binding"); sb != nil {
		b.soap, b.style = 2, sb.attr("style")
	} else {
		return nil
	}
	if b.style == "" {
		b.style = "document"
	}
	ptq, err := bn.qname(bn.attr("type"))
	if err != nil {
		p.drop(errAt(bn, "wsdl:binding", "declare the prefix", "%v", err), "binding "+bq.Local)
		return nil
	}
	pt, ok := ix.portTypes[ptq]
	if !ok {
		e := errAt(bn, "wsdl:binding", "define the portType or import the WSDL that does", "portType {%s}%s is not defined", ptq.Space, ptq.Local)
		alt, found := portTypeByLocal(ix, ptq.Local)
		if !found || p.strict {
			p.drop(e, "binding "+bq.Local)
			return nil
		}
		// The binding spells the portType's namespace wrong (a copied
		// prefix, a renamed targetNamespace); the one portType of that
		// name is what it means.
		p.warn(errAt(bn, "wsdl:binding", "correct the namespace of the binding's type attribute", "portType {%s}%s is not defined; binding %s uses {%s}%s, the only portType named %s", ptq.Space, ptq.Local, bq.Local, alt.Space, alt.Local, alt.Local).Error())
		pt = ix.portTypes[alt]
	}
	soapNS := nsSOAP11
	if b.soap == 2 {
		soapNS = nsSOAP12
	}
	ptOps := map[string]*node{}
	for _, cand := range pt.kids(nsWSDL, "operation") {
		if _, dup := ptOps[cand.attr("name")]; !dup {
			ptOps[cand.attr("name")] = cand
		}
	}
	for _, bo := range bn.kids(nsWSDL, "operation") {
		name := bo.attr("name")
		po := ptOps[name]
		if po == nil {
			p.drop(errAt(bo, "wsdl:operation", "add the operation to the portType or remove it from the binding", "operation %q is not in portType %s", name, ptq.Local), "operation "+name)
			continue
		}
		op := &operation{name: name, style: b.style, doc: po.doc()}
		if so := bo.kid(soapNS, "operation"); so != nil {
			op.action = so.attr("soapAction")
			if st := so.attr("style"); st != "" {
				op.style = st
			}
		}
		bin, bout := bo.kid(nsWSDL, "input"), bo.kid(nsWSDL, "output")
		if isEncoded(bin, soapNS) || isEncoded(bout, soapNS) {
			if !encodable(op, b, bin, bout, soapNS) {
				b.skipped = append(b.skipped, name)
				continue
			}
			op.encoded = true
		}
		if ok, e := buildMessages(ix, p, op, po, bin, bout, soapNS); e != nil {
			p.drop(e, "operation "+name)
			continue
		} else if !ok {
			b.skipped = append(b.skipped, name)
			continue
		}
		for _, f := range po.kids(nsWSDL, "fault") {
			what := "fault " + f.attr("name") + " of operation " + name
			mq, err := f.qname(f.attr("message"))
			if err != nil {
				p.skip(errAt(f, "wsdl:fault", "declare the prefix", "%v", err), what)
				continue
			}
			op.faultNames = append(op.faultNames, f.attr("name"), mq.Local)
			m, ok := ix.messages[mq]
			if !ok {
				p.skip(errAt(f, "wsdl:fault", "define the message", "message {%s}%s is not defined", mq.Space, mq.Local), what)
				continue
			}
			for _, part := range m.kids(nsWSDL, "part") {
				if part.attr("element") != "" {
					eq, err := part.qname(part.attr("element"))
					if err != nil {
						p.skip(errAt(part, "wsdl:part", "declare the prefix", "%v", err), what)
						continue
					}
					t, e := p.elementType(part, eq)
					if e != nil {
						p.skip(e, what)
						continue
					}
					op.faults = append(op.faults, t)
				}
			}
		}
		b.ops = append(b.ops, op)
	}
	if len(b.skipped) > 0 {
		warn(fmt.Sprintf("binding %s: skipped rpc/encoded or unsupported operations: %s", bq.Local, strings.Join(b.skipped, ", ")))
	}
	return b
}

// portTypeByLocal finds the one portType named local in any namespace.
func portTypeByLocal(ix *index, local string) (xml.Name, bool) {
	var found []xml.Name
	for qn := range ix.portTypes {
		if qn.Local == local {
			found = append(found, qn)
		}
	}
	if len(found) != 1 {
		return xml.Name{}, false
	}
	return found[0], true
}

func isEncoded(n *node, soapNS string) bool {
	if n == nil {
		return false
	}
	body := n.kid(soapNS, "body")
	return body != nil && body.attr("use") == "encoded"
}

// encodable reports whether an operation with an encoded body is one the
// runtime encodes: rpc style, SOAP 1.1 encoding on every body it binds
// (a literal input with an encoded output has no precedent worth a
// mixed encoder), on a SOAP 1.1 binding.
func encodable(op *operation, b *binding, bin, bout *node, soapNS string) bool {
	if op.style != "rpc" || b.soap == 2 {
		return false
	}
	for _, n := range []*node{bin, bout} {
		if n == nil {
			continue
		}
		body := n.kid(soapNS, "body")
		if body == nil {
			continue
		}
		if body.attr("use") != "encoded" {
			return false
		}
		if es := body.attr("encodingStyle"); es != "" && !slices.Contains(strings.Fields(es), nsSOAPEnc) && !slices.Contains(strings.Fields(es), strings.TrimSuffix(nsSOAPEnc, "/")) {
			return false
		}
	}
	return true
}

// buildMessages sets op's input, output and header types; false means the
// operation cannot be represented (reported as skipped), an error that a
// message refers to what no loaded file defines.
func buildMessages(ix *index, p *planner, op *operation, po, bin, bout *node, soapNS string) (bool, *Error) {
	in, out := po.kid(nsWSDL, "input"), po.kid(nsWSDL, "output")
	op.oneWay = out == nil
	var ok bool
	var e *Error
	if in != nil {
		if op.in, ok, e = bodyType(ix, p, op, in, bin, soapNS, false); !ok || e != nil {
			return ok, e
		}
	}
	if out != nil {
		if op.out, ok, e = bodyType(ix, p, op, out, bout, soapNS, true); !ok || e != nil {
			return ok, e
		}
	}
	op.headers = headerTypes(ix, p, op, bin, soapNS)
	op.outHeaders = headerTypes(ix, p, op, bout, soapNS)
	return true, nil
}

// headerTypes returns the types of the headers bound in bn; a header whose
// message or element is not defined is left out (see skip).
func headerTypes(ix *index, p *planner, op *operation, bn *node, soapNS string) []*goType {
	if bn == nil {
		return nil
	}
	var out []*goType
	for _, h := range bn.kids(soapNS, "header") {
		what := "header " + h.attr("part") + " of operation " + op.name
		mq, err := h.qname(h.attr("message"))
		if err != nil {
			p.skip(errAt(h, "soap:header", "declare the prefix", "%v", err), what)
			continue
		}
		m, ok := ix.messages[mq]
		if !ok {
			p.skip(errAt(h, "soap:header", "define the message", "message {%s}%s is not defined", mq.Space, mq.Local), what)
			continue
		}
		for _, part := range m.kids(nsWSDL, "part") {
			if part.attr("name") != h.attr("part") {
				continue
			}
			if part.attr("element") == "" {
				if part.attr("type") == "" {
					continue
				}
				t, e := headerPartType(p, h, part)
				if e != nil {
					p.skip(e, what)
					continue
				}
				out = append(out, t)
				continue
			}
			eq, err := part.qname(part.attr("element"))
			if err != nil {
				p.skip(errAt(part, "wsdl:part", "declare the prefix", "%v", err), what)
				continue
			}
			t, e := p.elementType(part, eq)
			if e != nil {
				p.skip(e, what)
				continue
			}
			out = append(out, t)
		}
	}
	return out
}

// headerPartType is the type of a header part declared with a type: the
// header element is named after the part, in the soap:header's namespace
// (none without one), as for a document body part with a type.
func headerPartType(p *planner, h, part *node) (*goType, *Error) {
	xn := xml.Name{Space: h.attr("namespace"), Local: part.attr("name")}
	if t, ok := p.headerParts[xn]; ok {
		return t, nil
	}
	t := p.add(&goType{kind: kStruct, cand: goName(xn.Local), prio: 3, key: "header part " + xn.Space + " " + xn.Local, qname: xn, xmlName: &xn, built: true})
	t.doc = fmt.Sprintf("is the SOAP header part %s, the element {%s}%s.", xn.Local, xn.Space, xn.Local)
	r, e := typeOfPart(p, part)
	if e != nil {
		p.unadd(t)
		return nil, e
	}
	switch {
	case r.t != nil && r.t.kind == kStruct:
		t.copyOf = r.t
	case r.t != nil && r.t.kind == kPoly:
		t.copyOf = r.t.base
	case r.b != nil && r.b.ident == "XSDAnyType":
		t.fields = []*goField{{cand: "Content", typ: ref{b: ptrB(builtin{ident: "[]byte"})}, kind: fInnerXML}}
	default:
		t.fields = []*goField{{cand: "Value", typ: r, kind: fText}}
	}
	if p.headerParts == nil {
		p.headerParts = map[xml.Name]*goType{}
	}
	p.headerParts[xn] = t
	return t, nil
}

// bodyType returns the Go type of a message body: the part's element
// (document), or a wrapper named after the operation (rpc). The error is a
// reference to what no loaded file defines.
func bodyType(ix *index, p *planner, op *operation, pm, bm *node, soapNS string, response bool) (*goType, bool, *Error) {
	mq, err := pm.qname(pm.attr("message"))
	if err != nil {
		return nil, true, errAt(pm, "wsdl:"+pm.Name.Local, "declare the prefix", "%v", err)
	}
	m, ok := ix.messages[mq]
	if !ok {
		return nil, true, errAt(pm, "wsdl:"+pm.Name.Local, "define the message or import the WSDL that does", "message {%s}%s is not defined", mq.Space, mq.Local)
	}
	parts := m.kids(nsWSDL, "part")
	var body *node
	if bm != nil {
		body = bm.kid(soapNS, "body")
	}
	if body != nil && body.hasAttr("parts") {
		want := strings.Fields(body.attr("parts"))
		var sel []*node
		for _, pt := range parts {
			for _, w := range want {
				if pt.attr("name") == w {
					sel = append(sel, pt)
				}
			}
		}
		parts = sel
	}
	// Parts bound as headers are not in the body.
	if bm != nil {
		for _, h := range bm.kids(soapNS, "header") {
			if hq, err := h.qname(h.attr("message")); err == nil && hq == mq {
				var keep []*node
				for _, pt := range parts {
					if pt.attr("name") != h.attr("part") {
						keep = append(keep, pt)
					}
				}
				parts = keep
			}
		}
	}
	// A part with neither attribute has no type to emit; without this check
	// the rpc wrapper got a typeless field and the emitter crashed (found
	// by FuzzGenerate, testdata/fuzz/FuzzGenerate/15c8cfca940a6885).
	for _, pt := range parts {
		if pt.attr("element") == "" && pt.attr("type") == "" {
			p.fail(errAt(pt, "wsdl:part", "give the part an element= or a type= attribute", "part %q of message %s has neither element nor type", pt.attr("name"), mq.Local))
			return nil, false, nil
		}
	}
	if op.style == "rpc" {
		ns := ""
		if body != nil {
			ns = body.attr("namespace")
		}
		local := op.name
		if response {
			local += "Response"
		}
		xn := xml.Name{Space: ns, Local: local}
		key, use := "rpc ", "literal"
		if op.encoded {
			key, use = "rpcenc ", "encoded"
		}
		t := p.add(&goType{kind: kStruct, cand: goName(local), prio: 3, key: key + ns + " " + local, qname: xn, xmlName: &xn, built: true, encoded: op.encoded})
		t.doc = "is the rpc/" + use + " wrapper of operation " + op.name + "."
		for _, pt := range parts {
			f := &goField{cand: goName(pt.attr("name")), xmlName: xml.Name{Local: pt.attr("name")}}
			switch {
			case pt.attr("element") != "":
				eq, err := pt.qname(pt.attr("element"))
				if err != nil {
					p.unadd(t)
					return nil, true, errAt(pt, "wsdl:part", "declare the prefix", "%v", err)
				}
				et, e := p.elementType(pt, eq)
				if e != nil {
					p.unadd(t)
					return nil, true, e
				}
				f.typ = ref{t: et, ptr: true}
				f.xmlName = eq
			case pt.attr("type") != "":
				r, e := typeOfPart(p, pt)
				if e != nil {
					p.unadd(t)
					return nil, true, e
				}
				f.typ = r
			}
			t.fields = append(t.fields, f)
		}
		return t, true, nil
	}
	if len(parts) == 0 {
		return nil, true, nil
	}
	if len(parts) > 1 {
		return bodyPartsType(p, op, parts, response)
	}
	pt := parts[0]
	if pt.attr("element") != "" {
		eq, err := pt.qname(pt.attr("element"))
		if err != nil {
			return nil, true, errAt(pt, "wsdl:part", "declare the prefix", "%v", err)
		}
		t, e := p.elementType(pt, eq)
		return t, true, e
	}
	// A document part with a type: the part name is the element.
	xn := xml.Name{Local: pt.attr("name")}
	suffix := "Input"
	if response {
		suffix = "Output"
	}
	t := p.add(&goType{kind: kStruct, cand: goName(op.name) + suffix, prio: 3, key: "part " + op.name + suffix, qname: xn, xmlName: &xn, built: true})
	r, e := typeOfPart(p, pt)
	if e != nil {
		p.unadd(t)
		return nil, true, e
	}
	if r.t != nil && r.t.kind == kStruct {
		t.copyOf = r.t
	} else {
		t.fields = []*goField{{cand: "Value", typ: r, kind: fText}}
	}
	return t, true, nil
}

// bodyPartsType is the input or output type of a document operation whose
// message has several body parts: one field per part, each an element
// child of the Body in order (the part's element, or an element named
// after a part declared with a type).
func bodyPartsType(p *planner, op *operation, parts []*node, response bool) (*goType, bool, *Error) {
	suffix := "Input"
	if response {
		suffix = "Output"
	}
	t := p.add(&goType{kind: kStruct, cand: goName(op.name) + suffix, prio: 3, key: "parts " + op.name + suffix, built: true})
	t.doc = "is the " + strings.ToLower(suffix) + " of operation " + op.name + ", a message of several body parts: each field is one element child of the SOAP Body, in this order."
	for _, pt := range parts {
		f := &goField{cand: goName(pt.attr("name"))}
		var name xml.Name
		if pt.attr("element") != "" {
			eq, err := pt.qname(pt.attr("element"))
			if err != nil {
				p.unadd(t)
				return nil, true, errAt(pt, "wsdl:part", "declare the prefix", "%v", err)
			}
			et, e := p.elementType(pt, eq)
			if e != nil {
				p.unadd(t)
				return nil, true, e
			}
			f.typ, name = ref{t: et, ptr: true}, eq
		} else {
			r, e := typeOfPart(p, pt)
			if e != nil {
				p.unadd(t)
				return nil, true, e
			}
			f.typ, name = r, xml.Name{Local: pt.attr("name")}
		}
		f.xmlName = name
		t.fields = append(t.fields, f)
	}
	t.bodyParts = true
	return t, true, nil
}

func typeOfPart(p *planner, pt *node) (ref, *Error) {
	qn, err := pt.qname(pt.attr("type"))
	if err != nil {
		return ref{}, errAt(pt, "wsdl:part", "declare the prefix", "%v", err)
	}
	r, e := p.lookupTypeName(pt, qn)
	if e != nil {
		return ref{}, e
	}
	if r.t != nil && (r.t.kind == kStruct || r.t.kind == kPoly) || r.b != nil && r.b.ident == "XSDAnyType" {
		r.ptr = true
	}
	return r, nil
}
