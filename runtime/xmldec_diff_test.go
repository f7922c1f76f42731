package runtime_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	cookiesap "github.com/wsdlsess/wsdlsess/golden/cookie-sap"
	iso88591 "github.com/wsdlsess/wsdlsess/golden/iso-8859-1"
	"github.com/wsdlsess/wsdlsess/golden/multifile"
	oraclecrmod "github.com/wsdlsess/wsdlsess/golden/oracle-crmod"
	rpcliteral "github.com/wsdlsess/wsdlsess/golden/rpc-literal"
	sfe "github.com/wsdlsess/wsdlsess/golden/salesforce-enterprise"
	sfm "github.com/wsdlsess/wsdlsess/golden/salesforce-metadata"
	sfp "github.com/wsdlsess/wsdlsess/golden/salesforce-partner"
	sappiasync "github.com/wsdlsess/wsdlsess/golden/sap-pi-async"
	sapsoap12 "github.com/wsdlsess/wsdlsess/golden/sap-soap12"
	"github.com/wsdlsess/wsdlsess/golden/siebel"
	utf16 "github.com/wsdlsess/wsdlsess/golden/utf-16"
	"github.com/wsdlsess/wsdlsess/golden/vsphere"
	"github.com/wsdlsess/wsdlsess/golden/wcf"
	xsdconstructs "github.com/wsdlsess/wsdlsess/golden/xsd-constructs"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// sampleTypes maps each response sample to the golden type its body
// decodes into; fast says xmldec must decode it (its type has a plan).
var sampleTypes = map[string]struct {
	newOut func() any
	fast   bool
}{
	"cookie-sap/samples/salesorder-create-response.xml":           {func() any { return new(cookiesap.SalesOrderCreateConfirmationSync) }, true},
	"cookie-sap/samples/salesorder-read-response.xml":             {func() any { return new(cookiesap.SalesOrderByIDResponseSync) }, true},
	"iso-8859-1/samples/kunde-anlegen-response-utf8.xml":          {func() any { return new(iso88591.KundeAnlegenAntwort) }, true},
	"iso-8859-1/samples/kunde-pruefen-response-latin1.xml":        {func() any { return new(iso88591.KundePrüfenAntwort) }, false},
	"multifile/samples/create-order-response.xml":                 {func() any { return new(multifile.CreateOrderResponse) }, true},
	"multifile/samples/get-order-response.xml":                    {func() any { return new(multifile.GetOrderResponse) }, true},
	"oracle-crmod/samples/account-query-page-response.xml":        {func() any { return new(oraclecrmod.AccountQueryPageOutput) }, true},
	"rpc-literal/samples/echo-response.xml":                       {func() any { return new(rpcliteral.EchoResponse) }, true},
	"rpc-literal/samples/get-item-response.xml":                   {func() any { return new(rpcliteral.GetItemResponse) }, true},
	"rpc-literal/samples/list-items-response.xml":                 {func() any { return new(rpcliteral.ListItemsResponse) }, true},
	"rpc-literal/samples/ping-response.xml":                       {func() any { return new(rpcliteral.PingResponse) }, true},
	"salesforce-enterprise/samples/login-response.xml":            {func() any { return new(sfe.LoginResponse) }, true},
	"salesforce-enterprise/samples/query-response.xml":            {func() any { return new(sfe.QueryResponse) }, true},
	"salesforce-enterprise/samples/retrieve-response.xml":         {func() any { return new(sfe.RetrieveResponse) }, true},
	"salesforce-metadata/samples/describe-metadata-response.xml":  {func() any { return new(sfm.DescribeMetadataResponse) }, true},
	"salesforce-metadata/samples/read-metadata-response.xml":      {func() any { return new(sfm.ReadMetadataResponse) }, true},
	"salesforce-partner/samples/invalidate-sessions-response.xml": {func() any { return new(sfp.InvalidateSessionsResponse) }, true},
	"salesforce-partner/samples/login-response.xml":               {func() any { return new(sfp.LoginResponse) }, true},
	"salesforce-partner/samples/query-relationship-response.xml":  {func() any { return new(sfp.QueryResponse) }, true},
	"salesforce-partner/samples/query-response.xml":               {func() any { return new(sfp.QueryResponse) }, true},
	"sap-pi-async/samples/status-response.xml":                    {func() any { return new(sappiasync.PurchaseOrderStatusMT) }, true},
	"sap-soap12/samples/getlist-response.xml":                     {func() any { return new(sapsoap12.ZbapiSalesorderGetlistResponse) }, true},
	"sap-soap12/samples/salesorder-change-response.xml":           {func() any { return new(sapsoap12.BapiSalesorderChangeResponse) }, true},
	"siebel/samples/account-query-page-response.xml":              {func() any { return new(siebel.AccountSpcQuerySpcPageOutput) }, true},
	"siebel/samples/contact-insert-response.xml":                  {func() any { return new(siebel.ContactSpcInsertOutput) }, true},
	"utf-16/samples/celsius-to-fahrenheit-response-soap12.xml":    {func() any { return new(utf16.CelsiusToFahrenheitResponse) }, true},
	"utf-16/samples/celsius-to-fahrenheit-response-utf16.xml":     {func() any { return new(utf16.CelsiusToFahrenheitResponse) }, false},
	"vsphere/samples/login-response.xml":                          {func() any { return new(vsphere.LoginResponse) }, true},
	"vsphere/samples/retrieve-properties-response.xml":            {func() any { return new(vsphere.RetrievePropertiesResponse) }, true},
	"vsphere/samples/retrieve-service-content-response.xml":       {func() any { return new(vsphere.RetrieveServiceContentResponse) }, true},
	"wcf/samples/get-contact-response.xml":                        {func() any { return new(wcf.GetContactResponse) }, true},
	"xsd-constructs/samples/draw-response.xml":                    {func() any { return new(xsdconstructs.DrawResponse) }, true},
	"xsd-constructs/samples/echo-builtins-response.xml":           {func() any { return new(xsdconstructs.EchoBuiltinsResponse) }, true},
	"xsd-constructs/samples/process-response.xml":                 {func() any { return new(xsdconstructs.ProcessResponse) }, true},
	"xsd-constructs/samples/store-record-response.xml":            {func() any { return new(xsdconstructs.RecordReceipt) }, true},
}

