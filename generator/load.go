package generator

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/wsdlsess/wsdlsess/generator/internal/wellknown"
)

const (
	nsWSDL    = "http://schemas.xmlsoap.org/wsdl/"
	nsSOAP11  = "http://schemas.xmlsoap.org/wsdl/soap/"
	nsSOAP12  = "http://schemas.xmlsoap.org/wsdl/soap12/"
	nsXSD     = "http://www.w3.org/2001/XMLSchema"
	nsXSI     = "http://www.w3.org/2001/XMLSchema-instance"
	nsSOAPEnc = "http://schemas.xmlsoap.org/soap/encoding/"
)

// srcFile is one document read by the loader.
type srcFile struct {
	// name is how errors name the file: relative to the entry WSDL's
	// directory for local files, the URL for remote or well-known ones.
	name string
	// loc is the absolute path or URL that relative locations resolve
	// against.
	loc    string
	remote bool
	root   *node
	// wellKnown: the content is an embedded copy of a well-known schema.
	wellKnown bool
}

// schema is one xsd:schema element with the settings its components need.
type schema struct {
	n             *node
	tns           string
	elemQualified bool
	attrQualified bool
	// chameleon is set for a schema without targetNamespace included into
	// one with: its unqualified references mean the includer's namespace.
	chameleon bool
	// wellKnown: an embedded well-known schema (SOAP encoding, xml.xsd…).
	wellKnown bool
}

// resolve turns a QName attribute value of a component of s into a name.
func (s *schema) resolve(n *node, value string) (xml.Name, error) {
	q, err := n.qname(value)
	if err != nil {
		return q, err
	}
	if s.chameleon && q.Space == "" {
		q.Space = s.tns
	}
	return q, nil
}

// loader reads a WSDL and everything it imports, each file once.
type loader struct {
	allowRemote bool
	httpClient  *http.Client
	baseDir     string
	files       map[string]*srcFile
	defs        []*node   // wsdl:definitions, entry first
	schemas     []*schema // in load order
	schemaSeen  map[string]bool
	nsImports   []*node // xsd:import without schemaLocation
	// wellKnown holds the roots of the embedded well-known schemas, whose
	// types are generated only when the WSDL's own schemas use them.
	wellKnown map[*node]bool
	// schemaMap is Options.SchemaMap; remotes records how each remote
	// location was resolved, in the order first needed (inspect lists it).
	schemaMap map[string]string
	remotes   []remoteLoc
	// skipRefused: a remote location not fetched is left out (inspect
	// lists it as refused) instead of failing the load.
	skipRefused bool
}

// errRefused is what read returns for a refused remote location when the
// loader skips them.
var errRefused = errors.New("remote location refused")

// remoteLoc is one remote location the WSDL needs and how it resolved.
type remoteLoc struct {
	url string
	// how is "embedded", "mapped", "fetched" or "refused"; path is the
	// local file of a mapped one.
	how, path string
}

func newLoader(opts Options) *loader {
	hc := opts.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	return &loader{allowRemote: opts.AllowRemote, httpClient: hc, files: map[string]*srcFile{}, schemaSeen: map[string]bool{}, wellKnown: map[*node]bool{}, schemaMap: opts.SchemaMap}
}

func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// locate resolves location against the file that names it.
func (l *loader) locate(from *srcFile, location string) (loc string, remote bool) {
	location = strings.TrimSpace(location)
	if isURL(location) {
		return location, true
	}
	if from != nil && from.remote {
		base, err := url.Parse(from.loc)
		if err == nil {
			if ref, err := url.Parse(location); err == nil {
				return base.ResolveReference(ref).String(), true
			}
		}
		return location, true
	}
	location = strings.TrimPrefix(location, "file://")
	if from == nil || filepath.IsAbs(location) {
		abs, _ := filepath.Abs(location)
		return abs, false
	}
	return filepath.Join(filepath.Dir(from.loc), filepath.FromSlash(location)), false
}

