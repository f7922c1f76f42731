package runtime

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// Types shaped like a generator's output for an Axis 1 rpc/encoded
// service (Jira's RemoteIssue, RemoteUser).
type encAddr struct {
	Street string `xml:"street"`
	Zip    int32  `xml:"zip"`
}

type encStrings struct {
	Item []string `xml:"item"`
}

type encUsers struct {
	Item []encUser `xml:"item"`
}

type encUser struct {
	Name    string           `xml:"name"`
	Address *encAddr         `xml:"address"`
	Roles   *encStrings      `xml:"roles"`
	Boss    *encUser         `xml:"boss,omitempty"`
	Team    *encUsers        `xml:"team,omitempty"`
	Email   Nillable[string] `xml:"email"`
	Score   XSDDouble        `xml:"score"`
}

type encIssue struct {
	Key      string    `xml:"key"`
	Votes    int64     `xml:"votes"`
	Resolved bool      `xml:"resolved"`
	Reporter *encUser  `xml:"reporter"`
	Watchers *encUsers `xml:"watchers"`
}

type encGetIssue struct {
	XMLName xml.Name  `xml:"-"`
	Token   string    `xml:"token"`
	Issue   *encIssue `xml:"issue"`
}

func (v encGetIssue) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	type plain encGetIssue
	start.Name = xml.Name{Space: "http://soap.rpc.jira.atlassian.com", Local: "getIssue"}
	return impl.EncodeSOAPEnc(e, start, plain(v), testEnc)
}

type encGetIssueResponse struct {
	XMLName xml.Name  `xml:"-"`
	Return  *encIssue `xml:"getIssueReturn"`
}

const nsBeans = "http://beans.soap.rpc.jira.atlassian.com"

var testEnc = impl.NewSOAPEnc(
	impl.EncTypeOf[encAddr](nsBeans, "RemoteAddress"),
	impl.EncArrayOf[encStrings](nsBeans, "ArrayOf_xsd_string", "http://www.w3.org/2001/XMLSchema", "string"),
	impl.EncArrayOf[encUsers](nsBeans, "ArrayOf_tns1_RemoteUser", nsBeans, "RemoteUser"),
	impl.EncTypeOf[encUser](nsBeans, "RemoteUser"),
	impl.EncTypeOf[encIssue](nsBeans, "RemoteIssue"),
)

var opGetIssue = impl.Operation{Name: "getIssue", SOAP: impl.SOAP11, Encoded: testEnc}

