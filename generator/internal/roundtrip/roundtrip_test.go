package roundtrip_test

import (
	"encoding/xml"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/net/html/charset"

	shop "github.com/wsdlsess/wsdlsess/golden/gen-constructs"
	kunden "github.com/wsdlsess/wsdlsess/golden/iso-8859-1"
	crmod "github.com/wsdlsess/wsdlsess/golden/oracle-crmod"
	rpc "github.com/wsdlsess/wsdlsess/golden/rpc-literal"
	sfe "github.com/wsdlsess/wsdlsess/golden/salesforce-enterprise"
	sfp "github.com/wsdlsess/wsdlsess/golden/salesforce-partner"
	"github.com/wsdlsess/wsdlsess/runtime"
)

func ptr[T any](v T) *T { return &v }

// ignoreXMLName: decoding fills XMLName, the hand-built values leave it
// zero; every other field must survive the trip.
var ignoreXMLName = cmpopts.IgnoreTypes(xml.Name{})

func TestRoundTripConstructs(t *testing.T) {
	in := &shop.PlaceOrderResponse{
		OrderId: "o-1",
		Total:   &shop.Money{Value: "12345678901234567890.000000000001", Currency: shop.CurrencyCodeEUR},
		Products: []shop.AnyProduct{
			{Value: &shop.Book{Id: 1, Name: "Go", Isbn: "978-0134190440", Lang: "en"}},
			{Value: &shop.EBook{Id: 2, Name: "Go (e)", Isbn: "x", SizeBytes: 1 << 20}},
			{Value: &shop.Gadget{Id: 3, Name: "Lamp", Watts: runtime.Value[runtime.XSDDecimal]("0.10"), CreatedBy: "me", CreatedAt: "2024-02-29T23:59:59.5+01:00"}},
		},
	}
	b, err := xml.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out shop.PlaceOrderResponse
	if err := xml.Unmarshal(b, &out); err != nil {
		t.Fatalf("unmarshal %s: %v", b, err)
	}
	if diff := cmp.Diff(in, &out, ignoreXMLName); diff != "" {
		t.Errorf("round trip changed the value (-in +out):\n%s\nwire: %s", diff, b)
	}
}

func TestRoundTripOrder(t *testing.T) {
	in := &shop.PlaceOrder{Order: &shop.Order{
		Id:       "42",
		Status:   shop.StatusInProgress,
		Priority: ptr(shop.PriorityX2),
		Items: []shop.Item{{
			Product:  &shop.AnyProduct{Value: &shop.Book{Id: 7, Name: "B", Isbn: "i"}},
			Quantity: 2, QuantityAttr: ptr[int32](3),
			Other:    &shop.ItemOther{Code: "c"},
			Children: []shop.Item{{Product: &shop.AnyProduct{Value: &shop.Product{Id: 8, Name: "plain"}}, Quantity: 1}},
		}},
		Email:      "a@example.com",
		Phone:      []string{"1", "2"},
		Invoice:    ptr(true),
		NoteDate:   []runtime.XSDDate{"2024-01-01", "2024-01-02Z"},
		NoteText:   []string{"first", "second"},
		Tags:       ptr(shop.Tags("a b c")),
		Local:      ptr("unqualified"),
		Attachment: ptr(shop.Blob("\x00\x01binary\xff")),
		Checksum:   ptr(runtime.XSDHexBinary{0xde, 0xad, 0xbe, 0xef}),
		Shipping:   &shop.OrderShipping{Street: "Main St 1", Due: ptr[runtime.XSDTime]("10:00:00")},
	}}
	b, err := xml.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out shop.PlaceOrder
	if err := xml.Unmarshal(b, &out); err != nil {
		t.Fatalf("unmarshal %s: %v", b, err)
	}
	// encoding/xml hands namespace declarations to an ,any,attr field
	// like any other attribute, so AnyAttrs picks up xmlns="urn:ex:shop".
	if diff := cmp.Diff(in, &out, ignoreXMLName, cmpopts.IgnoreFields(shop.Order{}, "AnyAttrs")); diff != "" {
		t.Errorf("round trip changed the value (-in +out):\n%s\nwire: %s", diff, b)
	}
}

// decodeBody decodes the first element inside soap Body of an envelope
// file into out, keeping the namespace declarations of the envelope.
func decodeBody(t *testing.T, path string, out any) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := xml.NewDecoder(f)
	d.CharsetReader = charset.NewReaderLabel
	inBody := false
	for {
		tok, err := d.Token()
		if err != nil {
			t.Fatalf("%s: no body element: %v", path, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if inBody {
				if err := d.DecodeElement(out, &se); err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				return
			}
			inBody = se.Name.Local == "Body"
		}
	}
}

