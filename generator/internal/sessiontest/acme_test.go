package sessiontest

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	acme "github.com/wsdlsess/wsdlsess/golden/gen-session"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// acmeServer is the Acme service as the gen-session WSDL describes it. It
// records what the client sent, so the test can check the compiled
// request closures field by field.
type acmeServer struct {
	t  *testing.T
	mu sync.Mutex
	// live maps session ids to the user that opened them.
	live            map[string]string
	logins, logouts int
	kills           [][]string
	lastLogin       loginReq
	mustUnderstand  []string
	srv             *httptest.Server
	n               int
	faults          int
}

type loginReq struct {
	Credentials *struct {
		Version string `xml:"version,attr"`
		User    string `xml:"urn:ex:acme user"`
		Secret  string `xml:"urn:ex:acme secret"`
		Mode    string `xml:"urn:ex:acme mode"`
	} `xml:"urn:ex:acme credentials"`
}

type envelope struct {
	Header struct {
		Session *struct {
			MustUnderstand string `xml:"http://schemas.xmlsoap.org/soap/envelope/ mustUnderstand,attr"`
			MU12           string `xml:"http://www.w3.org/2003/05/soap-envelope mustUnderstand,attr"`
			Sid            string `xml:"urn:ex:acme sid"`
		} `xml:"urn:ex:acme SessionHeader"`
	} `xml:"Header"`
	// The body read as a namespace-aware server reads it: the names
	// resolve against the declarations in scope, the envelope's too.
	Body struct {
		Login    *loginReq `xml:"urn:ex:acme login"`
		GetThing *struct{} `xml:"urn:ex:acme getThing"`
		Logout   *struct{} `xml:"urn:ex:acme logout"`
		Kill     *struct {
			IDs []string `xml:"urn:ex:acme ids"`
		} `xml:"urn:ex:acme killSessions"`
	} `xml:"Body"`
}

func newAcme(t *testing.T) *acmeServer {
	a := &acmeServer{t: t, live: map[string]string{}}
	a.srv = httptest.NewServer(a)
	t.Cleanup(a.srv.Close)
	return a
}

func (a *acmeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	soap12 := strings.HasPrefix(r.Header.Get("Content-Type"), "application/soap+xml")
	var env envelope
	if err := xml.Unmarshal(body, &env); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	op := ""
	switch b := env.Body; {
	case b.Login != nil:
		op = "login"
	case b.GetThing != nil:
		op = "getThing"
	case b.Logout != nil:
		op = "logout"
	case b.Kill != nil:
		op = "killSessions"
	}
	if op == "login" {
		in := *env.Body.Login
		a.lastLogin = in
		a.logins++
		if in.Credentials == nil || in.Credentials.Secret != "s3cret" {
			a.fault(w, soap12, "LOGIN_FAILED")
			return
		}
		a.n++
		id := fmt.Sprintf("SID-%016d", a.n)
		a.live[id] = in.Credentials.User
		// The session lives on another URL path: the client must switch.
		a.reply(w, soap12, `<loginResponse xmlns="urn:ex:acme" xmlns:a="urn:ex:acme" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><session xsi:type="a:SsoSession"><id>`+id+`</id><url>`+a.srv.URL+`/org7</url><timeoutSeconds>600</timeoutSeconds><provider>okta</provider></session></loginResponse>`)
		return
	}
	h := env.Header.Session
	if h == nil || a.live[h.Sid] == "" {
		a.fault(w, soap12, "SESSION_EXPIRED")
		return
	}
	a.mustUnderstand = append(a.mustUnderstand, h.MustUnderstand+h.MU12)
	if r.URL.Path != "/org7" {
		a.t.Errorf("%s went to %s, not the session's endpoint /org7", op, r.URL.Path)
	}
	switch op {
	case "getThing":
		a.reply(w, soap12, `<getThingResponse xmlns="urn:ex:acme"><value>thing for `+a.live[h.Sid]+`</value></getThingResponse>`)
	case "logout":
		a.logouts++
		delete(a.live, h.Sid)
		a.reply(w, soap12, `<logoutResponse xmlns="urn:ex:acme"/>`)
	case "killSessions":
		in := env.Body.Kill
		a.kills = append(a.kills, in.IDs)
		var b strings.Builder
		b.WriteString(`<killSessionsResponse xmlns="urn:ex:acme">`)
		for _, id := range in.IDs {
			if _, ok := a.live[id]; ok {
				delete(a.live, id)
				b.WriteString(`<result><ok>true</ok></result>`)
			} else {
				b.WriteString(`<result><ok>false</ok><problem><code>NO_SUCH_SESSION</code><text>unknown session</text></problem></result>`)
			}
		}
		b.WriteString(`</killSessionsResponse>`)
		a.reply(w, soap12, b.String())
	default:
		http.Error(w, "unknown operation "+op, http.StatusBadRequest)
	}
}

