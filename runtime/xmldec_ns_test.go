package runtime_test

import (
	"encoding/xml"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	sfp "github.com/wsdlsess/wsdlsess/golden/salesforce-partner"
	"github.com/wsdlsess/wsdlsess/golden/vsphere"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// probe has every tag form the decoders must agree on.
type probe struct {
	XMLName xml.Name               `xml:"urn:a root"`
	ID      string                 `xml:"id,attr"`
	Lang    string                 `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	QA      *int                   `xml:"urn:b qa,attr,omitempty"`
	Other   []xml.Attr             `xml:",any,attr"`
	A       []string               `xml:"urn:a a"`
	B       *probeChild            `xml:"urn:b b"`
	U       []string               `xml:"u"`
	N       int16                  `xml:"urn:a n"`
	F       float32                `xml:"urn:a f"`
	OK      bool                   `xml:"urn:a ok"`
	Raw     []byte                 `xml:"urn:a raw"`
	Nil     runtime.Nillable[int]  `xml:"urn:a nil"`
	D       runtime.XSDDouble      `xml:"urn:a d"`
	Iface   any                    `xml:"urn:a iface"`
	Any     []runtime.XSDAnyType   `xml:",any"`
	Opt     *runtime.Nillable[int] `xml:"urn:a opt"`
}

type probeChild struct {
	Name xml.Name `xml:"XMLName"`
	Text string   `xml:",chardata"`
	Deep []struct {
		Name xml.Name
		V    uint8 `xml:"v,attr"`
	} `xml:"urn:c deep"`
}

const envOpen = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>`
const envClose = `</s:Body></s:Envelope>`

var nsCases = []struct{ name, body string }{
	{"default namespace", `<root xmlns="urn:a" id="1"><a>x</a><a>y</a><n> 7 </n><f>1.5</f><ok>true</ok><raw>r&amp;w</raw></root>`},
	{"prefixed", `<p:root xmlns:p="urn:a" xmlns:q="urn:b" q:qa="3" id="2" p:other="o"><p:a>x</p:a><q:b>text<c:deep xmlns:c="urn:c" v="9"/></q:b></p:root>`},
	{"prefix redeclared inside", `<p:root xmlns:p="urn:a"><p:a>1</p:a><p:b xmlns:p="urn:b">in b<p:x/></p:b><p:a>2</p:a></p:root>`},
	{"default changed inside", `<root xmlns="urn:a"><a>1</a><b xmlns="urn:b">t<deep xmlns="urn:c" v="1"/></b><a xmlns="urn:x">not mine</a><a>3</a></root>`},
	{"default undeclared for unqualified children", `<root xmlns="urn:a"><u xmlns="">one</u><u xmlns="urn:z">two</u><a>x</a></root>`},
	{"wrong root namespace", `<root xmlns="urn:b"><a>x</a></root>`},
	{"any keeps scope", `<root xmlns="urn:a" xmlns:sf="urn:sf" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><sf:Field xsi:type="sf:T" xmlns:y="urn:y"><y:in>1</y:in></sf:Field><sf:Empty/><sf:Open></sf:Open></root>`},
	{"nillable", `<root xmlns="urn:a" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><nil xsi:nil="true"/><opt xsi:nil=" 1 "/><d>INF</d></root>`},
	{"entities cdata comments", `<root xmlns="urn:a"><a>&lt;&#65;&#x42;&quot;&apos;&gt;</a><a><![CDATA[<raw>]]> tail<!-- c --></a><a>x&#13;y&#10;</a></root>`},
	{"carriage returns", "<root xmlns=\"urn:a\" id=\"a\rb\r\nc\"><a>l1\r\nl2\rl3</a></root>"},
	{"interface skipped", `<root xmlns="urn:a"><iface><a>x</a></iface></root>`},
	{"bad int", `<root xmlns="urn:a"><n>seven</n></root>`},
	{"overflow int16", `<root xmlns="urn:a"><n>70000</n></root>`},
	{"empty int", `<root xmlns="urn:a"><n></n><ok/></root>`},
	{"space-only int", `<root xmlns="urn:a"><n> </n></root>`},
	{"mismatched end", `<root xmlns="urn:a"><a>x</b></root>`},
	{"unknown entity", `<root xmlns="urn:a"><a>&nbsp;</a></root>`},
	{"undeclared prefix", `<root xmlns="urn:a"><zz:a>x</zz:a><a zz:k="v">y</a></root>`},
	{"bare ]]>", `<root xmlns="urn:a"><a>x]]>y</a></root>`},
	{"control character", "<root xmlns=\"urn:a\"><a>x\x01y</a></root>"},
	{"non-ASCII names", `<root xmlns="urn:a"><ä>x</ä><a>ü</a></root>`},
	{"truncated", `<root xmlns="urn:a"><a>x</a>`},
}

var handedOver = []string{"wrong root namespace", "bad int", "overflow int16", "space-only int", "mismatched end", "unknown entity", "bare ]]>", "control character", "non-ASCII names", "truncated"}

// Namespaces resolve the same with xmldec as with encoding/xml: prefixes
// redeclared in nested scopes, default namespace changes and undone,
// unqualified children, and the errors of malformed input.
func TestXMLDecNamespacesMatchEncodingXML(t *testing.T) {
	for _, c := range nsCases {
		t.Run(c.name, func(t *testing.T) {
			fast := decodeBoth(t, c.name, []byte(envOpen+c.body+envClose), func() any { return new(probe) })
			// Where encoding/xml fails, or reads names beyond ASCII,
			// xmldec hands over; elsewhere it must decode itself.
			want := !strings.Contains(c.name, "bad") && !slices.Contains(handedOver, c.name)
			if fast != want {
				t.Errorf("decoded by xmldec = %v, want %v", fast, want)
			}
		})
	}
}

// Values xml.Marshal writes from populated golden types decode the same.
func TestXMLDecMarshalledValuesMatchEncodingXML(t *testing.T) {
	values := []any{
		&sfp.QueryResponse{Result: &sfp.QueryResult{Done: true, Size: 2, QueryLocator: runtime.Nil[sfp.QueryLocator](), Records: []sfp.SObject{
			{Type: "Account", Id: runtime.Value[sfp.ID]("001"), FieldsToNull: []runtime.Nillable[string]{runtime.Value("a"), runtime.Nil[string]()}},
			{Type: "Contact", Any: []runtime.XSDAnyType{{XMLName: xml.Name{Space: "urn:sobject.partner.soap.sforce.com", Local: "Name"}, Inner: []byte("Jo &amp; Co")}}},
		}}},
		&sfp.InvalidateSessionsResponse{Result: []sfp.InvalidateSessionsResult{{Success: true}, {Errors: []sfp.AnyError{{Value: &sfp.Error{Message: "m", StatusCode: "INVALID_SESSION_ID", Fields: []runtime.Nillable[string]{runtime.Value("f")}}}}}}},
		&vsphere.RetrievePropertiesResponse{},
	}
	for _, v := range values {
		b, err := xml.Marshal(v)
		if err != nil {
			t.Fatalf("marshal %T: %v", v, err)
		}
		decodeBoth(t, reflect.TypeOf(v).String(), []byte(envOpen+string(b)+envClose), func() any { return newLike(v) })
	}
}

// FuzzDecodeDifferential: on any input, xmldec gives what encoding/xml
// gives (value and error), falling back to it where it cannot.
func FuzzDecodeDifferential(f *testing.F) {
	for _, c := range nsCases {
		f.Add(uint8(0), []byte(envOpen+c.body+envClose))
	}
	for _, s := range []string{"salesforce-partner/samples/query-response.xml", "salesforce-partner/samples/query-relationship-response.xml", "vsphere/samples/retrieve-properties-response.xml"} {
		data, err := os.ReadFile("../testdata/wsdl/" + s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(1), data)
		f.Add(uint8(2), data)
	}
	f.Add(uint8(3), ec2Answer(10))
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		var newOut func() any
		switch which % 4 {
		case 0:
			newOut = func() any { return new(probe) }
		case 1:
			newOut = func() any { return new(sfp.QueryResponse) }
		case 2:
			newOut = func() any { return new(vsphere.RetrievePropertiesResponse) }
		default:
			newOut = func() any { return new(ec2DescribeInstancesResponse) }
		}
		decodeBoth(t, "fuzz", data, newOut)
	})
}

// newLike returns a new zero value of v's pointed-to type.
func newLike(v any) any { return reflect.New(reflect.TypeOf(v).Elem()).Interface() }

// A struct some nillable element has (impl.NilTargets) is left nil for
// xsi:nil by xmldec too, and decoded by xmldec itself.
func TestXMLDecNilTargetMatchesEncodingXML(t *testing.T) {
	for _, body := range []string{
		`<describeSObjectResponse xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><result xsi:nil="true"/></describeSObjectResponse>`,
		`<describeSObjectResponse xmlns="urn:partner.soap.sforce.com"><result><name>Account</name><fields><name>Id</name></fields></result></describeSObjectResponse>`,
	} {
		var got sfp.DescribeSObjectResponse
		if !decodeBoth(t, body, []byte(envOpen+body+envClose), func() any { return new(sfp.DescribeSObjectResponse) }) {
			t.Errorf("not decoded by xmldec: %s", body)
		}
		if _, _, err := runtime.DecodeResponseForTest([]byte(envOpen+body+envClose), &got, true); err != nil {
			t.Fatal(err)
		}
		if isNil := strings.Contains(body, "xsi:nil"); (got.Result == nil) != isNil {
			t.Errorf("result = %+v for %s", got.Result, body)
		}
	}
}
