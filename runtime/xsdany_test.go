package runtime

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

const sfNS = "urn:sobject.partner.soap.sforce.com"

// A Salesforce relationship query: the envelope declares sf and xsi, the
// nested Owner record and its fields are wildcard content using them.
const nestedQueryEnvelope = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:sf="urn:sobject.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <records xsi:type="sf:sObject">
   <sf:Name>Acme</sf:Name>
   <sf:Owner xsi:type="sf:sObject"><sf:type>User</sf:type><sf:Name>Jane Roe</sf:Name></sf:Owner>
   <sf:Rating xmlns:p="urn:p" p:scale="p:Five">Hot</sf:Rating>
   <sf:Flag xmlns:q="urn:q" xsi:type="q:Bool"/>
  </records>
 </soapenv:Body>
</soapenv:Envelope>`

type anyRecord struct {
	Any []XSDAnyType `xml:",any"`
}

type ownerRecord struct {
	Type string `xml:"urn:sobject.partner.soap.sforce.com type"`
	Name string `xml:"urn:sobject.partner.soap.sforce.com Name"`
}

func decodeNested(t *testing.T) []XSDAnyType {
	t.Helper()
	var rec anyRecord
	if _, err := decodeEnvelope([]byte(nestedQueryEnvelope), &impl.Operation{Name: "query"}, &rec, false); err != nil {
		t.Fatal(err)
	}
	if len(rec.Any) != 4 {
		t.Fatalf("wildcard elements = %d, want 4", len(rec.Any))
	}
	return rec.Any
}

// The scope recorded is what is in scope at the element (the envelope's
// declarations plus the element's own) for the prefixes the element
// mentions, and the default namespace.
func TestXSDAnyTypeRecordsScope(t *testing.T) {
	got := decodeNested(t)
	owner := map[string]string{"": "urn:partner.soap.sforce.com", "sf": sfNS, "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
	if diff := cmp.Diff(owner, got[1].Scope); diff != "" {
		t.Errorf("Owner scope (-want +got):\n%s", diff)
	}
	withP := map[string]string{"": "urn:partner.soap.sforce.com", "sf": sfNS, "p": "urn:p"}
	if diff := cmp.Diff(withP, got[2].Scope); diff != "" {
		t.Errorf("Rating scope (-want +got):\n%s", diff)
	}
	// An empty element's own declarations count too.
	if got[3].Scope["q"] != "urn:q" {
		t.Errorf("Flag scope = %v, want q bound", got[3].Scope)
	}
	// A sibling's declaration does not leak.
	if _, leaked := got[3].Scope["p"]; leaked {
		t.Errorf("Flag scope has Rating's p: %v", got[3].Scope)
	}
}

// Decode reads nested wildcard content with the prefixes it was sent with;
// the inner XML alone has lost them.
func TestXSDAnyTypeDecodeResolvesPrefixes(t *testing.T) {
	owner := decodeNested(t)[1]
	var o ownerRecord
	if err := owner.Decode(&o); err != nil {
		t.Fatal(err)
	}
	if o != (ownerRecord{Type: "User", Name: "Jane Roe"}) {
		t.Errorf("Decode = %+v, want User Jane Roe", o)
	}
	var bare ownerRecord
	_ = xml.Unmarshal([]byte("<Owner>"+string(owner.Inner)+"</Owner>"), &bare)
	if bare.Name != "" {
		t.Fatalf("inner XML alone resolved sf: %+v; the test no longer shows why Scope is needed", bare)
	}
}

// Marshalling a decoded value declares the prefixes its name, attributes,
// attribute values and inner XML use, and decodes back to the same names.
func TestXSDAnyTypeMarshalKeepsMeaning(t *testing.T) {
	got := decodeNested(t)
	b, err := xml.Marshal(got[1])
	if err != nil {
		t.Fatal(err)
	}
	want := `<sf:Owner xmlns:sf="urn:sobject.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="sf:sObject"><sf:type>User</sf:type><sf:Name>Jane Roe</sf:Name></sf:Owner>`
	if string(b) != want {
		t.Errorf("marshal =\n%s\nwant\n%s", b, want)
	}
	b, err = xml.Marshal(got[2])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `xmlns:p="urn:p"`) || !strings.Contains(string(b), `p:scale="p:Five"`) {
		t.Errorf("Rating = %s, want p declared and used for the attribute", b)
	}
	var back XSDAnyType
	if err := xml.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.XMLName != (xml.Name{Space: sfNS, Local: "Rating"}) || len(declless(back.Attrs)) != 1 || declless(back.Attrs)[0].Name != (xml.Name{Space: "urn:p", Local: "scale"}) {
		t.Errorf("round trip = %+v", back)
	}
}

// A value built in Go (no Scope) is written as before: its name with the
// encoder's namespace, its attributes, Inner verbatim.
func TestXSDAnyTypeMarshalWithoutScope(t *testing.T) {
	v := XSDAnyType{XMLName: xml.Name{Space: sfNS, Local: "Name"}, Attrs: []xml.Attr{{Name: xml.Name{Space: "xmlns", Local: "x"}, Value: "urn:x"}}, Inner: []byte("<x:b>1</x:b>")}
	b, err := xml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if want := `<Name xmlns="urn:sobject.partner.soap.sforce.com" xmlns:x="urn:x"><x:b>1</x:b></Name>`; string(b) != want {
		t.Errorf("marshal = %s, want %s", b, want)
	}
}

// A hostile answer: a thousand declarations on each of three nested
// elements above twenty thousand wildcard elements. Each value keeping
// everything in scope would hold 60 million entries between them; the
// resolving is refused once it costs more than any real answer does.
func TestXSDAnyTypeScopeBombRefused(t *testing.T) {
	var decls strings.Builder
	for i := range 999 { // the limit is a thousand attributes, xmlns:e included
		fmt.Fprintf(&decls, ` xmlns:p%d="urn:p%d"`, i, i)
	}
	env := `<e:Envelope xmlns:e="` + nsSOAP11 + `"` + decls.String() + `><e:Body` + decls.String() + `><r` + decls.String() + `>` +
		strings.Repeat(`<x/>`, 20000) + `</r></e:Body></e:Envelope>`
	var rec anyRecord
	_, err := decodeEnvelope([]byte(env), &impl.Operation{Name: "query"}, &rec, false)
	if !errors.Is(err, errScopeBudget) {
		t.Fatalf("decode = %v, want the scope budget refusal", err)
	}
}

// A large real-shaped answer (2,000 records of ten wildcard fields, the
// envelope's few declarations) stays well inside the budget, and each
// value keeps only what it mentions.
func TestXSDAnyTypeScopeBudgetFitsLargeAnswers(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<e:Envelope xmlns:e="` + nsSOAP11 + `" xmlns="urn:partner.soap.sforce.com" xmlns:sf="` + sfNS + `" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><e:Body><r>`)
	for i := range 20000 {
		fmt.Fprintf(&b, `<sf:F%d xsi:type="sf:string">v</sf:F%d>`, i%10, i%10)
	}
	b.WriteString(`</r></e:Body></e:Envelope>`)
	var rec anyRecord
	if _, err := decodeEnvelope([]byte(b.String()), &impl.Operation{Name: "query"}, &rec, false); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"": "urn:partner.soap.sforce.com", "sf": sfNS, "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
	if len(rec.Any) != 20000 || !cmp.Equal(rec.Any[19999].Scope, want) {
		t.Fatalf("%d values, last scope %v", len(rec.Any), rec.Any[len(rec.Any)-1].Scope)
	}
}
