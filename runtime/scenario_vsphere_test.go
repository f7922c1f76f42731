package runtime_test

import (
	"context"
	"encoding/xml"
	"errors"
	"testing"

	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
	"github.com/wsdlsess/wsdlsess/runtime/impl"
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

// vSphere: the login operation's cookie carries the session; a known idle
// limit is honoured before the server's NotAuthenticated; a killed session
// is replaced; Close logs out (the profile says on-close).
func TestScenarioVSphereCookieLoginOperation(t *testing.T) {
	h := newHarness(t)
	v, c := vsScenario(t, h, vsProfile([]impl.GoneRule{
		{Detail: "NotAuthenticated"}, {FaultString: "The session is not authenticated"},
	}, impl.Limits{Idle: 30 * minute, RefreshMargin: minute}))
	ctx := context.Background()
	parallel(20, func(int) {
		if err := vsNow(ctx, h, c); err != nil {
			t.Error(err)
		}
	})
	v.Clock().Advance(31 * minute) // idle past the known limit
	if err := vsNow(ctx, h, c); err != nil {
		t.Fatal(err)
	}
	if v.Rejected.Load() != 0 || v.Logins.Load() != 2 {
		t.Errorf("after idle: logins %d, rejected %v; want 2 and none", v.Logins.Load(), v.Reasons())
	}
	v.KillAll() // NotAuthenticated on the next call
	if err := vsNow(ctx, h, c); err != nil {
		t.Fatalf("after kill: %v", err)
	}
	if v.Logins.Load() != 3 || v.Calls.Load() != 22 {
		t.Errorf("after kill: logins %d calls %d; want 3 and 22", v.Logins.Load(), v.Calls.Load())
	}
	if err := h.err(c.Close(ctx)); err != nil {
		t.Fatal(err)
	}
	if v.Logouts.Load() != 1 {
		t.Errorf("logouts = %d, want 1 on Close", v.Logouts.Load())
	}
	h.noSecrets(v.Secrets())
}

// templates/vsphere.yaml lists `detail: NotAuthenticated` to match the
// fault's type in the detail (<NotAuthenticatedFault
// xsi:type="NotAuthenticated">). With that rule alone the session must
// still be replaced.
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

// Two clients of one identity share a vSphere session through a Store:
// closing one must not log the session out under the other's feet. A
// Store-shared session is never logged out by Close (other processes may
// use it); the server expires it.
func TestScenarioVSphereNoLogoutUnderNeighbour(t *testing.T) {
	h := newHarness(t)
	v := fakevendor.NewVSphere(fakevendor.VSphereConfig{Users: map[string]string{"administrator@vsphere.local": vsPassword}, Idle: 30 * minute})
	t.Cleanup(v.Close)
	store := runtime.NewMemoryStore()
	p := vsProfile([]impl.GoneRule{{FaultString: "The session is not authenticated"}}, impl.Limits{})
	newC := func() *runtime.Client {
		c, err := runtime.NewClient(service("VimService", v.URL(), p), append(h.options(),
			runtime.WithEndpoint(v.URL()),
			runtime.WithCredentials(runtime.Password("administrator@vsphere.local", vsPassword)),
			runtime.WithStore(store),
			runtime.WithClock(v.Clock()))...)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ctx := context.Background()
	c1, c2 := newC(), newC()
	for _, c := range []*runtime.Client{c1, c2} {
		if err := vsNow(ctx, h, c); err != nil {
			t.Fatal(err)
		}
	}
	if v.Logins.Load() != 1 {
		t.Fatalf("logins = %d, want 1 shared session", v.Logins.Load())
	}
	if err := h.err(c1.Close(ctx)); err != nil {
		t.Fatal(err)
	}
	if err := vsNow(ctx, h, c2); err != nil {
		t.Fatal(err)
	}
	if v.Logouts.Load() != 0 || v.Rejected.Load() != 0 || v.Logins.Load() != 1 {
		t.Errorf("after the first Close: logouts %d, rejected %v, logins %d; want 0, none, 1",
			v.Logouts.Load(), v.Reasons(), v.Logins.Load())
	}
	if err := h.err(c2.Close(ctx)); err != nil {
		t.Fatal(err)
	}
	if v.Logouts.Load() != 0 {
		t.Errorf("logouts = %d after the last Close, want 0 (a Store-shared session is left to expire)", v.Logouts.Load())
	}
	h.noSecrets(v.Secrets())
}

// Within one client, closing an Exchange of a shared-scope profile leaves
// the client's session (and its users) alone; the client's Close logs out.
func TestScenarioVSphereExchangeCloseKeepsSharedSession(t *testing.T) {
	h := newHarness(t)
	v, c := vsScenario(t, h, vsProfile([]impl.GoneRule{{FaultString: "The session is not authenticated"}}, impl.Limits{}))
	ctx := context.Background()
	if err := vsNow(ctx, h, c); err != nil {
		t.Fatal(err)
	}
	ex := c.Exchange()
	if err := vsNow(ctx, h, ex); err != nil {
		t.Fatal(err)
	}
	if err := h.err(ex.Close(ctx)); err != nil {
		t.Fatal(err)
	}
	if err := vsNow(ctx, h, c); err != nil {
		t.Fatal(err)
	}
	if v.Rejected.Load() != 0 {
		t.Errorf("a call was rejected after the exchange closed: %v", v.Reasons())
	}
	if err := h.err(c.Close(ctx)); err != nil {
		t.Fatal(err)
	}
	if v.Logouts.Load() != v.Logins.Load() {
		t.Errorf("logins %d, logouts %d: every session opened must be logged out by Close (on-close profile)", v.Logins.Load(), v.Logouts.Load())
	}
	h.noSecrets(v.Secrets())
}
