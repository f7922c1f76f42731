package e2e

import (
	"context"
	"testing"

	vim "github.com/wsdlsess/wsdlsess/golden/vsphere"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/internal/scenario"
	"github.com/wsdlsess/wsdlsess/runtime"
)

const (
	vcUser     = "administrator@vsphere.local"
	vcPassword = "pw-vSphere-0b7d"
)

// SessionManager.Login with _this, the vmware_soap_session cookie,
// NotAuthenticated → one relogin for 30 waiting goroutines, Logout on
// Close.
func TestVSphereLoginCookieLogout(t *testing.T) {
	h := scenario.New(t)
	vc := fakevendor.NewVSphere(fakevendor.VSphereConfig{Users: map[string]string{vcUser: vcPassword}})
	t.Cleanup(vc.Close)
	c, err := vim.NewClient(append(h.Options(), runtime.WithEndpoint(vc.URL()), runtime.WithCredentials(runtime.Password(vcUser, vcPassword)))...)
	if err != nil {
		t.Fatal(err)
	}
	this := &vim.ManagedObjectReference{Type: "ServiceInstance", Value: "ServiceInstance"}
	for round := range 2 {
		errs := make([]error, 30)
		scenario.Parallel(30, func(i int) {
			_, errs[i] = c.CurrentTime(context.Background(), &vim.CurrentTime{This: this})
			h.Err(errs[i])
		})
		if got := scenario.FirstErrors(errs); len(got) > 0 {
			t.Fatalf("round %d: %v", round, got)
		}
		if got := vc.Logins.Load(); got != int64(round+1) {
			t.Fatalf("round %d: logins = %d, want %d", round, got, round+1)
		}
		vc.KillAll()
	}
	if _, err := c.CurrentTime(context.Background(), &vim.CurrentTime{This: this}); err != nil {
		t.Fatal(h.Err(err))
	}
	if err := c.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if vc.Logouts.Load() != 1 {
		t.Errorf("logouts = %d, want 1 (logout on-close)", vc.Logouts.Load())
	}
	h.NoSecrets(vc.Secrets(), []string{vcPassword})
}
