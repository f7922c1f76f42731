package runtime

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// Fault details that decode within their bounds but whose re-serialization
// (DetailXML, each child written on its own with its namespaces declared)
// used to multiply the body: a namespace URI declared once and used by
// every child was written once per child, and the declarations of the
// ancestors were gathered into a map once per child. Decoding them now
// allocates (runtime.MemStats.TotalAlloc) a small multiple of the body:
// 8x covers reading the body and DetailXML (bounded by twice the response
// plus 1 MiB), 16 MiB the element trees (at most maxNodeElements, a few
// hundred bytes each) and the test's own client and server.
func TestFaultDetailWritingBounded(t *testing.T) {
	fault := `<s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>x</faultstring>`
	cases := []struct {
		name string
		body repeatBody
	}{
		{
			// Before: 9,000 copies of the 64 KiB URI, 576 MiB.
			name: "children using a long namespace URI",
			body: repeatBody{head: envHead + fault + `<detail xmlns:p="urn:` + strings.Repeat("u", 64<<10) + `">`, unit: `<p:b/>`, n: 9000, tail: `</detail></s:Fault></s:Body></s:Envelope>`},
		},
		{
			// Before: a map of the 4,000 declarations in scope per child,
			// 600 MiB.
			name: "children under declaration-heavy ancestors",
			body: repeatBody{head: `<s:Envelope xmlns:s="` + nsSOAP11 + `"` + nsDecls("e", 999) + `><s:Body` + nsDecls("b", 1000) + `><s:Fault` + nsDecls("f", 1000) + `><faultcode>s:Server</faultcode><faultstring>x</faultstring><detail` + nsDecls("d", 1000) + `>`, unit: `<c>e9:x b9:x f9:x d9:x</c>`, n: 2000, tail: `</detail></s:Fault></s:Body></s:Envelope>`},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "text/xml")
				w.WriteHeader(500)
				_ = tc.body.writeTo(w)
			}))
			t.Cleanup(srv.Close)
			c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL})
			var err error
			alloc := allocDuring(func() { err = c.Invoke(t.Context(), opEcho, &echoIn{}, &echoOut{}) })
			var f *Fault
			if !errors.As(err, &f) || f.Code != "s:Server" {
				t.Fatalf("want the fault, got %v", err)
			}
			size := tc.body.size()
			t.Logf("allocated %d KiB for a %d KiB body; DetailXML %d KiB", alloc>>10, size>>10, len(f.DetailXML)>>10)
			if len(f.DetailXML) > 2*size+1<<20 {
				t.Errorf("DetailXML of %d bytes for a %d-byte body", len(f.DetailXML), size)
			}
			if !strings.HasPrefix(string(f.DetailXML), "<") || !strings.HasSuffix(string(f.DetailXML), ">") {
				t.Errorf("DetailXML not whole elements: %.80q…", f.DetailXML)
			}
			if bound := allocScale * uint64(8*size+16<<20); alloc > bound {
				t.Errorf("allocated %d KiB for a %d KiB body (bound %d KiB)", alloc>>10, size>>10, bound>>10)
			}
		})
	}
}
