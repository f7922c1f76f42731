package reqsize

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	sfe "github.com/wsdlsess/wsdlsess/golden/salesforce-enterprise"
	sfdc "github.com/wsdlsess/wsdlsess/golden/salesforce-partner"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// TestRequestsValidAgainstTheWSDLSchema has libxml2 (xmllint), a
// validator that reads namespaces strictly, check the body element of
// requests the golden Partner, Enterprise and vSphere clients write
// against the WSDL's own schema: each element's namespace, order and
// type, xsi:type values included, whatever prefixes and declarations
// the request uses to say them. xmllint comes with
// libxml2-utils (scripts/test installs it).
func TestRequestsValidAgainstTheWSDLSchema(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		msg := "xmllint not installed (apt-get install libxml2-utils; scripts/test installs it)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	partnerCreate := &sfdc.Create{}
	for i, a := range accounts {
		o := sfdc.SObject{Type: "Account", Id: runtime.Nil[sfdc.ID](), Any: []runtime.XSDAnyType{
			{XMLName: xml.Name{Space: sobjectNS, Local: "Name"}, Inner: []byte(a[0])},
			{XMLName: xml.Name{Space: sobjectNS, Local: "Industry"}, Inner: []byte(a[1])},
		}}
		if i%2 == 1 {
			o.Id = runtime.Value(sfdc.ID(fmt.Sprintf("001D000000IqhS%04d", i)))
			o.FieldsToNull = []runtime.Nillable[string]{runtime.Value("Phone")}
		}
		partnerCreate.SObjects = append(partnerCreate.SObjects, o)
	}
	partner := func(do func(context.Context, *sfdc.Client) error) func(testing.TB, string) (func(context.Context) error, func()) {
		return func(tb testing.TB, url string) (func(context.Context) error, func()) {
			c := partnerClient(tb, url)
			return func(ctx context.Context) error { return do(ctx, c) }, func() { c.Close(context.Background()) }
		}
	}
	const partnerWSDL = "../../../testdata/wsdl/salesforce-partner/partner.wsdl"
	for _, c := range []struct {
		name, wsdl, ns, op string
		client             func(testing.TB, string) (func(context.Context) error, func())
	}{
		{"partner-query", partnerWSDL, partnerNS, "query", partner(func(ctx context.Context, c *sfdc.Client) error {
			_, err := c.Query(ctx, &sfdc.Query{QueryString: soql})
			return err
		})},
		{"partner-create", partnerWSDL, partnerNS, "create", partner(func(ctx context.Context, c *sfdc.Client) error {
			_, err := c.Create(ctx, partnerCreate)
			return err
		})},
		// sObjects by xsi:type in another namespace than the body's,
		// their fields in it, an address in the body's namespace below.
		{"enterprise-create", "../../../testdata/wsdl/salesforce-enterprise/enterprise.wsdl", enterpriseNS, "create", enterpriseCreate},
		// Derived types by xsi:type, references with a type attribute.
		{"vsphere-RetrieveProperties", "../../../testdata/wsdl/vsphere/vim25/vim.wsdl", "urn:vim25", "RetrieveProperties", calls[2].wsdlsess},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			main := splitSchemas(t, c.wsdl, dir, c.ns)
			s := newServer(t)
			do, closeClient := c.client(t, s.srv.URL)
			defer closeClient()
			if err := do(t.Context()); err != nil {
				t.Fatal(err)
			}
			doc := filepath.Join(dir, c.op+".xml")
			if err := os.WriteFile(doc, bodyElement(t, s.body(t, c.op)), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", main, doc).CombinedOutput()
			if err != nil {
				b, _ := os.ReadFile(doc)
				t.Errorf("xmllint: %v\n%s\nthe body element:\n%s", err, out, b)
			}
		})
	}
}

// enterpriseCreate sends an Enterprise create of an Account and a
// Contact, each by its xsi:type.
func enterpriseCreate(tb testing.TB, url string) (func(context.Context) error, func()) {
	c, err := sfe.NewClient(runtime.WithEndpoint(url), runtime.WithCredentials(runtime.Password("ann@example.com", "pw")))
	if err != nil {
		tb.Fatal(err)
	}
	in := &sfe.Create{SObjects: []sfe.AnySObject{
		{Value: &sfe.Account{
			Name:              runtime.ValuePtr("Acme"),
			NumberOfEmployees: runtime.ValuePtr[int32](40),
			BillingAddress:    &sfe.Address{City: runtime.ValuePtr("Wichita"), Country: runtime.ValuePtr("US")},
			Industry:          &runtime.Nillable[string]{Nil: true},
		}},
		{Value: &sfe.Contact{LastName: runtime.ValuePtr("Doe")}},
	}}
	return func(ctx context.Context) error {
		_, err := c.Create(ctx, in)
		return err
	}, func() { c.Close(context.Background()) }
}

