package redisstore

import (
	"encoding/xml"

	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// templates/siebel-stateless.yaml compiled by hand, for the fleet test of
// rotating sessions.

const sbNS = fakevendor.NSSiebel

type sbQueryIn struct {
	XMLName xml.Name `xml:"http://siebel.com/asi/ AccountQueryPage_Input"`
	Text    string   `xml:"Text"`
}

type sbQueryOut struct {
	Text string `xml:"Text"`
}

var sbQueryOp = &runtime.Operation{Name: "AccountQueryPage", Action: `"document/http://siebel.com/asi/:AccountQueryPage"`, SOAP: runtime.SOAP11}

func sbService(url string) *runtime.Service {
	return &runtime.Service{
		Name:     "AccountService",
		Port:     "Default",
		Endpoint: url,
		Profile: &runtime.Profile{
			Name: "siebel-stateless",
			Login: runtime.Login{
				Kind: runtime.LoginHeaders,
				Headers: []runtime.CredentialHeader{
					{Name: xml.Name{Space: sbNS, Local: "UsernameToken"}, Value: runtime.CredentialUser},
					{Name: xml.Name{Space: sbNS, Local: "PasswordText"}, Value: runtime.CredentialPassword},
				},
			},
			Constant: []runtime.HeaderValue{{Name: xml.Name{Space: sbNS, Local: "SessionType"}, Value: fakevendor.SiebelStateless}},
			Tokens:   []runtime.TokenSource{{Kind: runtime.FromResponseHeader, Header: xml.Name{Space: sbNS, Local: "SessionToken"}}},
			Send:     []runtime.TokenTarget{{Kind: runtime.ToSOAPHeader, Header: xml.Name{Space: sbNS, Local: "SessionToken"}}},
			Rotate:   true,
			Gone:     []runtime.GoneRule{{FaultString: fakevendor.SiebelGoneInvalid}, {FaultString: fakevendor.SiebelGoneEnded}},
			Relogin:  runtime.ReloginAuto,
			Scope:    runtime.ScopeShared,
		},
	}
}