func TestSampleEnterpriseQuery(t *testing.T) {
	var got sfe.QueryResponse
	decodeBody(t, "../../../testdata/wsdl/salesforce-enterprise/samples/query-response.xml", &got)
	r := got.Result
	if r == nil || !r.Done || r.Size != 3 || len(r.Records) != 3 {
		t.Fatalf("result = %+v", r)
	}
	acc, ok := r.Records[0].Value.(*sfe.Account)
	if !ok {
		t.Fatalf("records[0] is %T, want *Account (xsi:type sf:Account)", r.Records[0].Value)
	}
	if acc.Name == nil || acc.Name.Value != "Acme" || acc.BillingAddress == nil || acc.BillingAddress.City == nil || acc.BillingAddress.City.Value != "München" {
		t.Errorf("account = %+v", acc)
	}
	if acc.Contacts == nil || len(acc.Contacts.Records) != 1 {
		t.Fatalf("account contacts = %+v", acc.Contacts)
	}
	c, ok := acc.Contacts.Records[0].Value.(*sfe.Contact)
	if !ok || c.Birthdate == nil || c.Birthdate.Value != "1980-02-29" {
		t.Errorf("contact = %#v", acc.Contacts.Records[0].Value)
	}
	// <sf:Parent xsi:nil="true"/> is a holder with no value, not an
	// empty Account.
	if acc.Parent == nil || acc.Parent.Value != nil {
		t.Errorf("nil parent decoded as %#v", acc.Parent)
	}
	if _, ok := r.Records[1].Value.(*sfe.PersonAccountX); !ok {
		t.Errorf("records[1] is %T, want *PersonAccountX", r.Records[1].Value)
	}
	if cs, ok := r.Records[2].Value.(*sfe.Case); !ok || cs.Status == nil || cs.Status.Value != "New" {
		t.Errorf("records[2] = %#v, want *Case with status New", r.Records[2].Value)
	}
	// Re-encoding keeps the concrete types (xsi:type on the wire).
	b, err := xml.Marshal(&got)
	if err != nil {
		t.Fatal(err)
	}
	var again sfe.QueryResponse
	if err := xml.Unmarshal(b, &again); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&got, &again, ignoreXMLName); diff != "" {
		t.Errorf("re-encoded response differs:\n%s", diff)
	}
}

func TestSamplePartnerQuery(t *testing.T) {
	var got sfp.QueryResponse
	decodeBody(t, "../../../testdata/wsdl/salesforce-partner/samples/query-response.xml", &got)
	r := got.Result
	if r == nil || r.Done || r.Size != 2412 || len(r.Records) != 2 {
		t.Fatalf("result = %+v", r)
	}
	if r.QueryLocator.Nil || r.QueryLocator.Value != "01g5g00000Abcde-2000" {
		t.Errorf("queryLocator = %v", r.QueryLocator)
	}
	rec := r.Records[0]
	if rec.Type != "Account" || rec.Id.Nil || rec.Id.Value != "0015g00000XyZ01AAF" {
		t.Errorf("record 0 = %+v", rec)
	}
	// The fields of a generic sObject arrive as xsd:any raw XML.
	var names []string
	for _, a := range rec.Any {
		names = append(names, a.XMLName.Local+"="+string(a.Inner))
	}
	want := []string{"Name=Acme &amp; Söhne GmbH", "AnnualRevenue=1.25E7", "Industry="}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("any fields (-want +got):\n%s", diff)
	}
}

