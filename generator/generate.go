// Package generator turns a WSDL 1.1 document into the Go source of a typed
// SOAP client package that calls the wsdlsess runtime. The pipeline is load
// (own loader: imports, includes, encodings, well-known schemas) → model
// (index of components, Go type plan) → bind (session profile) → name (Go
// identifiers) → emit (jennifer). Each stage returns a value of its own
// (*model, *bound, *names, the files) and only reads what earlier stages
// returned: nothing is written back into an earlier stage's value.
package generator

import (
	"encoding/xml"
	"fmt"
	"go/token"
	"net/http"
	"path/filepath"
)

// Options configures one generation.
type Options struct {
	// WSDL is the path of the entry WSDL document.
	WSDL string
	// Package is the Go package name of the generated code.
	Package string
	// Profile is a built-in profile name ("salesforce") or the path of a
	// profile file (anything with a "/" or a .yaml/.yml extension); "" and
	// "none" mean no session.
	Profile string
	// AllowRemote permits fetching http(s) imports that are not embedded
	// well-known schemas.
	AllowRemote bool
	// HTTPClient fetches remote imports (default http.DefaultClient).
	HTTPClient *http.Client
	// Warn receives warnings (skipped operations); nil drops them.
	Warn func(string)
	// Version is the wsdlsess version named in the header of every
	// generated file; "" writes "(devel)".
	Version string
	// Strict fails on a reference to a message, element, type, portType or
	// prefix that nothing defines. Without it such a mistake leaves out
	// only what depends on it (a field, an operation, a port), with a
	// warning each and a list in the package doc; a WSDL left with no
	// operation still fails.
	Strict bool
	// SchemaMap resolves remote locations to local files: a key is a URL,
	// or a URL prefix ending in "/" whose value is a directory the rest
	// of the URL is found in. Mapped locations win over embedded copies
	// and are read without AllowRemote.
	SchemaMap map[string]string
}

// File is one generated file.
type File struct {
	Name    string
	Content []byte
}

// Generate returns the files of the generated package. It reads the WSDL
// and its imports but writes nothing.
func Generate(opts Options) ([]File, error) {
	if !token.IsIdentifier(opts.Package) || token.IsKeyword(opts.Package) || opts.Package == "_" {
		return nil, fmt.Errorf("package name %q is not a Go identifier (fix: pass -pkg with a lower-case name such as sfdc)", opts.Package)
	}
	var files []File
	err := guard("reading "+opts.WSDL, func() error {
		m, err := planModel(opts, newLoader(opts))
		if err != nil {
			return err
		}
		// Binding comes before naming: the operations a profile drives
		// get no method, so their names stay free, and the binder works
		// on XML names.
		bs, err := bindProfile(m, opts, opts.warn())
		if err != nil {
			return err
		}
		n := assignNames(m, bs)
		files, err = emit(m, bs, n, opts)
		return err
	})
	if err != nil {
		return nil, err
	}
	return files, nil
}

// warn is opts.Warn, or a function that drops warnings.
func (opts Options) warn() func(string) {
	if opts.Warn == nil {
		return func(string) {}
	}
	return opts.Warn
}

// model is the planned WSDL: its Go types, ports and bindings. It is
// built once by planModel and only read by the later stages, which
// return their results as values of their own (bound, names).
type model struct {
	types    []*goType
	ports    []*port
	bindings []*binding
	single   bool
	tns      string
	// source is the entry WSDL's file name, doc its documentation.
	source, doc string
	// skippedPorts are service/port names of non-SOAP ports.
	skippedPorts []string
	// elements maps global element names to their types (header lookup).
	elements map[xml.Name]*goType
	// derived are the fault details admitted for a declared fault's
	// derived types; namespaced the types some element with a namespace
	// has (see namespacedTypes).
	derived    derivedFaults
	namespaced map[*goType]bool
	// problems are what was left out for dangling references (Strict off).
	problems []problem
	// remotes are the remote locations loaded and how each resolved.
	remotes []remoteLoc
}

// planModel loads the WSDL with loader l (Inspect sets it to list
// refused remote locations rather than fail on them) and plans its Go
// types, ports and bindings.
func planModel(opts Options, l *loader) (*model, error) {
	warn := opts.warn()
	if err := l.load(opts.WSDL); err != nil {
		return nil, err
	}
	ix := buildIndex(l)
	p := newPlanner(ix)
	// Warnings wait until the model is known to be usable: when it is
	// not, the error says why, and warnings about the parts it could not
	// use would only repeat it.
	var held []string
	p.warn = func(s string) { held = append(held, s) }
	p.strict = opts.Strict
	// Every global type and element of the WSDL's own schemas is built
	// (and so checked: a broken declaration fails even when no message
	// uses it). Those of embedded well-known schemas (SOAP encoding has
	// some fifty) are built only when something refers to them.
	for _, qn := range ix.typeOrder {
		if c := ix.types[qn]; !c.s.wellKnown {
			p.globalType(qn, c)
		}
	}
	for _, qn := range ix.elemOrder {
		if c := ix.elements[qn]; !c.s.wellKnown {
			if _, e := p.elemContent(c, nil); e != nil {
				p.skip(e, "element "+qn.Local)
			}
		}
	}
	ports, bindings, skippedPorts := buildPorts(ix, p, func(s string) {
		if p.err == nil {
			p.warn(s)
		}
	})
	if p.err != nil {
		return nil, p.err
	}
	if err := usable(p, bindings); err != nil {
		return nil, err
	}
	for _, s := range held {
		warn(s)
	}
	p.warn = warn
	// It builds the element structs of the derived faults, so it runs
	// before the type list is taken.
	derived := admitDerivedFaults(ix, p, bindings)
	m := &model{types: p.types, ports: ports, bindings: bindings, skippedPorts: skippedPorts, single: len(ports) == 1, tns: l.defs[0].attr("targetNamespace"),
		source: filepath.Base(opts.WSDL), doc: l.defs[0].doc(), elements: p.byElem, problems: p.problems, remotes: l.remotes,
		derived: derived, namespaced: namespacedTypes(p.types)}
	return m, nil
}

// gen is what emit reads: the planned model, the sessions bound to it
// and the names of both. emit builds it once, complete, before any file
// is written; the emit functions only read it.
type gen struct {
	m  *model
	bs *bound
	n  *names
}

// namespacedTypes returns every struct that appears as an element with a
// namespace: element and wrapper types, and the types of fields with a
// qualified name (through holders, every concrete type). Its unqualified
// children then need the prefixed encoding (qualifiedMarshal). It is a
// set of its own, computed once the type list is complete, because a
// type's uses are known only then and the types are not written again.
func namespacedTypes(types []*goType) map[*goType]bool {
	out := map[*goType]bool{}
	mark := func(t *goType) {
		if t == nil {
			return
		}
		if t.kind == kPoly {
			for _, c := range t.concrete {
				out[c] = true
			}
			return
		}
		out[t] = true
	}
	for _, t := range types {
		if t.xmlName != nil && t.xmlName.Space != "" {
			mark(t)
		}
		for _, f := range fieldsOf(t) {
			if (f.kind == fElem || f.kind == fAttr) && f.xmlName.Space != "" {
				mark(f.typ.t)
			}
		}
	}
	return out
}
