package generator

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
)

// emitOperations writes operations.go: shared fault lists, one
// runtime.Operation per bound operation and one method per port and
// operation.
func emitOperations(m *model, pkg string) *jen.File {
	f := newFile(pkg)
	// Operations of one binding mostly declare the same faults; each
	// distinct list is written once (vboxweb: 1158 operations, 3 lists).
	for _, fs := range m.faultSets {
		var fts []jen.Code
		var names []string
		for _, ft := range fs.types {
			names = append(names, ft.name)
			fts = append(fts, jen.Values(jen.Dict{
				jen.Id("Name"): qnameLit(*ft.xmlName),
				jen.Id("New"):  jen.Func().Params().Any().Block(jen.Return(jen.New(jen.Id(ft.name)))),
			}))
		}
		f.Comment(fmt.Sprintf("%s lists the fault details %s.", fs.name, strings.Join(names, ", ")))
		f.Var().Id(fs.name).Op("=").Index().Qual(runtimePkg, "FaultType").Values(fts...)
	}
	for _, b := range m.bindings {
		for _, op := range b.ops {
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
			if op.faultSet != nil {
				d[jen.Id("Faults")] = jen.Id(op.faultSet.name)
			}
			f.Comment(fmt.Sprintf("%s is operation %s of binding %s.", op.goVar, op.name, b.qname.Local))
			f.Var().Id(op.goVar).Op("=").Qual(runtimePkg, "Operation").Values(d)
		}
	}
	for _, pt := range m.ports {
		for _, op := range pt.binding.ops {
			emitMethod(f, pt, op)
		}
	}
	return f
}

// emitMethod writes one typed method that hands its operation descriptor
// to the runtime's single Invoke path.
func emitMethod(f *jen.File, pt *port, op *operation) {
	name := pt.methods[op]
	doc := fmt.Sprintf("%s calls operation %s.", name, op.name)
	if d := cleanDoc(op.doc); d != "" {
		doc += "\n\n" + d
	}
	if len(op.headers) > 0 {
		var hs []string
		for _, h := range op.headers {
			hs = append(hs, h.name)
		}
		doc += "\n\nRequest SOAP headers it declares (pass with runtime.WithRequestHeaders): " + strings.Join(hs, ", ") + "."
	}
	if len(op.outHeaders) > 0 {
		var hs []string
		for _, h := range op.outHeaders {
			hs = append(hs, h.name)
		}
		doc += "\n\nResponse SOAP headers it declares (read with runtime.WithResponseHeader): " + strings.Join(hs, ", ") + "."
	}
	if len(op.faults) > 0 {
		var fs []string
		for _, ft := range op.faults {
			fs = append(fs, ft.name)
		}
		doc += "\n\nDeclared faults (runtime.Fault.Detail): " + strings.Join(fs, ", ") + "."
	}
	f.Add(commentLines(doc))
	params := []jen.Code{jen.Id("ctx").Qual("context", "Context")}
	inArg := jen.Nil()
	if op.in != nil {
		params = append(params, jen.Id("in").Op("*").Id(op.in.name))
		inArg = jen.Id("in")
	}
	params = append(params, jen.Id("opts").Op("...").Qual(runtimePkg, "CallOption"))
	recv := jen.Id("c").Op("*").Id(pt.goClient)
	call := jen.Id("c").Dot("rc").Dot("Invoke").Call(jen.Id("ctx"), jen.Op("&").Id(op.goVar), inArg, jen.Id("out"), jen.Id("opts").Op("..."))
	if op.out == nil {
		f.Func().Params(recv).Id(name).Params(params...).Error().Block(
			jen.Var().Id("out").Any(),
			jen.Return(call),
		)
		return
	}
	f.Func().Params(recv).Id(name).Params(params...).Params(jen.Op("*").Id(op.out.name), jen.Error()).Block(
		jen.Id("out").Op(":=").New(jen.Id(op.out.name)),
		jen.If(jen.Err().Op(":=").Add(call), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("out"), jen.Nil()),
	)
}
