package generator

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
)

// emitOperations writes operations.go: shared fault lists, one
// impl.Operation per bound operation and one method per port and
// operation.
// It returns units (see emit) so a large binding renders in parallel.
func emitOperations(g *gen) []unit {
	m, n := g.m, g.n
	var units []unit
	// Operations of one binding mostly declare the same faults; each
	// distinct list is written once (vboxweb: 1158 operations, 3 lists),
	// and so is each declared fault's list of derived elements, which
	// the lists share (vSphere: 178 lists, one of 54 derived elements).
	seen := map[*goType]bool{}
	for _, fs := range n.faultSets {
		for _, ft := range fs.declared {
			if n.derivedVar(ft) != "" && !seen[ft] {
				seen[ft] = true
				units = append(units, jenUnit(func(f *jen.File) { emitDerivedFaults(f, g, ft) }))
			}
		}
	}
	for _, fs := range n.faultSets {
		units = append(units, jenUnit(func(f *jen.File) { emitFaultSet(f, n, fs) }))
	}
	for _, b := range m.bindings {
		for _, op := range b.ops {
			units = append(units, jenUnit(func(f *jen.File) { emitOperationVar(f, n, b, op) }))
		}
	}
	needInvoke := false
	for _, pt := range m.ports {
		for _, op := range pt.binding.ops {
			if g.bs.isDriven(op) {
				continue
			}
			units = append(units, jenUnit(func(f *jen.File) { emitMethod(f, g, pt, op) }))
			needInvoke = needInvoke || op.out != nil
		}
	}
	if needInvoke {
		units = append(units, jenUnit(emitInvoke))
	}
	return units
}

// faultEntries are the impl.FaultType lines of the fault elements ts.
func faultEntries(n *names, ts []*goType) []jen.Code {
	var out []jen.Code
	for _, ft := range ts {
		out = append(out, jen.Line().Qual(implPkg, "FaultTypeOf").Types(jen.Id(n.typ(ft))).Call(jen.Lit(ft.xmlName.Space), jen.Lit(ft.xmlName.Local)))
	}
	return append(out, jen.Line())
}

// emitDerivedFaults writes the list of elements whose type derives from
// fault element ft's type, shared by every fault list that declares ft.
func emitDerivedFaults(f *jen.File, g *gen, ft *goType) {
	n, derived, v := g.n, g.m.derived.of[ft], g.n.derivedVar(ft)
	var ds []string
	for _, d := range derived {
		ds = append(ds, n.typ(d))
	}
	f.Add(commentLines(fmt.Sprintf("%s lists the fault details of a type derived from %s's, which a server may send where an operation declares %s: %s.", v, n.typ(ft), n.typ(ft), strings.Join(ds, ", "))))
	f.Var().Id(v).Op("=").Index().Qual(implPkg, "FaultType").Custom(jen.Options{Open: "{", Close: "}", Separator: ","}, faultEntries(n, derived)...)
}

// emitFaultSet writes one shared list of fault details: the declared
// ones, then the derived lists of those that have one.
func emitFaultSet(f *jen.File, n *names, fs *faultSet) {
	var declared, derived []string
	var lists []jen.Code
	for _, ft := range fs.declared {
		declared = append(declared, n.typ(ft))
		if v := n.derivedVar(ft); v != "" {
			derived = append(derived, v)
			lists = append(lists, jen.Id(v))
		}
	}
	doc := fmt.Sprintf("%s lists the fault details %s, declared by %s.", fs.name, strings.Join(declared, ", "), listed(fs.users, 6))
	if len(derived) > 0 {
		doc += fmt.Sprintf(" Then those of a type derived from theirs, which a server may send instead (%s).", strings.Join(derived, ", "))
	}
	f.Add(commentLines(doc))
	list := jen.Index().Qual(implPkg, "FaultType").Custom(jen.Options{Open: "{", Close: "}", Separator: ","}, faultEntries(n, fs.declared)...)
	if len(lists) == 0 {
		f.Var().Id(fs.name).Op("=").Add(list)
		return
	}
	f.Var().Id(fs.name).Op("=").Qual("slices", "Concat").Call(append([]jen.Code{list}, lists...)...)
}

// emitOperationVar writes the impl.Operation descriptor of op.
func emitOperationVar(f *jen.File, n *names, b *binding, op *operation) {
	d := jen.Dict{
		jen.Id("Name"): jen.Lit(op.name),
		jen.Id("SOAP"): soapConst(b.soap),
	}
	if op.action != "" {
		d[jen.Id("Action")] = jen.Lit(op.action)
	}
	if op.oneWay {
		d[jen.Id("OneWay")] = jen.True()
	}
	if fs := n.faultSet(op); fs != nil {
		d[jen.Id("Faults")] = jen.Id(fs.name)
	}
	if op.encoded {
		d[jen.Id("Encoded")] = jen.Id(soapEncVar)
	}
	f.Add(commentLines(fmt.Sprintf("%s is operation %s of binding %s.", n.opVar(op), op.name, b.qname.Local)))
	f.Var().Id(n.opVar(op)).Op("=").Qual(implPkg, "Operation").Values(d)
}

