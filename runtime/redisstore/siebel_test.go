package redisstore

import (
	"encoding/xml"

	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime/impl"
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

var sbQueryOp = &impl.Operation{Name: "AccountQueryPage", Action: `"document/http://siebel.com/asi/:AccountQueryPage"`, SOAP: impl.SOAP11}

func sbService(url string) *impl.Service {
	return &impl.Service{
		Name:     "AccountService",
		Port:     "Default",
		Endpoint: url,
		Profile: &impl.Profile{
			Name: "siebel-stateless",
			Login: impl.Login{
				Kind: impl.LoginHeaders,
				Headers: []impl.CredentialHeader{
					{Name: xml.Name{Space: sbNS, Local: "UsernameToken"}, Value: impl.CredentialUser},
					{Name: xml.Name{Space: sbNS, Local: "PasswordText"}, Value: impl.CredentialPassword},
				},
			},
			Constant: []impl.HeaderValue{{Name: xml.Name{Space: sbNS, Local: "SessionType"}, Value: fakevendor.SiebelStateless}},
			Tokens:   []impl.TokenSource{{Kind: impl.FromResponseHeader, Header: xml.Name{Space: sbNS, Local: "SessionToken"}}},
			Send:     []impl.TokenTarget{{Kind: impl.ToSOAPHeader, Header: xml.Name{Space: sbNS, Local: "SessionToken"}}},
			Rotate:   true,
			Gone:     []impl.GoneRule{{FaultString: fakevendor.SiebelGoneInvalid}, {FaultString: fakevendor.SiebelGoneEnded}},
			Relogin:  impl.ReloginAuto,
			Scope:    impl.ScopeShared,
		},
	}
}
