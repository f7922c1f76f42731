package redisstore

import (
	"encoding/xml"
	"errors"

	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// The Salesforce Partner shapes the generator emits for templates/
// salesforce.yaml, written by hand here so the fleet tests drive the real
// session engine against the strict fake without depending on generated
// code.

const sfNS = fakevendor.NSSalesforcePartner

type sfLoginIn struct {
	XMLName  xml.Name `xml:"urn:partner.soap.sforce.com login"`
	Username string   `xml:"username"`
	Password string   `xml:"password"`
}

type sfLoginOut struct {
	Result struct {
		ServerURL string `xml:"serverUrl"`
		SessionID string `xml:"sessionId"`
	} `xml:"result"`
}

type sfQueryIn struct {
	XMLName     xml.Name `xml:"urn:partner.soap.sforce.com query"`
	QueryString string   `xml:"queryString"`
}

type sfQueryOut struct {
	Result struct {
		Size    int `xml:"size"`
		Records []struct {
			Name string `xml:"urn:sobject.partner.soap.sforce.com Name"`
		} `xml:"records"`
	} `xml:"result"`
}

var (
	sfLoginOp = &impl.Operation{Name: "login", SOAP: impl.SOAP11}
	sfQueryOp = &impl.Operation{Name: "query", SOAP: impl.SOAP11}
)

func sfService(loginURL string) *impl.Service {
	return &impl.Service{
		Name:     "SforceService",
		Port:     "Soap",
		Endpoint: loginURL,
		Profile: &impl.Profile{
			Name: "salesforce",
			Login: impl.Login{
				Kind:        impl.LoginOperation,
				Operation:   sfLoginOp,
				Request:     func(user, password string) any { return &sfLoginIn{Username: user, Password: password} },
				NewResponse: func() any { return new(sfLoginOut) },
				Result: func(resp any) (impl.LoginResult, error) {
					r := resp.(*sfLoginOut)
					if r.Result.SessionID == "" {
						return impl.LoginResult{}, errors.New("login response has no result/sessionId")
					}
					return impl.LoginResult{Token: r.Result.SessionID, Endpoint: r.Result.ServerURL}, nil
				},
			},
			Tokens: []impl.TokenSource{{Kind: impl.FromLogin}},
			Send: []impl.TokenTarget{{
				Kind:   impl.ToSOAPHeader,
				Header: xml.Name{Space: sfNS, Local: "SessionHeader"},
				Path:   []string{"sessionId"},
			}},
			Gone:     []impl.GoneRule{{FaultCode: "INVALID_SESSION_ID"}},
			Relogin:  impl.ReloginAuto,
			LogoutOn: impl.LogoutNever,
			Scope:    impl.ScopeShared,
		},
	}
}