// axisEnvelope wraps body parts the way Axis 1.4 writes its answers.
func axisEnvelope(parts ...string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
` + strings.Join(parts, "\n") + `
 </soapenv:Body>
</soapenv:Envelope>`
}

// axisMultiRef is an Axis 1.4 getIssue answer: the wrapper holds only a
// reference, every struct and even some simple values are multiRef
// elements after it, one user is referenced from three places (reporter,
// a watcher, a watcher's boss), and array items repeat the array's
// element name instead of "item".
var axisMultiRef = axisEnvelope(
	`  <ns1:getIssueResponse soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xmlns:ns1="http://soap.rpc.jira.atlassian.com">
   <getIssueReturn href="#id0"/>
  </ns1:getIssueResponse>`,
	`  <multiRef id="id0" soapenc:root="0" soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xsi:type="ns2:RemoteIssue" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:ns2="http://beans.soap.rpc.jira.atlassian.com">
   <key xsi:type="xsd:string">PRJ-1</key>
   <votes href="#id1"/>
   <resolved xsi:type="xsd:boolean">true</resolved>
   <reporter href="#id2"/>
   <watchers xsi:type="soapenc:Array" soapenc:arrayType="ns2:RemoteUser[2]">
    <watchers href="#id2"/>
    <watchers href="#id3"/>
   </watchers>
  </multiRef>`,
	`  <multiRef id="id1" soapenc:root="0" soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xsi:type="xsd:long" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">9007199254740993</multiRef>`,
	`  <multiRef id="id3" soapenc:root="0" soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xsi:type="ns3:RemoteUser" xmlns:ns3="http://beans.soap.rpc.jira.atlassian.com" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">
   <name xsi:type="xsd:string">max &amp; moritz</name>
   <address xsi:type="ns3:RemoteAddress" xsi:nil="true"/>
   <roles xsi:type="soapenc:Array" soapenc:arrayType="xsd:string[0]"/>
   <boss href="#id2"/>
   <email xsi:type="xsd:string">max@example.com</email>
   <score xsi:type="xsd:double">-INF</score>
  </multiRef>`,
	`  <multiRef id="id2" soapenc:root="0" soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xsi:type="ns4:RemoteUser" xmlns:ns4="http://beans.soap.rpc.jira.atlassian.com" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">
   <name xsi:type="xsd:string">zoë</name>
   <address href="#id4"/>
   <roles xsi:type="soapenc:Array" soapenc:arrayType="xsd:string[2]">
    <roles xsi:type="xsd:string">admin</roles>
    <roles xsi:type="xsd:string"> dev </roles>
   </roles>
   <email xsi:type="xsd:string" xsi:nil="true"/>
   <score xsi:type="xsd:double">1.5</score>
  </multiRef>`,
	`  <multiRef id="id4" soapenc:root="0" soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xsi:type="ns5:RemoteAddress" xmlns:ns5="http://beans.soap.rpc.jira.atlassian.com" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">
   <street xsi:type="xsd:string">Main St 1</street>
   <zip href="#id5"/>
  </multiRef>`,
	`  <multiRef id="id5" soapenc:root="0" soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xsi:type="xsd:int" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">50667</multiRef>`,
)

// encServer answers every request with body and hands the request body
// to got (when set).
func encServer(t *testing.T, body string, got *string) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if got != nil {
			*got = string(b)
		}
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return mustClient(t, &impl.Service{Name: "jira", Endpoint: srv.URL})
}

// TestSOAPEncMultiRefDecode: an Axis 1 answer whose values are multiRef
// elements after the wrapper decodes as if they were inline, a shared
// value into each place that references it.
func TestSOAPEncMultiRefDecode(t *testing.T) {
	c := encServer(t, axisMultiRef, nil)
	var out encGetIssueResponse
	if err := c.Invoke(t.Context(), &opGetIssue, &encGetIssue{Token: "t"}, &out); err != nil {
		t.Fatal(err)
	}
	zoe := func() *encUser {
		return &encUser{Name: "zoë", Address: &encAddr{Street: "Main St 1", Zip: 50667},
			Roles: &encStrings{Item: []string{"admin", " dev "}}, Email: Nillable[string]{Nil: true}, Score: 1.5}
	}
	max := encUser{Name: "max & moritz", Roles: &encStrings{}, Boss: zoe(), Email: Value("max@example.com"), Score: XSDDouble(negInf())}
	want := &encIssue{Key: "PRJ-1", Votes: 9007199254740993, Resolved: true, Reporter: zoe(),
		Watchers: &encUsers{Item: []encUser{*zoe(), max}}}
	if !reflect.DeepEqual(out.Return, want) {
		t.Errorf("decoded\n%#v\nwant\n%#v", out.Return, want)
		if out.Return != nil && out.Return.Watchers != nil {
			for _, w := range out.Return.Watchers.Item {
				t.Logf("watcher %#v", w)
			}
		}
	}
	// Each reference got its own value: changing one leaves the others.
	if out.Return != nil && out.Return.Reporter != nil && out.Return.Watchers != nil && len(out.Return.Watchers.Item) == 2 {
		out.Return.Reporter.Name = "changed"
		if out.Return.Watchers.Item[0].Name != "zoë" || out.Return.Watchers.Item[1].Boss.Name != "zoë" {
			t.Error("values decoded from one multiRef share memory")
		}
	}
}

