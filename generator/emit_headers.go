package generator

import (
	"fmt"

	"github.com/dave/jennifer/jen"
)

// emitHeaders writes headers.go: a typed call option per declared SOAP
// header that the session does not own (Salesforce QueryOptions,
// AllOrNoneHeader; LimitInfoHeader from responses), so callers need not
// know which any goes to runtime.WithRequestHeaders.
func emitHeaders(g *gen, head fileHead) *jen.File {
	f := newFile(head)
	for _, o := range g.n.headerOpts {
		t := g.n.typ(o.t)
		if o.response {
			f.Add(commentLines(fmt.Sprintf("%s decodes the %s SOAP header of the response into h; a response without it leaves h unchanged.", o.name, o.t.xmlName.Local)))
			f.Func().Id(o.name).Params(jen.Id("h").Op("*").Id(t)).Qual(runtimePkg, "CallOption").Block(
				jen.Return(jen.Qual(runtimePkg, "WithResponseHeader").Call(jen.Id("h"))),
			)
			continue
		}
		f.Add(commentLines(fmt.Sprintf("%s sends h as the %s SOAP header of one call.", o.name, o.t.xmlName.Local)))
		f.Func().Id(o.name).Params(jen.Id("h").Op("*").Id(t)).Qual(runtimePkg, "CallOption").Block(
			jen.Return(jen.Qual(runtimePkg, "WithRequestHeaders").Call(jen.Id("h"))),
		)
	}
	return f
}
