package runtime_test

import (
	"context"
	"encoding/xml"
	"errors"
	"github.com/wsdlsess/wsdlsess/runtime/impl"
	"testing"

	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
)

const vsPassword = "vmware-Pa55word"

type vsMoRef struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

type vsLogin struct {
	XMLName  xml.Name `xml:"urn:vim25 Login"`
	This     vsMoRef  `xml:"_this"`
	UserName string   `xml:"userName"`
	Password string   `xml:"password"`
}

type vsLoginResponse struct {
	Returnval struct {
		Key      string `xml:"key"`
		UserName string `xml:"userName"`
	} `xml:"returnval"`
}

type vsLogout struct {
	XMLName xml.Name `xml:"urn:vim25 Logout"`
	This    vsMoRef  `xml:"_this"`
}

type vsCurrentTime struct {
	XMLName xml.Name `xml:"urn:vim25 CurrentTime"`
	This    vsMoRef  `xml:"_this"`
}

type vsCurrentTimeResponse struct {
	Returnval string `xml:"returnval"`
}

var (
	vsOpLogin       = &impl.Operation{Name: "Login", Action: "urn:vim25/8.0", SOAP: impl.SOAP11}
	vsOpLogout      = &impl.Operation{Name: "Logout", Action: "urn:vim25/8.0", SOAP: impl.SOAP11}
	vsOpCurrentTime = &impl.Operation{Name: "CurrentTime", Action: "urn:vim25/8.0", SOAP: impl.SOAP11}
)

// vsProfile is templates/vsphere.yaml compiled, with the given gone rules.
func vsProfile(gone []impl.GoneRule, limits impl.Limits) *impl.Profile {
	sm := vsMoRef{Type: "SessionManager", Value: "SessionManager"}
	return &impl.Profile{
		Name: "vsphere",
		Login: impl.Login{
			Kind:      impl.LoginOperation,
			Operation: vsOpLogin,
			Request: func(user, password string) any {
				return &vsLogin{This: sm, UserName: user, Password: password}
			},
			NewResponse: func() any { return new(vsLoginResponse) },
			Result:      func(any) (impl.LoginResult, error) { return impl.LoginResult{}, nil },
		},
		Tokens:   []impl.TokenSource{{Kind: impl.FromCookie, Name: "vmware_soap_session"}},
		Send:     []impl.TokenTarget{{Kind: impl.ToCookie, Name: "vmware_soap_session"}},
		Gone:     gone,
		Limits:   limits,
		Relogin:  impl.ReloginAuto,
		Logout:   &impl.Logout{Operation: vsOpLogout, Request: func() any { return &vsLogout{This: sm} }, NewResponse: func() any { return new(struct{}) }},
		LogoutOn: impl.LogoutOnClose,
		Scope:    impl.ScopeShared,
	}
}

func vsScenario(t *testing.T, h *harness, p *impl.Profile) (*fakevendor.VSphere, *runtime.Client) {
	v := fakevendor.NewVSphere(fakevendor.VSphereConfig{Users: map[string]string{"administrator@vsphere.local": vsPassword}, Idle: 30 * minute})
	t.Cleanup(v.Close)
	c, err := runtime.NewClient(service("VimService", v.URL(), p), append(h.options(),
		runtime.WithEndpoint(v.URL()),
		runtime.WithCredentials(runtime.Password("administrator@vsphere.local", vsPassword)),
		runtime.WithClock(v.Clock()))...)
	if err != nil {
		t.Fatal(err)
	}
	return v, c
}

func vsNow(ctx context.Context, h *harness, c *runtime.Client) error {
	var out vsCurrentTimeResponse
	err := h.err(c.Invoke(ctx, vsOpCurrentTime, &vsCurrentTime{This: vsMoRef{Type: "ServiceInstance", Value: "ServiceInstance"}}, &out))
	if err == nil && out.Returnval == "" {
		return errors.New("CurrentTime answered without returnval")
	}
	return err
}

// templates/vsphere.yaml lists `detail: NotAuthenticated` to match the
// fault's type in the detail (<NotAuthenticatedFault
// xsi:type="NotAuthenticated">). With that rule alone the session must
// still be replaced. The built-in also lists the faultstring rule, so the
// generated client (e2e/vsphere_test.go) cannot tell which one matched:
// only a profile written here isolates the detail rule against the fake's
// real fault.
func TestScenarioVSphereGoneByDetailType(t *testing.T) {
	h := newHarness(t)
	v, c := vsScenario(t, h, vsProfile([]impl.GoneRule{{Detail: "NotAuthenticated"}}, impl.Limits{}))
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	ctx := context.Background()
	if err := vsNow(ctx, h, c); err != nil {
		t.Fatal(err)
	}
	v.KillAll()
	if err := vsNow(ctx, h, c); err != nil {
		t.Fatalf("after kill, with only the detail rule: %v", err)
	}
	if v.Logins.Load() != 2 || v.Rejected.Load() != 1 || h.countEvents(runtime.EventExpire) != 1 {
		t.Errorf("logins %d, rejected %v, expire events %d; want 2, one, 1",
			v.Logins.Load(), v.Reasons(), h.countEvents(runtime.EventExpire))
	}
	h.noSecrets(v.Secrets())
}
