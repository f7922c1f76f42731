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
	needInvoke := false
	for _, pt := range m.ports {
		for _, op := range pt.binding.ops {
			if op.hidden {
				continue
			}
			emitMethod(f, pt, op)
			needInvoke = needInvoke || op.out != nil
		}
	}
	if needInvoke {
		emitInvoke(f)
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
	if op.out == nil {
		f.Func().Params(recv).Id(name).Params(params...).Error().Block(
			jen.Return(jen.Id("c").Dot("rc").Dot("Invoke").Call(jen.Id("ctx"), jen.Op("&").Id(op.goVar), inArg, jen.Nil(), jen.Id("opts").Op("..."))),
		)
		return
	}
	// One generic helper (emitInvoke) keeps each method to one line, which
	// also keeps gofmt's share of a 1000-operation WSDL small.
	f.Func().Params(recv).Id(name).Params(params...).Params(jen.Op("*").Id(op.out.name), jen.Error()).Block(
		jen.Return(jen.Id(invokeHelper).Types(jen.Id(op.out.name)).Call(jen.Id("ctx"), jen.Id("c").Dot("rc"), jen.Op("&").Id(op.goVar), inArg, jen.Id("opts"))),
	)
}

// invokeHelper is the generated package's generic call helper.
const invokeHelper = "invoke"

// emitInvoke writes the helper every method with a response calls.
func emitInvoke(f *jen.File) {
	f.Comment(invokeHelper + " sends in as the body of op and decodes the response body into a new Out.")
	f.Func().Id(invokeHelper).Types(jen.Id("Out").Any()).Params(
		jen.Id("ctx").Qual("context", "Context"),
		jen.Id("rc").Op("*").Qual(runtimePkg, "Client"),
		jen.Id("op").Op("*").Qual(runtimePkg, "Operation"),
		jen.Id("in").Any(),
		jen.Id("opts").Index().Qual(runtimePkg, "CallOption"),
	).Params(jen.Op("*").Id("Out"), jen.Error()).Block(
		jen.Id("out").Op(":=").New(jen.Id("Out")),
		jen.If(jen.Err().Op(":=").Id("rc").Dot("Invoke").Call(jen.Id("ctx"), jen.Id("op"), jen.Id("in"), jen.Id("out"), jen.Id("opts").Op("...")), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("out"), jen.Nil()),
	)
}
