package roundtrip_test

import (
	"context"
	"testing"

	sfdc "github.com/wsdlsess/wsdlsess/golden/salesforce-partner"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// TestPartnerPHPInterop: the golden Partner client against PHP's
// SoapServer (libxml2) serving partner.wsdl: the login, then a query
// under the SessionHeader the login's session fills in. The request
// declares each namespace once, on the envelope (the body's as the
// default namespace, which the session header shares): a server that
// reads names as XML says reads the header and the body in their
// namespace.
func TestPartnerPHPInterop(t *testing.T) {
	url := startPHP(t, "partner_server.php", "PARTNER_WSDL", "../../../testdata/wsdl/salesforce-partner/partner.wsdl")
	c, err := sfdc.NewClient(runtime.WithEndpoint(url), runtime.WithCredentials(runtime.Password("ann@example.com", "pw")))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	const soql = "SELECT Id FROM Account WHERE Name = 'Acme & Co'"
	got, err := c.Query(context.Background(), &sfdc.Query{QueryString: soql})
	if err != nil {
		t.Fatal(err)
	}
	if got.Result == nil || got.Result.QueryLocator.Value != "SID-php-1|"+soql || got.Result.Size != int32(len(soql)) {
		t.Errorf("PHP read %+v, want the session SID-php-1 and the query %q", got.Result, soql)
	}
}