// emitMethod writes one typed method that hands its operation
// descriptor to the runtime's single Invoke path; one generic helper
// (emitInvoke) keeps it to one line.
func emitMethod(f *jen.File, g *gen, pt *port, op *operation) {
	n := g.n
	f.Add(commentLines(methodDoc(g, pt, op)))
	params := []jen.Code{jen.Id("ctx").Qual("context", "Context")}
	inArg := jen.Nil()
	if op.in != nil {
		params = append(params, jen.Id("in").Op("*").Id(n.typ(op.in)))
		inArg = jen.Id("in")
	}
	params = append(params, jen.Id("opts").Op("...").Qual(runtimePkg, "CallOption"))
	pn := n.port(pt)
	recv := jen.Id("c").Op("*").Id(pn.client)
	if op.out == nil {
		f.Func().Params(recv).Id(pn.methods[op]).Params(params...).Error().Block(
			jen.Return(jen.Id("c").Dot("rc").Dot("Invoke").Call(jen.Id("ctx"), jen.Op("&").Id(n.opVar(op)), inArg, jen.Nil(), jen.Id("opts").Op("..."))),
		)
		return
	}
	f.Func().Params(recv).Id(pn.methods[op]).Params(params...).Params(jen.Op("*").Id(n.typ(op.out)), jen.Error()).Block(
		jen.Return(jen.Id(invokeHelper).Types(jen.Id(n.typ(op.out))).Call(jen.Id("ctx"), jen.Id("c").Dot("rc"), jen.Op("&").Id(n.opVar(op)), inArg, jen.Id("opts"))),
	)
}

// methodDoc is the doc comment of op's method on port pt.
func methodDoc(g *gen, pt *port, op *operation) string {
	n := g.n
	name := n.port(pt).methods[op]
	doc := fmt.Sprintf("%s calls operation %s.", name, op.name)
	if d := cleanDoc(op.doc); d != "" {
		doc += "\n\n" + sentence(d)
	}
	if hs := headerDoc(g, pt, op.headers, false); hs != "" {
		doc += "\n\nRequest SOAP headers: " + hs + "."
	}
	if hs := headerDoc(g, pt, op.outHeaders, true); hs != "" {
		doc += "\n\nResponse SOAP headers: " + hs + "."
	}
	if len(op.faults) > 0 {
		var fs []string
		for _, ft := range op.faults {
			fs = append(fs, n.typ(ft))
		}
		doc += "\n\nDeclared faults (runtime.Fault.Detail): " + strings.Join(fs, ", ") + "."
		if more := g.m.derived.more[op]; len(more) > 0 {
			doc = doc[:len(doc)-1] + fmt.Sprintf(", or one of the %d elements of a type derived from theirs (%s).", len(more), n.faultSet(op).name)
		}
	}
	return doc
}

// invokeHelper is the generated package's generic call helper.
const invokeHelper = "invoke"

// emitInvoke writes the helper every method with a response calls.
func emitInvoke(f *jen.File) {
	f.Add(commentLines(invokeHelper + " sends in as the body of op and decodes the response body into a new Out."))
	f.Func().Id(invokeHelper).Types(jen.Id("Out").Any()).Params(
		jen.Id("ctx").Qual("context", "Context"),
		jen.Id("rc").Op("*").Qual(runtimePkg, "Client"),
		jen.Id("op").Op("*").Qual(implPkg, "Operation"),
		jen.Id("in").Any(),
		jen.Id("opts").Index().Qual(runtimePkg, "CallOption"),
	).Params(jen.Op("*").Id("Out"), jen.Error()).Block(
		jen.Id("out").Op(":=").New(jen.Id("Out")),
		jen.If(jen.Err().Op(":=").Id("rc").Dot("Invoke").Call(jen.Id("ctx"), jen.Id("op"), jen.Id("in"), jen.Id("out"), jen.Id("opts").Op("...")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("out"), jen.Nil()),
	)
}

// headerDoc lists an operation's declared headers with the option that
// carries each, or says the session sends it.
func headerDoc(g *gen, pt *port, hs []*goType, response bool) string {
	n := g.n
	var out []string
	for _, h := range hs {
		if s := g.bs.sessionOf[pt]; !response && s != nil && s.owned[h] {
			out = append(out, n.typ(h)+" (sent by the session)")
			continue
		}
		for _, o := range n.headerOpts {
			if o.t == h && o.response == response {
				out = append(out, n.typ(h)+" ("+o.name+")")
			}
		}
	}
	return strings.Join(out, ", ")
}

// sentence ends documentation text with a full stop, so gofmt does not
// take a short WSDL phrase ("Create a Query Cursor") for a doc heading.
func sentence(s string) string {
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, ":") {
		return s
	}
	return s + "."
}

// listed joins names, the first max of them and a count of the rest.
func listed(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:max], ", "), len(names)-max)
}
