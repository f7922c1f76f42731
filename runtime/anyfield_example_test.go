package runtime_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/wsdlsess/wsdlsess/runtime"
	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// sObject is the shape the generator writes for the Partner WSDL's
// {urn:sobject.partner.soap.sforce.com}sObject: type and Id are declared,
// every other field arrives in the xsd:any list.
type sObject struct {
	Type string               `xml:"urn:sobject.partner.soap.sforce.com type"`
	Id   string               `xml:"urn:sobject.partner.soap.sforce.com Id"`
	Any  []runtime.XSDAnyType `xml:",any"`
}

type exQuery struct {
	XMLName     xml.Name `xml:"urn:partner.soap.sforce.com query"`
	QueryString string   `xml:"urn:partner.soap.sforce.com queryString"`
}

type exQueryResponse struct {
	Records []sObject `xml:"urn:partner.soap.sforce.com result>records"`
}

// Reading the fields of a Salesforce Partner record: AnyText for a plain
// field, AnyDecode for a nested record (a relationship such as Owner),
// both by the field's name.
func ExampleAnyText() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(w, `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:sf="urn:sobject.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<soapenv:Body><queryResponse><result><records xsi:type="sf:sObject">
  <sf:type>Account</sf:type><sf:Id>001xx000003DGb2AAG</sf:Id>
  <sf:Name>Smith &amp; Sons</sf:Name>
  <sf:Phone xsi:nil="true"/>
  <sf:Owner xsi:type="sf:sObject"><sf:type>User</sf:type><sf:Name>Jane Roe</sf:Name></sf:Owner>
</records></result></queryResponse></soapenv:Body></soapenv:Envelope>`)
	}))
	defer srv.Close()

	c, err := runtime.NewClient(&impl.Service{Name: "Partner", Endpoint: srv.URL})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close(context.Background())
	var out exQueryResponse
	query := &impl.Operation{Name: "query", SOAP: impl.SOAP11}
	if err := c.Invoke(context.Background(), query, &exQuery{QueryString: "SELECT Name, Phone, Owner.Name FROM Account"}, &out); err != nil {
		fmt.Println(err)
		return
	}

	rec := out.Records[0]
	name, _ := runtime.AnyText(rec.Any, "Name")
	phone, ok := runtime.AnyText(rec.Any, "Phone")
	fmt.Printf("Name %q; Phone %q (present: %v)\n", name, phone, ok)
	_, ok = runtime.AnyText(rec.Any, "Website")
	fmt.Println("Website present:", ok)

	var owner sObject
	if _, err := runtime.AnyDecode(rec.Any, "Owner", &owner); err != nil {
		fmt.Println(err)
		return
	}
	ownerName, _ := runtime.AnyText(owner.Any, "Name")
	fmt.Println("Owner:", owner.Type, ownerName)
	// Output:
	// Name "Smith & Sons"; Phone "" (present: true)
	// Website present: false
	// Owner: User Jane Roe
}