func TestSampleRPCGetItem(t *testing.T) {
	var got rpc.GetItemResponse
	decodeBody(t, "../../../testdata/wsdl/rpc-literal/samples/get-item-response.xml", &got)
	want := rpc.GetItemResponse{Item: &rpc.Item{
		Sku: "SKU-0001", Name: "Widget, large", Price: "19.990", Quantity: 120, Warehouse: "MUC2",
		Tags: []string{"blue", "metal"}, LastCounted: ptr[runtime.XSDDateTime]("2026-11-21T18:00:00+01:00"),
	}}
	if diff := cmp.Diff(want, got, ignoreXMLName); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestSampleLatin1: a response declared ISO-8859-1 decodes into the
// non-ASCII Go names the generator derived from the WSDL.
func TestSampleLatin1(t *testing.T) {
	var got kunden.KundePrüfenAntwort
	decodeBody(t, "../../../testdata/wsdl/iso-8859-1/samples/kunde-pruefen-response-latin1.xml", &got)
	if !got.Gültig || got.Kunde == nil || got.Kunde.Nachname != "Müller" || got.Kunde.Straße != "Königsallee 1" || got.Kunde.Größe == nil || *got.Kunde.Größe != "1.85" {
		t.Errorf("got %+v / %+v", got, got.Kunde)
	}
}

// TestRoundTripSubstitutionGroup: members of a substitution group travel
// under their own element names and come back as their element types;
// an undeclared element stays raw XML.
func TestRoundTripSubstitutionGroup(t *testing.T) {
	type doc struct {
		XMLName xml.Name `xml:"urn:ex:shop doc"`
		Canvas  shop.Canvas
	}
	in := &doc{Canvas: shop.Canvas{Title: "t", Shape: []shop.AnyShape{
		{Value: &shop.Circle{R: 1.5, Label: ptr("c")}},
		{Value: &shop.Square{Side: 2}},
	}}}
	b, err := xml.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out doc
	if err := xml.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if diff := cmp.Diff(in, &out, ignoreXMLName); diff != "" {
		t.Errorf("(-in +out):\n%s\nwire: %s", diff, b)
	}
	var raw doc
	if err := xml.Unmarshal([]byte(`<doc xmlns="urn:ex:shop"><Canvas><title>t</title><Triangle>x</Triangle></Canvas></doc>`), &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw.Canvas.Shape) != 1 {
		t.Fatalf("shapes = %+v", raw.Canvas.Shape)
	}
	if r, ok := raw.Canvas.Shape[0].Value.(*runtime.XSDAnyType); !ok || r.XMLName.Local != "Triangle" {
		t.Errorf("unknown member = %#v, want raw XML", raw.Canvas.Shape[0].Value)
	}
}

// TestRoundTripEmptyItems: empty items of a repeated element are items
// too. encoding/xml applies omitempty to each item of a slice, so a
// repeated element tagged omitempty sent ["a", "", ""] as "a" alone.
func TestRoundTripEmptyItems(t *testing.T) {
	in := &shop.Order{Phone: []string{"a", "", ""}, NoteText: []string{"", "x"}}
	b, err := xml.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out shop.Order
	if err := xml.Unmarshal(b, &out); err != nil {
		t.Fatalf("unmarshal %s: %v", b, err)
	}
	if diff := cmp.Diff(in.Phone, out.Phone); diff != "" {
		t.Errorf("phone items lost (-in +out):\n%s\nwire: %s", diff, b)
	}
	if diff := cmp.Diff(in.NoteText, out.NoteText); diff != "" {
		t.Errorf("noteText items lost (-in +out):\n%s\nwire: %s", diff, b)
	}
}

// TestRoundTripOptionalFalseAttribute: an optional boolean or numeric
// attribute set to false or 0 must reach the wire. With a plain bool and
// omitempty, CRM On Demand's lastpage="false" vanished on encode, which a
// reader takes as "absent", not "false".
func TestRoundTripOptionalFalseAttribute(t *testing.T) {
	in := &crmod.ListOfAccountData{Lastpage: ptr(false)}
	b, err := xml.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out crmod.ListOfAccountData
	if err := xml.Unmarshal(b, &out); err != nil {
		t.Fatalf("unmarshal %s: %v", b, err)
	}
	if out.Lastpage == nil || *out.Lastpage {
		t.Errorf("lastpage=false lost on the wire: %s", b)
	}
	var absent crmod.ListOfAccountData
	if err := xml.Unmarshal([]byte(`<ListOfAccountData/>`), &absent); err != nil || absent.Lastpage != nil {
		t.Errorf("absent lastpage must decode as nil, got %v (err %v)", absent.Lastpage, err)
	}
}

// TestInfinityOnTheWire: xsd:double fields write XSD's INF, not Go's
// "+Inf", and read it back.
func TestInfinityOnTheWire(t *testing.T) {
	in := &shop.Circle{R: runtime.XSDDouble(math.Inf(1))}
	b, err := xml.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), ">INF</") {
		t.Fatalf("infinity not written as INF: %s", b)
	}
	var out shop.Circle
	if err := xml.Unmarshal(b, &out); err != nil || !math.IsInf(float64(out.R), 1) {
		t.Fatalf("unmarshal %s: %v, %v", b, out.R, err)
	}
}