func negInf() float64 { f, _ := parseXSDFloat("-INF", 64); return f }

// TestSOAPEncRequestWire: the request wrapper carries encodingStyle and
// the type declarations, every value its xsi:type, arrays their
// soapenc:arrayType with the count, nil values xsi:nil, and omitted
// optional values nothing; accessors stay unqualified.
func TestSOAPEncRequestWire(t *testing.T) {
	var got string
	c := encServer(t, axisMultiRef, &got)
	in := &encGetIssue{Token: "tok<&>", Issue: &encIssue{Key: "K", Votes: -3, Reporter: &encUser{Name: "n", Email: Value("e"), Score: 0.1,
		Roles: &encStrings{Item: []string{"a", "b"}}},
		Watchers: &encUsers{Item: []encUser{{Name: "w", Email: Nillable[string]{Nil: true}}}}}}
	var out encGetIssueResponse
	if err := c.Invoke(t.Context(), &opGetIssue, in, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		// xsi is declared once, on the envelope (compactNS).
		`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Body>` +
			`<q:getIssue xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:ns1="http://beans.soap.rpc.jira.atlassian.com" xmlns:q="http://soap.rpc.jira.atlassian.com">`,
		`<token xsi:type="xsd:string">tok&lt;&amp;&gt;</token>`,
		`<issue xsi:type="ns1:RemoteIssue"><key xsi:type="xsd:string">K</key><votes xsi:type="xsd:long">-3</votes><resolved xsi:type="xsd:boolean">false</resolved>`,
		`<reporter xsi:type="ns1:RemoteUser"><name xsi:type="xsd:string">n</name><address xsi:nil="true"></address>`,
		`<roles xsi:type="soapenc:Array" soapenc:arrayType="xsd:string[2]"><item xsi:type="xsd:string">a</item><item xsi:type="xsd:string">b</item></roles>`,
		`<email xsi:type="xsd:string">e</email><score xsi:type="xsd:double">0.1</score></reporter>`,
		`<watchers xsi:type="soapenc:Array" soapenc:arrayType="ns1:RemoteUser[1]"><item xsi:type="ns1:RemoteUser"><name xsi:type="xsd:string">w</name>`,
		`<email xsi:nil="true"></email>`,
		`</q:getIssue></soap:Body>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("request lacks %s\nrequest: %s", want, got)
		}
	}
	if strings.Contains(got, "<boss") {
		t.Errorf("an omitted optional value (nil, omitempty) was written: %s", got)
	}
}

// TestSOAPEncHostileReferences: references that point nowhere, in a
// circle, or that multiply (each multiRef referencing the next twice)
// fail with an error instead of hanging or filling memory.
func TestSOAPEncHostileReferences(t *testing.T) {
	wrapper := `<ns1:getIssueResponse xmlns:ns1="urn:x"><getIssueReturn href="#id0"/></ns1:getIssueResponse>`
	var chain strings.Builder
	const levels = 40
	for i := 0; i < levels; i++ {
		fmt.Fprintf(&chain, `<multiRef id="u%d"><team soapenc:arrayType="ns:U[2]" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"><item href="#u%d"/><item href="#u%d"/></team></multiRef>`, i, i+1, i+1)
	}
	fmt.Fprintf(&chain, `<multiRef id="u%d"><name>end</name></multiRef>`, levels)
	for name, c := range map[string]struct{ body, want string }{
		"dangling": {axisEnvelope(wrapper), `href "#id0" references no element`},
		"external": {axisEnvelope(`<ns1:r xmlns:ns1="urn:x"><getIssueReturn href="http://evil/x"/></ns1:r>`), `does not reference an element of the message`},
		"cycle": {axisEnvelope(wrapper, `<multiRef id="id0"><reporter href="#u"/></multiRef>`,
			`<multiRef id="u"><name>loop</name><boss href="#u"/></multiRef>`), "nest deeper than"},
		"self":     {axisEnvelope(wrapper, `<multiRef id="id0" href="#id0"/>`), "href chain longer than"},
		"doubling": {axisEnvelope(wrapper, `<multiRef id="id0"><reporter href="#u0"/></multiRef>`, chain.String()), "more than 400000 values"},
	} {
		t.Run(name, func(t *testing.T) {
			cl := encServer(t, c.body, nil)
			var out encGetIssueResponse
			err := cl.Invoke(t.Context(), &opGetIssue, &encGetIssue{}, &out)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one containing %q", err, c.want)
			}
		})
	}
}

