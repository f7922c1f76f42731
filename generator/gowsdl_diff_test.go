package generator

import (
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hooklift/gowsdl"
	"golang.org/x/net/html/charset"
)

// TestAgreesWithGowsdlParse is a differential test against gowsdl's own
// parse model: for every single-file WSDL (corpus, own cases, gowsdl
// fixtures) the SOAP 1.1 ports, operations and soapActions this loader
// finds equal what gowsdl.WSDL holds after xml.Unmarshal. SOAP 1.2
// bindings are compared only by absence (gowsdl cannot see them).
func TestAgreesWithGowsdlParse(t *testing.T) {
	var files []string
	for _, c := range goldenCases(t) {
		files = append(files, c.wsdl)
	}
	fx, _ := filepath.Glob(filepath.Join(gowsdlFixtures(t), "*.wsdl"))
	files = append(files, fx...)
	compared := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		l := newLoader(Options{})
		if err := l.load(f); err != nil || len(l.defs) > 1 {
			continue // wsdl:import: gowsdl's structs hold one document only
		}
		data, _ = toUTF8(data)
		var g gowsdl.WSDL
		d := xml.NewDecoder(strings.NewReader(string(data)))
		d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
			if strings.HasPrefix(strings.ToLower(label), "utf-16") {
				return r, nil
			}
			return charset.NewReaderLabel(label, r)
		}
		if err := d.Decode(&g); err != nil {
			t.Errorf("%s: gowsdl structs: %v", f, err)
			continue
		}
		opts := Options{WSDL: f, Package: "p"}
		m, err := planModel(opts, newLoader(opts))
		if err != nil {
			continue // e.g. vim.wsdl's missing include; asserted elsewhere
		}
		var want, got []string
		soap11 := map[string]bool{}
		for _, b := range g.Binding {
			if b.SOAPBinding.Transport == "" && b.SOAPBinding.Style == "" {
				continue // SOAP 1.2 or HTTP: not in gowsdl's structs
			}
			soap11[b.Name] = true
			for _, op := range b.Operations {
				want = append(want, b.Name+" "+op.Name+" "+op.SOAPOperation.SOAPAction)
			}
		}
		for _, b := range m.bindings {
			if b.soap != 1 {
				continue
			}
			if !soap11[b.qname.Local] {
				t.Errorf("%s: binding %s is SOAP 1.1 here but not in gowsdl's parse", filepath.Base(f), b.qname.Local)
				continue
			}
			for _, op := range b.ops {
				got = append(got, b.qname.Local+" "+op.name+" "+op.action)
			}
			for _, s := range b.skipped {
				got = append(got, b.qname.Local+" "+s+" "+skippedAction(g, b.qname.Local, s))
			}
		}
		// gowsdl lists bindings no port uses; this model only bound ones.
		used := map[string]bool{}
		for _, b := range m.bindings {
			used[b.qname.Local] = true
		}
		var wantUsed []string
		for _, w := range want {
			if used[strings.Fields(w)[0]] {
				wantUsed = append(wantUsed, w)
			}
		}
		sort.Strings(wantUsed)
		sort.Strings(got)
		if diff := cmp.Diff(wantUsed, got); diff != "" {
			t.Errorf("%s: operations differ from gowsdl's parse (-gowsdl +wsdlsess):\n%s", filepath.Base(f), diff)
		}
		compared++
	}
	t.Logf("compared %d documents", compared)
	if compared < 10 {
		t.Errorf("compared only %d documents", compared)
	}
}

func skippedAction(g gowsdl.WSDL, binding, op string) string {
	for _, b := range g.Binding {
		if b.Name != binding {
			continue
		}
		for _, o := range b.Operations {
			if o.Name == op {
				return o.SOAPOperation.SOAPAction
			}
		}
	}
	return ""
}