func (a *acmeServer) reply(w http.ResponseWriter, soap12 bool, body string) {
	ns, ct := "http://schemas.xmlsoap.org/soap/envelope/", "text/xml; charset=utf-8"
	if soap12 {
		ns, ct = "http://www.w3.org/2003/05/soap-envelope", "application/soap+xml; charset=utf-8"
	}
	w.Header().Set("Content-Type", ct)
	fmt.Fprintf(w, `<?xml version="1.0"?><s:Envelope xmlns:s="%s"><s:Body>%s</s:Body></s:Envelope>`, ns, body)
}

func (a *acmeServer) fault(w http.ResponseWriter, soap12 bool, code string) {
	a.faults++
	if soap12 {
		w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="urn:ex:acme"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>a:%s</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en">%s</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>`, code, code)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:a="urn:ex:acme"><s:Body><s:Fault><faultcode>a:%s</faultcode><faultstring>%s</faultstring></s:Fault></s:Body></s:Envelope>`, code, code)
}

func (a *acmeServer) killAll() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.live = map[string]string{}
}

// client is what both generated clients of the case offer.
type client interface {
	GetThing(context.Context, *acme.GetThing, ...runtime.CallOption) (*acme.GetThingResponse, error)
	InvalidateSessions(context.Context, []string) ([]error, error)
	Close(context.Context) error
}