// A polymorphic holder as the generator writes one: its own MarshalXML
// and UnmarshalXML are literal, so an encoded value must not go through
// them.
type encShape interface{ isShape() }

type encCircle struct {
	R int32 `xml:"r"`
}

func (*encCircle) isShape() {}

type encSquare struct {
	Side XSDDecimal `xml:"side"`
}

func (*encSquare) isShape() {}

type encAnyShape struct{ Value encShape }

func (encAnyShape) MarshalXML(*xml.Encoder, xml.StartElement) error {
	return fmt.Errorf("literal MarshalXML used")
}

func (*encAnyShape) UnmarshalXML(*xml.Decoder, xml.StartElement) error {
	return fmt.Errorf("literal UnmarshalXML used")
}

type encDraw struct {
	XMLName xml.Name      `xml:"-"`
	Shapes  []encAnyShape `xml:"shape"`
}

func (v encDraw) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	type plain encDraw
	start.Name = xml.Name{Space: "urn:draw", Local: "draw"}
	return impl.EncodeSOAPEnc(e, start, plain(v), shapeEnc)
}

type encDrawResponse struct {
	XMLName xml.Name      `xml:"-"`
	Shapes  []encAnyShape `xml:"shape"`
}

var shapeEnc = impl.NewSOAPEnc(impl.EncTypeOf[encCircle]("urn:shapes", "Circle"), impl.EncTypeOf[encSquare]("urn:shapes", "Square"))

// TestSOAPEncPolymorphic: a value of a derived type is written with its
// own xsi:type and encoded members; read back, the xsi:type (its prefix
// declared on an ancestor or on the multiRef itself) picks the Go type.
func TestSOAPEncPolymorphic(t *testing.T) {
	answer := axisEnvelope(`<ns1:drawResponse xmlns:ns1="urn:draw" xmlns:s="urn:shapes"><shape xsi:type="s:Circle"><r>3</r></shape><shape href="#id0"/><shape xsi:nil="true"/></ns1:drawResponse>`,
		`<multiRef id="id0" xsi:type="q:Square" xmlns:q="urn:shapes"><side>1.50</side></multiRef>`)
	var got string
	c := encServer(t, answer, &got)
	op := impl.Operation{Name: "draw", SOAP: impl.SOAP11, Encoded: shapeEnc}
	var out encDrawResponse
	in := &encDraw{Shapes: []encAnyShape{{Value: &encCircle{R: 1}}, {Value: &encSquare{Side: "2"}}}}
	if err := c.Invoke(t.Context(), &op, in, &out); err != nil {
		t.Fatal(err)
	}
	if want := `<shape xsi:type="ns1:Circle"><r xsi:type="xsd:int">1</r></shape><shape xsi:type="ns1:Square"><side xsi:type="xsd:decimal">2</side></shape>`; !strings.Contains(got, want) {
		t.Errorf("request lacks %s\nrequest: %s", want, got)
	}
	want := []encAnyShape{{Value: &encCircle{R: 3}}, {Value: &encSquare{Side: "1.50"}}, {}}
	if !reflect.DeepEqual(out.Shapes, want) {
		t.Errorf("decoded %#v, want %#v", out.Shapes, want)
	}
}
