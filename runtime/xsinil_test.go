package runtime

import (
	"encoding/xml"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// nilAddr is what the generator emits for a struct some nillable element
// has as its type.
type nilAddr struct {
	City string `xml:"urn:t City"`
}

func (v *nilAddr) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	if impl.XSINil(start) {
		impl.MarkXSINil(d, v)
		return d.Skip()
	}
	type plain nilAddr
	return d.DecodeElement((*plain)(v), &start)
}

type nilPerson struct {
	XMLName xml.Name   `xml:"urn:t Person"`
	Home    *nilAddr   `xml:"urn:t Home"`
	Work    *nilAddr   `xml:"urn:t Work"`
	Past    []*nilAddr `xml:"urn:t Past"`
	Kept    []nilAddr  `xml:"urn:t Kept"`
}

const nilPersonXML = `<t:Person xmlns:t="urn:t" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">` +
	`<t:Home i:nil="true"/><t:Work><t:City>Oslo</t:City></t:Work>` +
	`<t:Past><t:City>Bergen</t:City></t:Past><t:Past i:nil="1"/>` +
	`<t:Kept i:nil="true"/><t:Kept><t:City>Trondheim</t:City></t:Kept></t:Person>`

// In a response the runtime decodes (body, typed fault detail), a pointer
// to a struct decoded from xsi:nil="true" ends up nil, in fields and in
// slices of pointers; its siblings keep their values. A slice of structs
// keeps a zero item (a slice element has no nil).
func TestXSINilComplexDecodesNil(t *testing.T) {
	check := func(name string, p *nilPerson) {
		t.Helper()
		if p.Home != nil {
			t.Errorf("%s: Home = %+v, want nil (xsi:nil)", name, p.Home)
		}
		if p.Work == nil || p.Work.City != "Oslo" {
			t.Errorf("%s: Work = %+v, want Oslo", name, p.Work)
		}
		if len(p.Past) != 2 || p.Past[0] == nil || p.Past[0].City != "Bergen" || p.Past[1] != nil {
			t.Errorf("%s: Past = %+v, want [Bergen, nil]", name, p.Past)
		}
		if len(p.Kept) != 2 || p.Kept[0].City != "" || p.Kept[1].City != "Trondheim" {
			t.Errorf("%s: Kept = %+v, want [{}, Trondheim]", name, p.Kept)
		}
	}

	var body nilPerson
	env := `<s:Envelope xmlns:s="` + nsSOAP11 + `"><s:Body>` + nilPersonXML + `</s:Body></s:Envelope>`
	if _, err := decodeEnvelope([]byte(env), &impl.Operation{Name: "get"}, &body, false); err != nil {
		t.Fatal(err)
	}
	check("body", &body)

	fault := `<s:Envelope xmlns:s="` + nsSOAP11 + `"><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>no</faultstring><detail>` + nilPersonXML + `</detail></s:Fault></s:Body></s:Envelope>`
	op := &impl.Operation{Name: "get", Faults: []impl.FaultType{{Name: xml.Name{Space: "urn:t", Local: "Person"}, New: func() any { return new(nilPerson) }}}}
	res, err := decodeEnvelope([]byte(fault), op, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := res.fault.Detail.(*nilPerson)
	if !ok {
		t.Fatalf("detail = %#v", res.fault.Detail)
	}
	check("fault detail", p)

	// A plain xml.Unmarshal has no runtime decode to tell: the pointer
	// stays, to an empty value, as encoding/xml made it.
	var plain nilPerson
	if err := xml.Unmarshal([]byte(nilPersonXML), &plain); err != nil {
		t.Fatal(err)
	}
	if plain.Home == nil || plain.Home.City != "" {
		t.Errorf("plain xml.Unmarshal: Home = %+v, want an empty value", plain.Home)
	}
}