// allFields compares unexported fields too (an xmlNode's scope).
var allFields = cmp.Exporter(func(reflect.Type) bool { return true })

// decodeBoth decodes data with encoding/xml and with xmldec allowed and
// fails the test on any difference; it returns whether xmldec decoded.
func decodeBoth(t *testing.T, name string, data []byte, newOut func() any) bool {
	t.Helper()
	want, got := newOut(), newOut()
	_, wantFault, wantErr := runtime.DecodeResponseForTest(data, want, false)
	fast, gotFault, gotErr := runtime.DecodeResponseForTest(data, got, true)
	if (wantErr == nil) != (gotErr == nil) || wantErr != nil && wantErr.Error() != gotErr.Error() {
		t.Fatalf("%s: error %v with xmldec, %v with encoding/xml", name, gotErr, wantErr)
	}
	if diff := cmp.Diff(want, got, allFields); diff != "" {
		t.Fatalf("%s: xmldec decodes otherwise than encoding/xml (-encoding/xml +xmldec):\n%s", name, diff)
	}
	if diff := cmp.Diff(wantFault, gotFault, allFields); diff != "" {
		t.Fatalf("%s: fault differs:\n%s", name, diff)
	}
	return fast
}

func TestXMLDecSamplesMatchEncodingXML(t *testing.T) {
	files, err := filepath.Glob("../testdata/wsdl/*/samples/*.xml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	seen := 0
	for _, f := range files {
		key := strings.TrimPrefix(filepath.ToSlash(f), "../testdata/wsdl/")
		st, ok := sampleTypes[key]
		if !ok {
			continue // faults and rpc/encoded answers: no body value
		}
		seen++
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fast := decodeBoth(t, key, data, st.newOut)
		if fast != st.fast {
			t.Errorf("%s: decoded by xmldec = %v, want %v", key, fast, st.fast)
		}
	}
	if seen != len(sampleTypes) {
		t.Errorf("%d of %d samples found", seen, len(sampleTypes))
	}
}
