// Package generator turns a WSDL 1.1 document into the Go source of a typed
// SOAP client package that calls the wsdlsess runtime. The pipeline is load
// (own loader: imports, includes, encodings, well-known schemas) → model
// (index of components, Go type plan, final names) → bind (session profile)
// → emit (jennifer).
package generator

import (
	"fmt"
	"github.com/dave/jennifer/jen"
	"go/token"
	"net/http"
	"path/filepath"
	"strings"
)

// Options configures one generation.
type Options struct {
	// WSDL is the path of the entry WSDL document.
	WSDL string
	// Package is the Go package name of the generated code.
	Package string
	// Profile names the session profile; "" and "none" mean no session.
	Profile string
	// AllowRemote permits fetching http(s) imports that are not embedded
	// well-known schemas.
	AllowRemote bool
	// HTTPClient fetches remote imports (default http.DefaultClient).
	HTTPClient *http.Client
	// Warn receives warnings (skipped operations); nil drops them.
	Warn func(string)
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
	if err := checkProfile(opts.Profile); err != nil {
		return nil, err
	}
	m, err := buildModel(opts)
	if err != nil {
		return nil, err
	}
	return emit(m, opts)
}

// model is everything emit needs: the named Go types and the ports.
type model struct {
	types    []*goType
	ports    []*port
	bindings []*binding
	single   bool
	tns      string
	// source is the entry WSDL's file name, doc its documentation.
	source, doc string
	faultSets   []*faultSet
	// skippedPorts are service/port names of non-SOAP ports.
	skippedPorts []string
}

func buildModel(opts Options) (*model, error) {
	warn := opts.Warn
	if warn == nil {
		warn = func(string) {}
	}
	l := newLoader(opts)
	if err := l.load(opts.WSDL); err != nil {
		return nil, err
	}
	ix := buildIndex(l)
	p := newPlanner(ix)
	p.warn = warn
	for _, qn := range ix.typeOrder {
		p.globalType(qn, ix.types[qn])
	}
	// Every global element is checked (and an anonymous one built), so a
	// broken declaration fails even when no message uses it.
	for _, qn := range ix.elemOrder {
		p.elementContentType(ix.elements[qn], nil)
	}
	ports, bindings, skippedPorts := buildPorts(ix, p, func(s string) {
		if p.err == nil {
			warn(s)
		}
	})
	if p.err != nil {
		return nil, p.err
	}
	m := &model{types: p.types, ports: ports, bindings: bindings, skippedPorts: skippedPorts, single: len(ports) == 1, tns: l.defs[0].attr("targetNamespace"),
		source: filepath.Base(opts.WSDL), doc: l.defs[0].doc()}
	markNamespaced(m)
	assignNames(m)
	if err := bindProfile(m, opts); err != nil {
		return nil, err
	}
	return m, nil
}

// bindProfile is step 3 of the pipeline, the seam of the profiles issue:
// it will check the profile against each port's binding (operations,
// header elements, paths; the Go names are final by now) and set
// port.profile to a *runtime.Profile literal, and mark the login/logout
// operations that get no public method (operation.hidden). The "none"
// profile is nil: calls go out bare.
func bindProfile(m *model, opts Options) error {
	if err := checkProfile(opts.Profile); err != nil {
		return err
	}
	for _, pt := range m.ports {
		pt.profile = jen.Nil()
	}
	return nil
}

// checkProfile is the seam of the profiles issue: it will resolve NAME or
// FILE into a profile and bind it to the model; for now only "none".
func checkProfile(name string) error {
	if name == "" || name == "none" {
		return nil
	}
	return fmt.Errorf("profile %q is not available yet: only -profile none is supported by this build (fix: pass -profile none)", name)
}

// markNamespaced sets nsUsed on every struct that appears as an element
// with a namespace: element and wrapper types, and the types of fields
// with a qualified name (through holders, every concrete type).
func markNamespaced(m *model) {
	mark := func(t *goType) {
		if t == nil {
			return
		}
		if t.kind == kPoly {
			for _, c := range t.concrete {
				c.nsUsed = true
			}
			return
		}
		t.nsUsed = true
	}
	for _, t := range m.types {
		if t.xmlName != nil && t.xmlName.Space != "" {
			mark(t)
		}
		for _, f := range fieldsOf(t) {
			if name, _, _ := strings.Cut(f.tag, ","); strings.Contains(name, " ") {
				mark(f.typ.t)
			}
		}
	}
}
