package roundtrip_test

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	pi "github.com/wsdlsess/wsdlsess/golden/sap-pi-async"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// piServer is a PI/CPI adapter endpoint: the async interface answers an
// empty 202 (or 200, as some adapters do), the sync one a sample response
// or, for an unknown order, the standard PI fault.
type piServer struct {
	mu               sync.Mutex
	action, ct, body string
	response, fault  string
	asyncStatus      int
}

func (s *piServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.action, s.ct, s.body = r.Header.Get("SOAPAction"), r.Header.Get("Content-Type"), string(b)
	s.mu.Unlock()
	switch {
	case strings.Contains(string(b), "PurchaseOrder_MT"):
		w.WriteHeader(s.asyncStatus)
	case strings.Contains(string(b), "<orderNumber>4500099999</orderNumber>"):
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, s.fault)
	default:
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		io.WriteString(w, s.response)
	}
}

// A WSDL exported without wsdl:service still gives working clients, one per
// binding, once the caller names the endpoint: the one-way operation sends
// its message and accepts an empty 200 or 202, the synchronous one decodes
// its response and its typed fault.
func TestBindingOnlyClients(t *testing.T) {
	if _, err := pi.NewPurchaseOrderOutBindingClient(); err == nil || !strings.Contains(err.Error(), "PurchaseOrder_OutBinding") || !strings.Contains(err.Error(), "runtime.WithEndpoint") {
		t.Fatalf("constructor without an endpoint: err = %v, want one naming the binding and runtime.WithEndpoint", err)
	}
	dir := "../../../testdata/wsdl/sap-pi-async/samples/"
	srv := &piServer{response: readFile(t, dir+"status-response.xml"), fault: readFile(t, dir+"standard-message-fault.xml")}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	c11, err := pi.NewPurchaseOrderOutBindingClient(runtime.WithEndpoint(hs.URL))
	if err != nil {
		t.Fatal(err)
	}
	c12, err := pi.NewPurchaseOrderOutBinding12Client(runtime.WithEndpoint(hs.URL))
	if err != nil {
		t.Fatal(err)
	}
	type client interface {
		PurchaseOrderAsync(context.Context, *pi.PurchaseOrderMT, ...runtime.CallOption) error
		PurchaseOrderStatusSync(context.Context, *pi.PurchaseOrderStatusQueryMT, ...runtime.CallOption) (*pi.PurchaseOrderStatusMT, error)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name       string
		c          client
		wantAction string
	}{
		{"soap11", c11, "http://sap.com/xi/WebService/soap1.1"},
		{"soap12", c12, "http://sap.com/xi/WebService/soap1.2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, status := range []int{http.StatusAccepted, http.StatusOK} {
				srv.asyncStatus = status
				qty := runtime.XSDDecimal("12.500")
				order := &pi.PurchaseOrderMT{OrderNumber: "4500017321", SupplierName: "ACME", Item: []pi.PurchaseOrderDTItem{{ProductName: "bolt", Quantity: qty}}}
				if err := tc.c.PurchaseOrderAsync(ctx, order); err != nil {
					t.Fatalf("one-way call answered %d: %v", status, err)
				}
				var sent struct {
					Body struct {
						Order struct {
							XMLName xml.Name
							Number  string `xml:"orderNumber"`
							Items   []struct {
								Product  string `xml:"productName"`
								Quantity string `xml:"quantity"`
							} `xml:"item"`
						} `xml:",any"`
					}
				}
				if err := xml.Unmarshal([]byte(srv.body), &sent); err != nil {
					t.Fatalf("request is not XML: %v\n%s", err, srv.body)
				}
				o := sent.Body.Order
				if o.XMLName.Space != "http://example.com/pi/purchasing" || o.XMLName.Local != "PurchaseOrder_MT" || o.Number != "4500017321" || len(o.Items) != 1 || o.Items[0].Quantity != "12.500" {
					t.Fatalf("request body %+v, want a qualified PurchaseOrder_MT with unqualified children\n%s", o, srv.body)
				}
				if tc.name == "soap11" && srv.action != `"`+tc.wantAction+`"` {
					t.Errorf("SOAPAction = %q, want %q", srv.action, tc.wantAction)
				}
				if tc.name == "soap12" && !strings.Contains(srv.ct, `action="`+tc.wantAction+`"`) {
					t.Errorf("Content-Type = %q, want the action %q", srv.ct, tc.wantAction)
				}
			}

			got, err := tc.c.PurchaseOrderStatusSync(ctx, &pi.PurchaseOrderStatusQueryMT{OrderNumber: "4500017321"})
			if err != nil {
				t.Fatal(err)
			}
			want := &pi.PurchaseOrderStatusMT{OrderNumber: "4500017321", Status: pi.StatusCTCONFIRMED}
			if diff := cmp.Diff(want, got, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".XMLName" }, cmp.Ignore())); diff != "" {
				t.Errorf("status response (-want +got):\n%s", diff)
			}

			_, err = tc.c.PurchaseOrderStatusSync(ctx, &pi.PurchaseOrderStatusQueryMT{OrderNumber: "4500099999"})
			var f *runtime.Fault
			if !errors.As(err, &f) {
				t.Fatalf("error %v is not a *runtime.Fault", err)
			}
			d, ok := f.Detail.(*pi.StandardMessageFault)
			if !ok || d.FaultText != "Purchase order 4500099999 is unknown" || len(d.FaultDetail) != 1 || d.FaultDetail[0].Text != "ME/006" {
				t.Fatalf("fault detail = %#v, want *StandardMessageFault with one ME/006 entry", f.Detail)
			}
		})
	}
}
