package redisstore

import (
	"encoding/xml"
	"errors"

	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
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
	sfLoginOp = &runtime.Operation{Name: "login", SOAP: runtime.SOAP11}
	sfQueryOp = &runtime.Operation{Name: "query", SOAP: runtime.SOAP11}
)

func sfService(loginURL string) *runtime.Service {
	return &runtime.Service{
		Name:     "SforceService",
		Port:     "Soap",
		Endpoint: loginURL,
		Profile: &runtime.Profile{
			Name: "salesforce",
			Login: runtime.Login{
				Kind:        runtime.LoginOperation,
				Operation:   sfLoginOp,
				Request:     func(user, password string) any { return &sfLoginIn{Username: user, Password: password} },
				NewResponse: func() any { return new(sfLoginOut) },
				Result: func(resp any) (runtime.LoginResult, error) {
					r := resp.(*sfLoginOut)
					if r.Result.SessionID == "" {
						return runtime.LoginResult{}, errors.New("login response has no result/sessionId")
					}
					return runtime.LoginResult{Token: r.Result.SessionID, Endpoint: r.Result.ServerURL}, nil
				},
			},
			Tokens: []runtime.TokenSource{{Kind: runtime.FromLogin}},
			Send: []runtime.TokenTarget{{
				Kind:   runtime.ToSOAPHeader,
				Header: xml.Name{Space: sfNS, Local: "SessionHeader"},
				Path:   []string{"sessionId"},
			}},
			Gone:     []runtime.GoneRule{{FaultCode: "INVALID_SESSION_ID"}},
			Relogin:  runtime.ReloginAuto,
			LogoutOn: runtime.LogoutNever,
			Scope:    runtime.ScopeShared,
		},
	}
}