// splitSchemas writes each schema of a WSDL's types to a file of its own
// in dir, with the namespace declarations it inherits from the WSDL and a
// schemaLocation on each import of a sibling, copies the schema files
// beside the WSDL (what its schemas include) there too, and returns the
// file of the schema whose target namespace is main.
func splitSchemas(t *testing.T, wsdl, dir, main string) string {
	data, err := os.ReadFile(wsdl)
	if err != nil {
		t.Fatal(err)
	}
	xsds, _ := filepath.Glob(filepath.Join(filepath.Dir(wsdl), "*.xsd"))
	xsds = append(xsds, "../wellknown/schemas/xml.xsd")
	for _, f := range xsds {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	type schema struct {
		ns         string
		start, end int64 // the schema element's bytes
		tagEnd     int64 // end of its start tag
	}
	var schemas []schema
	inherited := map[string]string{} // prefix → URI, from definitions
	d := xml.NewDecoder(bytes.NewReader(data))
	depth := 0
	for {
		before := d.InputOffset()
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 {
				for _, a := range tok.Attr {
					if a.Name.Space == "xmlns" {
						inherited[a.Name.Local] = a.Value
					}
				}
			}
			if tok.Name.Local == "schema" {
				s := schema{start: before, tagEnd: d.InputOffset()}
				for _, a := range tok.Attr {
					if a.Name.Local == "targetNamespace" {
						s.ns = a.Value
					}
				}
				schemas = append(schemas, s)
			}
		case xml.EndElement:
			depth--
			if tok.Name.Local == "schema" {
				schemas[len(schemas)-1].end = d.InputOffset()
			}
		}
	}
	file := func(ns string) string {
		return "schema-" + strings.NewReplacer(":", "_", "/", "_", ".", "_").Replace(ns) + ".xsd"
	}
	var mainFile string
	for _, s := range schemas {
		tag := string(data[s.start:s.tagEnd])
		var decls strings.Builder
		for p, uri := range inherited {
			if !strings.Contains(tag, "xmlns:"+p+"=") {
				fmt.Fprintf(&decls, ` xmlns:%s="%s"`, p, uri)
			}
		}
		text := tag[:len(tag)-1] + decls.String() + ">" + string(data[s.tagEnd:s.end])
		for _, o := range schemas {
			imp := regexp.MustCompile(`<((?:\w+:)?)import namespace="` + regexp.QuoteMeta(o.ns) + `"\s*/>`)
			text = imp.ReplaceAllString(text, `<${1}import namespace="`+o.ns+`" schemaLocation="`+file(o.ns)+`"/>`)
		}
		// The schemas vendors import by URL, from the generator's own
		// copies (xmllint runs without the network).
		text = strings.ReplaceAll(text, `schemaLocation="http://www.w3.org/2001/xml.xsd"`, `schemaLocation="xml.xsd"`)
		path := filepath.Join(dir, file(s.ns))
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if s.ns == main {
			mainFile = path
		}
	}
	if mainFile == "" {
		t.Fatalf("%s has no schema for %s", wsdl, main)
	}
	return mainFile
}

// bodyElement returns the element inside a request's SOAP Body as a
// document of its own: with the Envelope's namespace declarations (the
// default namespace, xsi, the prefixes) added to its start tag when it
// does not make them itself.
func bodyElement(t *testing.T, req []byte) []byte {
	d := xml.NewDecoder(bytes.NewReader(req))
	var envDecls []xml.Attr
	inBody := false
	for {
		before := d.InputOffset()
		tok, err := d.RawToken()
		if err != nil {
			t.Fatalf("request: %v\n%s", err, req)
		}
		st, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if st.Name.Local == "Envelope" {
			for _, a := range st.Attr {
				if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
					envDecls = append(envDecls, a)
				}
			}
		}
		if !inBody {
			inBody = st.Name.Local == "Body"
			continue
		}
		for depth := 1; depth > 0; {
			tok, err := d.RawToken()
			if err != nil {
				t.Fatalf("request: %v\n%s", err, req)
			}
			switch tok.(type) {
			case xml.StartElement:
				depth++
			case xml.EndElement:
				depth--
			}
		}
		elem := string(req[before:d.InputOffset()])
		i := strings.IndexAny(elem, " />")
		var decls strings.Builder
		for _, a := range envDecls {
			attr := "xmlns:" + a.Name.Local
			if a.Name.Space == "" {
				attr = "xmlns" // the default namespace
			}
			if !strings.Contains(elem[:strings.Index(elem, ">")], " "+attr+"=") {
				fmt.Fprintf(&decls, ` %s="%s"`, attr, a.Value)
			}
		}
		return []byte(elem[:i] + decls.String() + elem[i:])
	}
}
