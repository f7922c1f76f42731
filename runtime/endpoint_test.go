package runtime

import (
	"strings"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// A WSDL without soap:address (or without any service, as SAP PI/CPI
// exports are) gives a Service with no endpoint: NewClient refuses it and
// says which client and which option, and accepts it once the option is
// there.
func TestNewClientWithoutEndpoint(t *testing.T) {
	for _, tc := range []struct {
		svc   impl.Service
		label string
	}{
		{impl.Service{Name: "Orders", Port: "OrdersSoap"}, "runtime.NewClient(Orders/OrdersSoap)"},
		{impl.Service{Port: "SendOrder_AsyncBinding"}, "runtime.NewClient(SendOrder_AsyncBinding)"},
	} {
		_, err := NewClient(&tc.svc)
		if err == nil {
			t.Fatalf("%s: NewClient without an endpoint succeeded", tc.label)
		}
		if !strings.HasPrefix(err.Error(), tc.label+": no endpoint") || !strings.Contains(err.Error(), "runtime.WithEndpoint(url)") {
			t.Errorf("error = %q, want it to start %q and name runtime.WithEndpoint(url)", err, tc.label)
		}
		c, err := NewClient(&tc.svc, WithEndpoint("http://127.0.0.1:1/soap"))
		if err != nil {
			t.Fatalf("%s: NewClient with WithEndpoint: %v", tc.label, err)
		}
		c.Close(t.Context())
	}
}
