package roundtrip_test

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wsdlsess/wsdlsess/golden/wcf"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// The WCF-shaped client against answers in WCF's own serializer style: a
// DataContract with i:nil simple elements, a string array with a nil item,
// a dictionary, a duration, an enum and a flags list decode typed; the
// declared fault arrives as *ServiceFaultElement (the element;
// ServiceFault is its type); the request carries the guid in the tempuri
// namespace with the SOAP 1.1 action.
func TestWCFClient(t *testing.T) {
	dir := "../../../testdata/wsdl/wcf/samples/"
	ok, fault := readFile(t, dir+"get-contact-response.xml"), readFile(t, dir+"service-fault.xml")
	var gotAction, gotBody string
	// WCF's null members: the whole result, and inside a result.
	nilResult := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetContactResponse xmlns="http://tempuri.org/"><GetContactResult i:nil="true" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"/></GetContactResponse></s:Body></s:Envelope>`
	nilInside := strings.Replace(ok, `<a:Tags xmlns:b="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><b:string>vip</b:string><b:string i:nil="true"/><b:string>newsletter</b:string></a:Tags>`, `<a:Tags i:nil="true"/>`, 1)
	if nilInside == ok {
		t.Fatal("sample changed: Tags not found")
	}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotAction, gotBody = r.Header.Get("SOAPAction"), string(b)
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		if strings.Contains(gotBody, "11111111-1111-1111-1111-111111111111") {
			io.WriteString(w, nilResult)
			return
		}
		if strings.Contains(gotBody, "00000000-0000-0000-0000-000000000000") {
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, fault)
			return
		}
		io.WriteString(w, ok)
	}))
	defer hs.Close()
	c, err := wcf.NewBasicHttpBindingICrmServiceClient(runtime.WithEndpoint(hs.URL))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	id := wcf.Guid("6f9619ff-8b86-d011-b42d-00c04fc964ff")
	got, err := c.GetContact(ctx, &wcf.GetContact{ContactId: &id})
	if err != nil {
		t.Fatal(err)
	}
	var req struct {
		Body struct {
			GetContact struct {
				ContactID string `xml:"http://tempuri.org/ contactId"`
			} `xml:"http://tempuri.org/ GetContact"`
		} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
	}
	if err := xml.Unmarshal([]byte(gotBody), &req); gotAction != `"http://tempuri.org/ICrmService/GetContact"` || err != nil ||
		req.Body.GetContact.ContactID != "6f9619ff-8b86-d011-b42d-00c04fc964ff" {
		t.Errorf("request: SOAPAction %s, body %s (%v)", gotAction, gotBody, err)
	}
	created := runtime.XSDDateTime("2026-11-30T08:15:00")
	bal := runtime.XSDDecimal("1250.10")
	dur := wcf.Duration("P2DT3H")
	st := wcf.ContactStatusInactive
	ch := wcf.ContactChannelsEmail + " " + wcf.ContactChannelsPhone
	want := &wcf.Contact{
		CreatedOn: &created, Id: &id, Balance: &bal, Channels: &ch,
		Email: &runtime.Nillable[string]{Nil: true},
		Name:  runtime.ValuePtr("Ada Lovelace"),
		Properties: &wcf.ArrayOfKeyValueOfstringstring{KeyValueOfstringstring: []wcf.ArrayOfKeyValueOfstringstringKeyValueOfstringstring{
			{Key: runtime.Value("segment"), Value: runtime.Value("enterprise")},
			{Key: runtime.Value("region"), Value: runtime.Nil[string]()},
		}},
		ReminderAfter: &dur, Status: &st,
		Tags: &wcf.ArrayOfstring{String: []runtime.Nillable[string]{runtime.Value("vip"), {Nil: true}, runtime.Value("newsletter")}},
	}
	if diff := cmp.Diff(want, got.GetContactResult); diff != "" {
		t.Errorf("GetContactResult (-want +got):\n%s", diff)
	}

	// xsi:nil on a nillable complex element decodes as nil, not as a
	// pointer to an empty struct.
	ones := wcf.Guid("11111111-1111-1111-1111-111111111111")
	if got, err := c.GetContact(ctx, &wcf.GetContact{ContactId: &ones}); err != nil || got.GetContactResult != nil {
		t.Errorf("xsi:nil result: got %+v, %v; want a nil GetContactResult", got, err)
	}
	ok = nilInside
	if got, err := c.GetContact(ctx, &wcf.GetContact{ContactId: &id}); err != nil || got.GetContactResult == nil || got.GetContactResult.Tags != nil || got.GetContactResult.Properties == nil {
		t.Errorf("xsi:nil Tags: got %+v, %v; want a result with nil Tags and its Properties", got.GetContactResult, err)
	}

	zero := wcf.Guid("00000000-0000-0000-0000-000000000000")
	_, err = c.GetContact(ctx, &wcf.GetContact{ContactId: &zero})
	var f *runtime.Fault
	if !errors.As(err, &f) {
		t.Fatalf("error %v is not a *runtime.Fault", err)
	}
	sf, isSF := f.Detail.(*wcf.ServiceFaultElement)
	if !isSF || sf.ErrorCode == nil || *sf.ErrorCode != 404 || f.String != "No contact with id 00000000-0000-0000-0000-000000000000." {
		t.Errorf("fault %q, detail %#v, want *ServiceFaultElement with ErrorCode 404", f.String, f.Detail)
	}
}
