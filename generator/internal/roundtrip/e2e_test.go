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

	shop "github.com/wsdlsess/wsdlsess/golden/gen-constructs"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// shopServer answers PlaceOrder over SOAP 1.1 or 1.2 and records what it
// received. A request whose order id is "fail" gets a ShopFault.
type shopServer struct {
	action, contentType, body string
}

func (s *shopServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.action, s.contentType, s.body = r.Header.Get("SOAPAction"), r.Header.Get("Content-Type"), string(b)
	env11 := "http://schemas.xmlsoap.org/soap/envelope/"
	ns, ct := env11, "text/xml; charset=utf-8"
	if strings.HasPrefix(s.contentType, "application/soap+xml") {
		ns, ct = "http://www.w3.org/2003/05/soap-envelope", "application/soap+xml; charset=utf-8"
	}
	w.Header().Set("Content-Type", ct)
	if strings.Contains(s.body, `id="fail"`) {
		w.WriteHeader(http.StatusInternalServerError)
		if ns == env11 {
			io.WriteString(w, `<s:Envelope xmlns:s="`+ns+`"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>no stock</faultstring><detail><ShopFault xmlns="urn:ex:shop"><reason>func</reason></ShopFault></detail></s:Fault></s:Body></s:Envelope>`)
		} else {
			io.WriteString(w, `<s:Envelope xmlns:s="`+ns+`"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value></s:Code><s:Reason><s:Text xml:lang="en">no stock</s:Text></s:Reason><s:Detail><ShopFault xmlns="urn:ex:shop"><reason>func</reason></ShopFault></s:Detail></s:Fault></s:Body></s:Envelope>`)
		}
		return
	}
	io.WriteString(w, `<s:Envelope xmlns:s="`+ns+`" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:t="urn:ex:shop"><s:Body>
<t:PlaceOrderResponse><t:orderId>o-9</t:orderId><t:total currency="EUR">10.50</t:total>
<t:products xsi:type="t:EBook"><t:id>1</t:id><t:name>e</t:name><t:isbn>i</t:isbn><t:sizeBytes>7</t:sizeBytes></t:products>
<t:products xsi:type="t:Gadget" createdBy="x"><t:id>2</t:id><t:name>g</t:name><t:watts xsi:nil="true"/></t:products>
</t:PlaceOrderResponse></s:Body></s:Envelope>`)
}

// TestGeneratedClientEndToEnd drives both generated clients (SOAP 1.1 and
// 1.2 ports) through the real runtime against an httptest server: request
// envelope, action, polymorphic response, typed fault detail.
func TestGeneratedClientEndToEnd(t *testing.T) {
	srv := &shopServer{}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	ctx := context.Background()

	type placer func(context.Context, *shop.PlaceOrder, ...runtime.CallOption) (*shop.PlaceOrderResponse, error)
	c11, err := shop.NewShop11Client(runtime.WithEndpoint(hs.URL))
	if err != nil {
		t.Fatal(err)
	}
	c12, err := shop.NewShop12Client(runtime.WithEndpoint(hs.URL))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		place  placer
		soap12 bool
	}{{"soap11", c11.PlaceOrder, false}, {"soap12", c12.PlaceOrder, true}} {
		t.Run(c.name, func(t *testing.T) {
			in := &shop.PlaceOrder{Order: &shop.Order{Id: "42", Status: shop.StatusValueNew, Email: "a@b", Local: ptr("l"),
				Items: []shop.Item{{Product: &shop.AnyProduct{Value: &shop.Book{Id: 1, Name: "b", Isbn: "i"}}, Quantity: 1}}}}
			out, err := c.place(ctx, in, runtime.WithRequestHeaders(&shop.Trace{Value: "t-1"}))
			if err != nil {
				t.Fatal(err)
			}
			if c.soap12 {
				if !strings.Contains(srv.contentType, `action="urn:ex:shop/PlaceOrder"`) {
					t.Errorf("SOAP 1.2 content type %q lacks the action", srv.contentType)
				}
			} else if srv.action != `"urn:ex:shop/PlaceOrder"` && srv.action != "urn:ex:shop/PlaceOrder" {
				t.Errorf("SOAPAction = %q", srv.action)
			}
			for _, want := range []string{"PlaceOrder", `xsi:type="xt:Book"`, "t-1", "<local"} {
				if !strings.Contains(srv.body, want) {
					t.Errorf("request lacks %s:\n%s", want, srv.body)
				}
			}
			if sp := elementSpace(t, srv.body, "local"); sp != "" {
				t.Errorf("unqualified element local is in namespace %q on the wire", sp)
			}
			if sp := elementSpace(t, srv.body, "order"); sp != "urn:ex:shop" {
				t.Errorf("qualified element order is in namespace %q on the wire", sp)
			}
			if out.OrderId != "o-9" || out.Total == nil || out.Total.Value != "10.50" || out.Total.Currency != shop.CurrencyCodeEUR || len(out.Products) != 2 {
				t.Fatalf("response %+v", out)
			}
			if e, ok := out.Products[0].Value.(*shop.EBook); !ok || e.SizeBytes != 7 {
				t.Errorf("products[0] = %#v", out.Products[0].Value)
			}
			if g, ok := out.Products[1].Value.(*shop.Gadget); !ok || g.CreatedBy != "x" {
				t.Errorf("products[1] = %#v", out.Products[1].Value)
			}

			in.Order.Id = "fail"
			_, err = c.place(ctx, in)
			var f *runtime.Fault
			if !errors.As(err, &f) {
				t.Fatalf("error %v is not a *runtime.Fault", err)
			}
			d, ok := f.Detail.(*shop.ShopFault)
			if !ok || d.Reason != shop.StatusFunc {
				t.Errorf("fault detail = %#v, want *ShopFault{Reason: func}", f.Detail)
			}
		})
	}
}

// elementSpace returns the namespace of the first element named local in
// doc, as a namespace-aware reader resolves it.
func elementSpace(t *testing.T, doc, local string) string {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	for {
		tok, err := d.Token()
		if err != nil {
			t.Fatalf("no element %s in %s: %v", local, doc, err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == local {
			return se.Name.Space
		}
	}
}
