package runtime

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// A 301, 302 or 303 answer to the SOAP POST would make http.Client follow
// it with a GET without the envelope; whatever answers that GET is no
// answer to the call. The redirect is refused, the GET never sent.
func TestRedirectTurningPOSTIntoGETRefused(t *testing.T) {
	for _, code := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			var gets atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet {
					gets.Add(1)
					writeSOAP(w, 200, "", echoBody("from a GET", ""))
					return
				}
				http.Redirect(w, r, "/elsewhere", code)
			}))
			t.Cleanup(srv.Close)
			c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL})
			var out echoOut
			err := c.Invoke(t.Context(), opEcho, &echoIn{}, &out)
			if err == nil || !containsAll(err.Error(), "Echo", "refused redirect", "GET", "may or may not have been processed") {
				t.Errorf("want a refused redirect, got %v (out %q)", err, out.Text)
			}
			if gets.Load() != 0 {
				t.Errorf("the GET was sent %d times", gets.Load())
			}
		})
	}
}
