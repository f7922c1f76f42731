package runtime_test

import (
	"encoding/xml"
	"fmt"
	"testing"

	sfp "github.com/wsdlsess/wsdlsess/golden/salesforce-partner"
	"github.com/wsdlsess/wsdlsess/golden/vsphere"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// partnerCreate is a Salesforce Partner create of 200 sObjects with
// eight fields each (xsd:any content).
func partnerCreate() *sfp.Create {
	c := &sfp.Create{}
	for i := range 200 {
		o := sfp.SObject{Type: "Account", FieldsToNull: []runtime.Nillable[string]{runtime.Value("Fax")}}
		for j, f := range []string{"Name", "Phone", "Website", "Industry", "BillingCity", "BillingStreet", "Description", "NumberOfEmployees"} {
			o.Any = append(o.Any, runtime.XSDAnyType{
				XMLName: xml.Name{Space: "urn:sobject.partner.soap.sforce.com", Local: f},
				Inner:   fmt.Appendf(nil, "value %d of field %d &amp; more", i, j),
			})
		}
		c.SObjects = append(c.SObjects, o)
	}
	return c
}

// vsphereRetrieve is a RetrieveProperties of 100 filter specs, each
// with property specs and an object spec traversing through
// TraversalSpecs (xsi:type) and SelectionSpecs.
func vsphereRetrieve() *vsphere.RetrieveProperties {
	str := func(s string) *string { return &s }
	r := &vsphere.RetrieveProperties{This: &vsphere.ManagedObjectReference{Type: "PropertyCollector", Value: "propertyCollector"}}
	for i := range 100 {
		spec := vsphere.PropertyFilterSpec{
			PropSet: []vsphere.PropertySpec{
				{Type: "VirtualMachine", PathSet: []string{"name", "runtime.powerState", "config.hardware.numCPU", "summary.quickStats"}},
				{Type: "HostSystem", PathSet: []string{"name", "hardware.memorySize"}},
			},
		}
		os := vsphere.ObjectSpec{Obj: &vsphere.ManagedObjectReference{Type: "Folder", Value: fmt.Sprintf("group-d%d", i)}}
		for j := range 4 {
			os.SelectSet = append(os.SelectSet, vsphere.AnySelectionSpec{Value: &vsphere.TraversalSpec{
				Name: str(fmt.Sprintf("traverse%d", j)), Type: "Folder", Path: "childEntity",
				SelectSet: []vsphere.AnySelectionSpec{{Value: &vsphere.SelectionSpec{Name: str("traverse0")}}},
			}})
		}
		spec.ObjectSet = []vsphere.ObjectSpec{os}
		r.SpecSet = append(r.SpecSet, spec)
	}
	return r
}

// plainEnvelope is a SOAP 1.1 envelope as a hand-written client marshals it.
type plainEnvelope struct {
	XMLName xml.Name  `xml:"http://schemas.xmlsoap.org/soap/envelope/ Envelope"`
	Body    plainBody `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
}

type plainBody struct {
	Content any
}

// BenchmarkEncodeLarge writes large request envelopes (encoding and
// namespace handling) with the runtime's encoding/xml + compactNS path
// and with xmlenc, side by side, and marshals them as a hand-written
// client would (xml-marshal-plain, the floor).
func BenchmarkEncodeLarge(b *testing.B) {
	for _, c := range []struct {
		name string
		body any
	}{
		{"salesforce-partner-create-200", partnerCreate()},
		{"vsphere-retrieveproperties-100", vsphereRetrieve()},
	} {
		// The floor the issue names: xml.Marshal of the envelope with the
		// same body value, nothing else (no namespace compaction).
		b.Run(c.name+"/xml-marshal-plain", func(b *testing.B) {
			env := plainEnvelope{Body: plainBody{Content: c.body}}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := xml.Marshal(&env); err != nil {
					b.Fatal(err)
				}
			}
		})
		for _, m := range []struct {
			name string
			fast bool
		}{{"encoding-xml", false}, {"xmlenc", true}} {
			b.Run(c.name+"/"+m.name, func(b *testing.B) {
				out, used, err := runtime.WriteEnvelopeForTest(c.body, false, m.fast)
				if err != nil || used != m.fast {
					b.Fatalf("fast %v, err %v", used, err)
				}
				b.SetBytes(int64(len(out)))
				b.ReportAllocs()
				for b.Loop() {
					if _, _, err := runtime.WriteEnvelopeForTest(c.body, false, m.fast); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestEncodeLargeSamplesMatch: the benchmark's requests mean the same
// both ways.
func TestEncodeLargeSamplesMatch(t *testing.T) {
	for _, v := range []any{partnerCreate(), vsphereRetrieve()} {
		if !compareEncodings(t, fmt.Sprintf("%T", v), v, false) {
			t.Errorf("%T not encoded by xmlenc", v)
		}
	}
}