// read returns the file at location (named by the element ref for errors),
// parsed, or the cached copy.
func (l *loader) read(from *srcFile, ref *node, location string) (*srcFile, error) {
	loc, remote := l.locate(from, location)
	if f, ok := l.files[loc]; ok {
		if f == nil {
			return nil, errRefused
		}
		return f, nil
	}
	f := &srcFile{loc: loc, remote: remote}
	var data []byte
	switch {
	case remote:
		f.name = loc
		if path, ok := mapLocation(l.schemaMap, loc); ok {
			var err error
			data, err = os.ReadFile(path)
			if err != nil {
				return nil, errAt(ref, construct(ref), "put the file at that path or correct the -schema-map entry", "remote location %s is mapped to %s, which cannot be read: %v", loc, path, unwrapPathErr(err))
			}
			f.name = filepath.ToSlash(path)
			l.remotes = append(l.remotes, remoteLoc{url: loc, how: "mapped", path: f.name})
			break
		}
		if wk, ok := wellknown.Lookup(loc); ok {
			data = wk
			f.wellKnown = true
			l.remotes = append(l.remotes, remoteLoc{url: loc, how: "embedded"})
			break
		}
		if !l.allowRemote {
			l.remotes = append(l.remotes, remoteLoc{url: loc, how: "refused"})
			if l.skipRefused {
				l.files[loc] = nil
				return nil, errRefused
			}
			return nil, errAt(ref, construct(ref), "download it and pass -schema-map "+loc+"=PATH, point the location at a local copy, or pass -allow-remote", "remote location %s is not fetched without -allow-remote", loc)
		}
		l.remotes = append(l.remotes, remoteLoc{url: loc, how: "fetched"})
		resp, err := l.httpClient.Get(loc)
		if err != nil {
			return nil, errAt(ref, construct(ref), "check the URL or use a local copy", "cannot fetch %s: %v", loc, err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, errAt(ref, construct(ref), "check the URL or use a local copy", "cannot fetch %s: HTTP %s", loc, resp.Status)
		}
		data, err = io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		if err != nil {
			return nil, errAt(ref, construct(ref), "check the URL or use a local copy", "cannot fetch %s: %v", loc, err)
		}
	default:
		f.name = l.display(loc)
		var err error
		data, err = os.ReadFile(loc)
		if err != nil {
			msg := "cannot read " + f.name
			if os.IsNotExist(err) {
				msg = "file " + f.name + " does not exist"
			}
			if ref == nil {
				return nil, &Error{File: f.name, Msg: msg, Fix: "pass the path of a readable WSDL file"}
			}
			return nil, errAt(ref, construct(ref), "put the file at that path or correct the location attribute", "%s (location %q)", msg, location)
		}
	}
	root, err := parseTree(f, data)
	if err != nil {
		return nil, err
	}
	f.root = root
	if f.wellKnown {
		l.wellKnown[root] = true
	}
	l.files[loc] = f
	return f, nil
}

// display names a local file relative to the entry WSDL's directory, with
// forward slashes, so messages and golden files do not depend on where the
// repository is checked out.
func (l *loader) display(loc string) string {
	if l.baseDir != "" {
		if rel, err := filepath.Rel(l.baseDir, loc); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(loc)
}

// load reads the entry WSDL and all it imports.
func (l *loader) load(entry string) error {
	abs, err := filepath.Abs(entry)
	if err != nil {
		return &Error{File: entry, Msg: err.Error()}
	}
	l.baseDir = filepath.Dir(abs)
	if fi, err := os.Stat(abs); err != nil || fi.IsDir() {
		// Named as the user gave it: the message is about their argument.
		if err == nil {
			err = syscall.EISDIR
		}
		return &Error{File: entry, Msg: fileProblem(err), Fix: "pass the path of a readable WSDL file"}
	}
	f, err := l.read(nil, nil, abs)
	if err != nil {
		return err
	}
	if f.root.Name.Space != nsWSDL || f.root.Name.Local != "definitions" {
		return errAt(f.root, "definitions", "pass a WSDL 1.1 document (root element {"+nsWSDL+"}definitions)", "the root element is {%s}%s, not a WSDL 1.1 definitions element", f.root.Name.Space, f.root.Name.Local)
	}
	if err := l.loadDefs(f); err != nil {
		return err
	}
	return l.resolveNamespaceImports()
}

func (l *loader) loadDefs(f *srcFile) error {
	for _, d := range l.defs {
		if d == f.root {
			return nil
		}
	}
	l.defs = append(l.defs, f.root)
	for _, c := range f.root.Children {
		switch {
		case c.Name.Space == nsWSDL && c.Name.Local == "import":
			loc := c.attr("location")
			if loc == "" {
				return errAt(c, "wsdl:import", "add a location attribute naming the imported file", "wsdl:import of namespace %q has no location", c.attr("namespace"))
			}
			g, err := l.read(f, c, loc)
			if err == errRefused {
				continue
			}
			if err != nil {
				return err
			}
			switch {
			case g.root.Name.Space == nsWSDL && g.root.Name.Local == "definitions":
				if err := l.loadDefs(g); err != nil {
					return err
				}
			case g.root.Name.Space == nsXSD && g.root.Name.Local == "schema":
				if err := l.addSchema(g.root, "", false); err != nil {
					return err
				}
			default:
				return errAt(c, "wsdl:import", "import a WSDL or XSD document", "%s is neither a WSDL definitions nor an XML Schema document", g.name)
			}
		case c.Name.Space == nsWSDL && c.Name.Local == "types":
			for _, s := range c.kids(nsXSD, "schema") {
				if err := l.addSchema(s, "", false); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// addSchema registers schema element n; chameleonNS is the includer's
// namespace for an include.
func (l *loader) addSchema(n *node, chameleonNS string, included bool) error {
	tns := n.attr("targetNamespace")
	cham := false
	if included && tns == "" && chameleonNS != "" {
		tns, cham = chameleonNS, true
	}
	key := fmt.Sprintf("%p|%s", n, tns)
	if l.schemaSeen[key] {
		return nil
	}
	l.schemaSeen[key] = true
	s := &schema{n: n, tns: tns, chameleon: cham, wellKnown: l.wellKnown[n],
		elemQualified: n.attr("elementFormDefault") == "qualified",
		attrQualified: n.attr("attributeFormDefault") == "qualified"}
	l.schemas = append(l.schemas, s)
	for _, c := range n.Children {
		if c.Name.Space != nsXSD {
			continue
		}
		switch c.Name.Local {
		case "include", "redefine":
			// A redefine that overrides nothing is an include. Overrides
			// would change types other schemas already refer to; reading
			// them like an include silently generated the unmodified
			// types, so they are refused until implemented.
			if c.Name.Local == "redefine" {
				for _, o := range c.Children {
					if o.Name.Space == nsXSD && o.Name.Local != "annotation" {
						return errAt(o, "xsd:redefine",
							"copy the redefined schema, apply the changes to the copy and xsd:include it instead",
							"overriding %s %q is not supported", o.Name.Local, o.attr("name"))
					}
				}
			}
			loc := c.attr("schemaLocation")
			if loc == "" {
				return errAt(c, "xsd:"+c.Name.Local, "add a schemaLocation attribute", "xsd:%s has no schemaLocation", c.Name.Local)
			}
			g, err := l.read(n.file, c, loc)
			if err == errRefused {
				continue
			}
			if err != nil {
				return err
			}
			if err := l.checkSchemaRoot(c, g); err != nil {
				return err
			}
			if err := l.addSchema(g.root, tns, true); err != nil {
				return err
			}
		case "import":
			loc := c.attr("schemaLocation")
			ns := c.attr("namespace")
			if loc == "" {
				l.nsImports = append(l.nsImports, c)
				continue
			}
			if wellknown.IsXMLSchema(ns) {
				continue
			}
			g, err := l.read(n.file, c, loc)
			if err == errRefused {
				continue
			}
			if err != nil {
				return err
			}
			if g.root.Name.Space == nsWSDL && g.root.Name.Local == "definitions" {
				// Some vendors import the WSDL itself; its schemas are
				// the ones wanted.
				if err := l.loadDefs(g); err != nil {
					return err
				}
				continue
			}
			if err := l.checkSchemaRoot(c, g); err != nil {
				return err
			}
			if err := l.addSchema(g.root, "", false); err != nil {
				return err
			}
		}
	}
	return nil
}

func (l *loader) checkSchemaRoot(ref *node, g *srcFile) error {
	if g.root.Name.Space != nsXSD || g.root.Name.Local != "schema" {
		return errAt(ref, "xsd:"+ref.Name.Local, "point schemaLocation at an XML Schema document", "%s is not an XML Schema document (root {%s}%s)", g.name, g.root.Name.Space, g.root.Name.Local)
	}
	return nil
}

// resolveNamespaceImports brings in well-known schemas imported by
// namespace only; other namespaces must be defined by a loaded schema,
// which the model checks when a reference needs them.
func (l *loader) resolveNamespaceImports() error {
	for i := 0; i < len(l.nsImports); i++ {
		c := l.nsImports[i]
		ns := c.attr("namespace")
		if ns == "" || wellknown.IsXMLSchema(ns) || l.hasNamespace(ns) {
			continue
		}
		data, ok := wellknown.ByNamespace(ns)
		if !ok {
			continue
		}
		key := "wellknown:" + ns
		f, ok := l.files[key]
		if !ok {
			f = &srcFile{name: ns, loc: key, remote: true}
			root, err := parseTree(f, data)
			if err != nil {
				return err
			}
			f.root = root
			l.files[key] = f
			l.wellKnown[root] = true
		}
		if err := l.addSchema(f.root, "", false); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) hasNamespace(ns string) bool {
	for _, s := range l.schemas {
		if s.tns == ns {
			return true
		}
	}
	return false
}

// construct names an element for messages: xsd:import, wsdl:import.
func construct(n *node) string {
	if n == nil {
		return ""
	}
	switch n.Name.Space {
	case nsXSD:
		return "xsd:" + n.Name.Local
	case nsWSDL:
		return "wsdl:" + n.Name.Local
	}
	return n.Name.Local
}

// mapLocation finds url in m (Options.SchemaMap): an exact key, or the
// longest key ending in "/" that prefixes it, whose value is a directory
// the rest of the URL is a path in. http and https spellings match each
// other, as they do for the embedded schemas.
func mapLocation(m map[string]string, url string) (string, bool) {
	if len(m) == 0 {
		return "", false
	}
	u := foldScheme(url)
	best, bestLen := "", -1
	for k, v := range m {
		fk := foldScheme(k)
		switch {
		case fk == u:
			return v, true
		case strings.HasSuffix(fk, "/") && strings.HasPrefix(u, fk) && len(fk) > bestLen:
			rest := u[len(fk):]
			if i := strings.IndexAny(rest, "?#"); i >= 0 {
				rest = rest[:i]
			}
			best, bestLen = filepath.Join(v, filepath.FromSlash(rest)), len(fk)
		}
	}
	return best, bestLen >= 0
}

func foldScheme(u string) string {
	u = strings.TrimSpace(u)
	l := strings.ToLower(u)
	for _, p := range []string{"https://", "http://"} {
		if strings.HasPrefix(l, p) {
			return u[len(p):]
		}
	}
	return u
}

// unwrapPathErr drops the path an *os.PathError repeats.
func unwrapPathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// fileProblem says why a file could not be read, without the path the
// message already starts with.
func fileProblem(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file"
	case errors.Is(err, syscall.EISDIR):
		return "is a directory, not a WSDL file"
	}
	return "cannot read it: " + unwrapPathErr(err).Error()
}
