package runtime

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// A login whose lifetime arrives in a SOAP response header
// (<SessionToken><expiresIn>600</expiresIn></SessionToken>) rather than
// the body: it is the same idle limit as LoginResult.Lifetime. A value
// that is no whole number of seconds leaves the lifetime unknown.
func TestLoginLifetimeFromHeader(t *testing.T) {
	for _, c := range []struct {
		name, expiresIn string
		relogin         bool
	}{
		{"seconds", " 600 ", true},
		{"not a number", "soon", false},
		{"zero", "0", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := &sfServer{live: map[string]bool{}, password: "pw-secret-1"}
			s.Server = server(t, func(w http.ResponseWriter, q *soapReq) {
				if q.body.XMLName.Local != "login" {
					s.handle(w, q)
					return
				}
				s.logins.Add(1)
				s.mu.Lock()
				s.n++
				tok := fmt.Sprintf("TOKEN-%04d-abcdef", s.n)
				s.live[tok] = true
				s.mu.Unlock()
				writeSOAP(w, 200, `<h:SessionToken xmlns:h="urn:h"><h:id>other</h:id><h:expiresIn>`+c.expiresIn+`</h:expiresIn></h:SessionToken>`, loginBody(tok, ""))
			})
			clk := newFakeClock()
			p := sfTestProfile()
			p.Login.LifetimeHeader = xml.Name{Space: "urn:h", Local: "SessionToken"}
			p.Login.LifetimePath = []string{"expiresIn"}
			cl := mustClient(t, &impl.Service{Name: "S", Endpoint: s.URL, Profile: p}, WithCredentials(Password("alice", s.password)),
				WithClock(clk), WithRefreshMargin(2*time.Minute))
			if _, err := echo(cl, t.Context(), "a"); err != nil {
				t.Fatal(err)
			}
			clk.Advance(7*time.Minute + 59*time.Second)
			if _, err := echo(cl, t.Context(), "b"); err != nil || s.logins.Load() != 1 {
				t.Fatalf("within lifetime - margin: %v, %d logins; want the same session", err, s.logins.Load())
			}
			clk.Advance(8 * time.Minute) // idle for lifetime - margin
			_, err := echo(cl, t.Context(), "c")
			want := int64(1)
			if c.relogin {
				want = 2
			}
			if err != nil || s.logins.Load() != want {
				t.Errorf("after lifetime - margin idle: %v, %d logins; want %d", err, s.logins.Load(), want)
			}
		})
	}
}
