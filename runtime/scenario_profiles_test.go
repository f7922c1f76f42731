package runtime_test

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// The hand-written request/response types and compiled profiles below are
// what the generator emits for a vendor (templates/*.yaml compiled into
// impl.Profile values), kept only where a runtime test needs a profile
// no golden client has: a variant of a built-in (cookie.yaml with another
// scope, vsphere.yaml with one gone rule) or pieces to assemble one
// (borrow_test.go). What a generated client can show is tested through it
// in e2e/.

// echoOut decodes the echo answer every fake gives to a business call.
type echoOut struct {
	Text    string `xml:"Text"`
	User    string `xml:"User"`
	Session string `xml:"Session"`
	Seq     int64  `xml:"Seq"`
}

// ---- Salesforce (Partner WSDL shapes) ----

const sfPassword = "alice-Pa55word-sf"

func newSalesforce(t *testing.T, cfg fakevendor.SalesforceConfig) *fakevendor.Salesforce {
	if cfg.Users == nil {
		cfg.Users = map[string]string{"alice@example.com": sfPassword}
	}
	if cfg.Idle == 0 {
		cfg.Idle = 30 * minute
	}
	sf := fakevendor.NewSalesforce(cfg)
	t.Cleanup(sf.Close)
	return sf
}

// query runs one query and checks the echo.
func query(ctx context.Context, h *harness, c *runtime.Client, q string) error {
	var out sfQueryResponse
	if err := h.err(c.Invoke(ctx, sfOpQuery, &sfQuery{QueryString: q}, &out)); err != nil {
		return err
	}
	if len(out.Result.Records) != 1 || out.Result.Records[0].Name != q {
		return fmt.Errorf("query %q answered with %+v", q, out.Result)
	}
	return nil
}

const nsSF = fakevendor.NSSalesforcePartner
const nsSFFault = "urn:fault.partner.soap.sforce.com"

type sfLogin struct {
	XMLName  xml.Name `xml:"urn:partner.soap.sforce.com login"`
	Username string   `xml:"username"`
	Password string   `xml:"password"`
}

type sfLoginResponse struct {
	Result struct {
		MetadataServerURL string `xml:"metadataServerUrl"`
		ServerURL         string `xml:"serverUrl"`
		SessionID         string `xml:"sessionId"`
		UserInfo          struct {
			SessionSecondsValid int `xml:"sessionSecondsValid"`
		} `xml:"userInfo"`
	} `xml:"result"`
}

type sfQuery struct {
	XMLName     xml.Name `xml:"urn:partner.soap.sforce.com query"`
	QueryString string   `xml:"queryString"`
}

type sfQueryResponse struct {
	Result struct {
		Done    bool `xml:"done"`
		Size    int  `xml:"size"`
		Records []struct {
			Name string `xml:"urn:sobject.partner.soap.sforce.com Name"`
		} `xml:"records"`
	} `xml:"result"`
}

type sfLogout struct {
	XMLName xml.Name `xml:"urn:partner.soap.sforce.com logout"`
}

type sfLogoutResponse struct{}

type sfInvalidate struct {
	XMLName    xml.Name `xml:"urn:partner.soap.sforce.com invalidateSessions"`
	SessionIDs []string `xml:"sessionIds"`
}

type sfInvalidateResponse struct {
	Result []struct {
		Success bool `xml:"success"`
		Errors  []struct {
			Message    string `xml:"message"`
			StatusCode string `xml:"statusCode"`
		} `xml:"errors"`
	} `xml:"result"`
}

// sfFault is the typed detail of Salesforce API faults.
type sfFault struct {
	ExceptionCode    string `xml:"exceptionCode"`
	ExceptionMessage string `xml:"exceptionMessage"`
}

var sfFaults = []impl.FaultType{
	{Name: xml.Name{Space: nsSFFault, Local: "UnexpectedErrorFault"}, New: func() any { return new(sfFault) }},
	{Name: xml.Name{Space: nsSFFault, Local: "LoginFault"}, New: func() any { return new(sfFault) }},
}