func TestCompiledProfileOverHTTP(t *testing.T) {
	for _, port := range []string{"AcmeSoap", "AcmeSoap12"} {
		t.Run(port, func(t *testing.T) {
			a := newAcme(t)
			ctx := context.Background()
			opts := []runtime.Option{runtime.WithEndpoint(a.srv.URL + "/login"), runtime.WithCredentials(runtime.Password("ann", "s3cret"))}
			var c client
			if port == "AcmeSoap" {
				rc, err := acme.NewAcmeSoapClient(opts...)
				if err != nil {
					t.Fatal(err)
				}
				c = rc.Exchange()
			} else {
				rc, err := acme.NewAcmeSoap12Client(opts...)
				if err != nil {
					t.Fatal(err)
				}
				c = rc.Exchange()
			}
			out, err := c.GetThing(ctx, &acme.GetThing{Name: "x"})
			if err != nil || out.Value != "thing for ann" {
				t.Fatalf("GetThing = %+v, %v", out, err)
			}
			cr := a.lastLogin.Credentials
			if cr == nil || cr.User != "ann" || cr.Secret != "s3cret" || cr.Mode != "api" || cr.Version != "2" {
				t.Errorf("login request credentials = %+v; want user ann, the secret, mode api, version 2 (login.operation.set)", cr)
			}
			// The session is gone on the server: one login, one resend.
			a.killAll()
			if _, err := c.GetThing(ctx, &acme.GetThing{Name: "y"}); err != nil {
				t.Fatalf("after SESSION_EXPIRED: %v", err)
			}
			if a.logins != 2 {
				t.Errorf("logins = %d, want 2 (one relogin for SESSION_EXPIRED)", a.logins)
			}
			for _, mu := range a.mustUnderstand {
				if mu != "1" && mu != "true" {
					t.Errorf("SessionHeader mustUnderstand = %q, want 1 (send[0].header.must-understand)", mu)
				}
			}
			// Bulk invalidation: 120 ids in batches of 50 (max-batch),
			// the live one ended, the others answered with their code.
			a.mu.Lock()
			var live string
			for id := range a.live {
				live = id
			}
			a.mu.Unlock()
			ids := []string{live}
			for i := 1; i < 120; i++ {
				ids = append(ids, fmt.Sprintf("SID-gone-%08d", i))
			}
			res, err := c.InvalidateSessions(ctx, ids)
			if err != nil {
				t.Fatal(err)
			}
			if len(a.kills) != 3 || len(a.kills[0]) != 50 || len(a.kills[2]) != 20 {
				t.Errorf("killSessions batches = %d, want 50+50+20", len(a.kills))
			}
			var ie *runtime.InvalidateError
			if res[0] != nil || !errors.As(res[1], &ie) || ie.Code != "NO_SUCH_SESSION" || ie.Message != "unknown session" {
				t.Errorf("results[0..1] = %v, %v; want nil and NO_SUCH_SESSION", res[0], res[1])
			}
			if strings.Contains(res[1].Error(), ids[1]) {
				t.Errorf("an invalidate error names the session id: %v", res[1])
			}
			// The exchange's session was among them: the next call logs in.
			if _, err := c.GetThing(ctx, &acme.GetThing{Name: "z"}); err != nil || a.logins != 3 {
				t.Errorf("after invalidation: %v, logins %d, want 3", err, a.logins)
			}
			if err := c.Close(ctx); err != nil || a.logouts != 1 {
				t.Errorf("Close: %v, logouts %d, want 1 (logout.when on-close)", err, a.logouts)
			}
		})
	}
}

// TestLoginRefusedNamesNoSecret: a refused login is one clear error that
// does not carry the password.
func TestLoginRefusedNamesNoSecret(t *testing.T) {
	a := newAcme(t)
	c, err := acme.NewAcmeSoapClient(runtime.WithEndpoint(a.srv.URL+"/login"), runtime.WithCredentials(runtime.Password("ann", "wrong-pass")))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Exchange().GetThing(context.Background(), &acme.GetThing{Name: "x"})
	var f *runtime.Fault
	if !errors.As(err, &f) || !strings.Contains(f.Code, "LOGIN_FAILED") || strings.Contains(err.Error(), "wrong-pass") {
		t.Errorf("err = %v; want the LOGIN_FAILED fault without the password", err)
	}
}

// TestLifetimeFromLogin: the login response's timeoutSeconds (600) is an
// idle limit; with the profile's 90 s refresh margin, a session idle for
// 9 minutes is replaced before the call instead of failing on it.
func TestLifetimeFromLogin(t *testing.T) {
	a := newAcme(t)
	clk := fakevendor.NewClock(time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC))
	c, err := acme.NewAcmeSoapClient(runtime.WithEndpoint(a.srv.URL+"/login"), runtime.WithCredentials(runtime.Password("ann", "s3cret")), runtime.WithClock(clk))
	if err != nil {
		t.Fatal(err)
	}
	ex := c.Exchange()
	ctx := context.Background()
	if _, err := ex.GetThing(ctx, &acme.GetThing{Name: "x"}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(8 * time.Minute)
	if _, err := ex.GetThing(ctx, &acme.GetThing{Name: "x"}); err != nil || a.logins != 1 {
		t.Fatalf("after 8 idle minutes: %v, logins %d, want the same session", err, a.logins)
	}
	clk.Advance(9 * time.Minute)
	if _, err := ex.GetThing(ctx, &acme.GetThing{Name: "x"}); err != nil || a.logins != 2 || a.faults != 0 {
		t.Errorf("after 9 idle minutes: %v, logins %d, faults %d; want a fresh login before the call and no fault", err, a.logins, a.faults)
	}
}
