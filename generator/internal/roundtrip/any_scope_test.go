package roundtrip_test

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	sfp "github.com/wsdlsess/wsdlsess/golden/salesforce-partner"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// A relationship query through the generated Partner client: the related
// Owner record is xsd:any content whose prefixes the envelope declares.
// The raw element keeps that scope, so it decodes into a caller's type,
// and sent back (an sObject field of an update) it still means the same.
func TestPartnerRelationshipFieldKeepsNamespaces(t *testing.T) {
	login := readFile(t, "../../../testdata/wsdl/salesforce-partner/samples/login-response.xml")
	query := readFile(t, "../../../testdata/wsdl/salesforce-partner/samples/query-relationship-response.xml")
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		if strings.Contains(string(b), "<login") || strings.Contains(string(b), ":login") {
			io.WriteString(w, strings.ReplaceAll(login, "https://example-dev-ed.my.salesforce.com", srv.URL))
			return
		}
		io.WriteString(w, query)
	}))
	defer srv.Close()
	c, err := sfp.NewClient(runtime.WithEndpoint(srv.URL), runtime.WithCredentials(runtime.Password("u", "p")))
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Query(context.Background(), &sfp.Query{QueryString: "SELECT Name, Owner.Name FROM Account"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Result == nil || len(res.Result.Records) != 1 {
		t.Fatalf("result = %+v", res.Result)
	}
	var owner *runtime.XSDAnyType
	for i, a := range res.Result.Records[0].Any {
		if a.XMLName.Local == "Owner" {
			owner = &res.Result.Records[0].Any[i]
		}
	}
	if owner == nil {
		t.Fatalf("no Owner among %+v", res.Result.Records[0].Any)
	}
	// Decoded into the generated sObject type, fields and all.
	var user sfp.SObject
	if err := owner.Decode(&user); err != nil {
		t.Fatal(err)
	}
	var name string
	for _, f := range user.Any {
		if f.XMLName.Local == "Name" {
			name = string(f.Inner)
		}
	}
	if user.Type != "User" || !user.Id.Nil || name != "Jane Roe" {
		t.Errorf("owner = type %q, id %+v, name %q; want User, nil id, Jane Roe", user.Type, user.Id, name)
	}
	// Re-encoded, the xsi:type value's prefix is declared.
	b, err := xml.Marshal(owner)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `xmlns:sf="urn:sobject.partner.soap.sforce.com"`) || !strings.Contains(string(b), `xsi:type="sf:sObject"`) {
		t.Errorf("re-encoded owner lost its prefixes: %s", b)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