var (
	sfOpLogin      = &impl.Operation{Name: "login", SOAP: impl.SOAP11, Faults: sfFaults}
	sfOpQuery      = &impl.Operation{Name: "query", SOAP: impl.SOAP11, Faults: sfFaults}
	sfOpLogout     = &impl.Operation{Name: "logout", SOAP: impl.SOAP11, Faults: sfFaults}
	sfOpInvalidate = &impl.Operation{Name: "invalidateSessions", SOAP: impl.SOAP11, Faults: sfFaults}
)

// sfProfile is templates/salesforce.yaml compiled against the Partner WSDL
// without the session lifetime (the client knows no limit).
func sfProfile() *impl.Profile {
	return &impl.Profile{
		Name: "salesforce",
		Login: impl.Login{
			Kind:        impl.LoginOperation,
			Operation:   sfOpLogin,
			Request:     func(user, password string) any { return &sfLogin{Username: user, Password: password} },
			NewResponse: func() any { return new(sfLoginResponse) },
			Result: func(resp any) (impl.LoginResult, error) {
				r := resp.(*sfLoginResponse)
				if r.Result.SessionID == "" {
					return impl.LoginResult{}, errors.New("login response has no result/sessionId")
				}
				return impl.LoginResult{Token: r.Result.SessionID, Endpoint: r.Result.ServerURL}, nil
			},
		},
		Tokens: []impl.TokenSource{{Kind: impl.FromLogin}},
		Send: []impl.TokenTarget{{
			Kind:   impl.ToSOAPHeader,
			Header: xml.Name{Space: nsSF, Local: "SessionHeader"},
			Path:   []string{"sessionId"},
		}},
		Gone:     []impl.GoneRule{{FaultCode: "INVALID_SESSION_ID"}},
		Relogin:  impl.ReloginAuto,
		Logout:   &impl.Logout{Operation: sfOpLogout, Request: func() any { return &sfLogout{} }, NewResponse: func() any { return new(sfLogoutResponse) }},
		LogoutOn: impl.LogoutNever,
		Scope:    impl.ScopeShared,
		Invalidate: &impl.Invalidate{
			Operation:   sfOpInvalidate,
			MaxBatch:    fakevendor.SalesforceMaxInvalidate,
			Request:     func(ids []string) any { return &sfInvalidate{SessionIDs: ids} },
			NewResponse: func() any { return new(sfInvalidateResponse) },
			Results: func(resp any) []error {
				r := resp.(*sfInvalidateResponse)
				out := make([]error, len(r.Result))
				for i, res := range r.Result {
					if !res.Success {
						code := "unknown error"
						if len(res.Errors) > 0 {
							code = res.Errors[0].StatusCode
						}
						out[i] = errors.New("invalidateSessions: " + code)
					}
				}
				return out
			},
		},
	}
}

// ---- SAP-style cookie sessions ----

type ckEcho struct {
	XMLName xml.Name `xml:"urn:fakevendor:sap Echo"`
	Text    string   `xml:"Text"`
}

var ckOpEcho = &impl.Operation{Name: "Echo", Action: "urn:fakevendor:sap#Echo", SOAP: impl.SOAP11}

// ckProfile is templates/cookie.yaml compiled with the given scope.
func ckProfile(scope impl.Scope, relogin impl.Relogin) *impl.Profile {
	return &impl.Profile{
		Name:    "cookie",
		Login:   impl.Login{Kind: impl.LoginHTTP},
		Tokens:  []impl.TokenSource{{Kind: impl.FromCookie, Name: "JSESSIONID"}},
		Send:    []impl.TokenTarget{{Kind: impl.ToCookie, Name: "JSESSIONID"}},
		Gone:    []impl.GoneRule{{HTTPStatus: 401}, {FaultString: fakevendor.CookieCodeStateLost}},
		Relogin: relogin,
		Scope:   scope,
	}
}

// ---- shared ----

func service(name, endpoint string, p *impl.Profile) *impl.Service {
	return &impl.Service{Name: name, Port: name + "Port", Endpoint: endpoint, Profile: p}
}

const minute = time.Minute
