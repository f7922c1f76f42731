package runtime_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/wsdlsess/wsdlsess/runtime"
	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

type exLogin struct {
	XMLName  xml.Name `xml:"urn:example login"`
	Username string   `xml:"urn:example username"`
	Password string   `xml:"urn:example password"`
}

type exLoginResponse struct {
	SessionID string `xml:"urn:example result>sessionId"`
}

type exPing struct {
	XMLName xml.Name `xml:"urn:example ping"`
}

type exPingResponse struct {
	Answer string `xml:"urn:example answer"`
}

// A client with a login-operation profile: the first call logs in, the
// session header goes on every call, and nobody calls login by hand.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/xml")
		const env = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>%s</s:Body></s:Envelope>`
		switch {
		case strings.Contains(string(body), "<login"):
			fmt.Fprintf(w, env, `<loginResponse xmlns="urn:example"><result><sessionId>S1</sessionId></result></loginResponse>`)
		case strings.Contains(string(body), "<sessionId>S1</sessionId>"):
			fmt.Fprintf(w, env, `<pingResponse xmlns="urn:example"><answer>pong</answer></pingResponse>`)
		default:
			w.WriteHeader(500)
			fmt.Fprintf(w, env, `<s:Fault><faultcode>INVALID_SESSION_ID</faultcode><faultstring>no session</faultstring></s:Fault>`)
		}
	}))
	defer srv.Close()

	profile := &impl.Profile{
		Name: "example",
		Login: impl.Login{
			Kind:        impl.LoginOperation,
			Operation:   &impl.Operation{Name: "login", SOAP: impl.SOAP11},
			Request:     func(u, p string) any { return &exLogin{Username: u, Password: p} },
			NewResponse: func() any { return new(exLoginResponse) },
			Result: func(r any) (impl.LoginResult, error) {
				return impl.LoginResult{Token: r.(*exLoginResponse).SessionID}, nil
			},
		},
		Tokens: []impl.TokenSource{{Kind: impl.FromLogin}},
		Send: []impl.TokenTarget{{Kind: impl.ToSOAPHeader,
			Header: xml.Name{Space: "urn:example", Local: "SessionHeader"}, Path: []string{"sessionId"}}},
		Gone:  []impl.GoneRule{{FaultCode: "INVALID_SESSION_ID"}},
		Scope: impl.ScopeShared,
	}
	c, err := runtime.NewClient(&impl.Service{Name: "Example", Endpoint: srv.URL, Profile: profile},
		runtime.WithCredentials(runtime.Password("user", "secret")),
		runtime.WithEvents(func(e runtime.Event) { fmt.Println("event:", e.Kind) }))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close(context.Background())

	var out exPingResponse
	ping := &impl.Operation{Name: "ping", SOAP: impl.SOAP11}
	if err := c.Invoke(context.Background(), ping, &exPing{}, &out); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.Answer)
	// Output:
	// event: login
	// pong
}
