package e2e

import (
	"context"
	"testing"
	"time"

	vim "github.com/wsdlsess/wsdlsess/golden/vsphere"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/internal/scenario"
	"github.com/wsdlsess/wsdlsess/runtime"
)

const (
	vcUser     = "administrator@vsphere.local"
	vcPassword = "pw-vSphere-0b7d"
)

// SessionManager.Login with _this, the vmware_soap_session cookie; the
// idle limit the profile knows (30m) is honoured before the server's
// NotAuthenticated; a killed session (NotAuthenticated) costs one relogin
// for 30 waiting goroutines; Logout on Close.
func TestVSphereLoginCookieLogout(t *testing.T) {
	h := scenario.New(t)
	vc := fakevendor.NewVSphere(fakevendor.VSphereConfig{Users: map[string]string{vcUser: vcPassword}, Idle: 30 * time.Minute})
	t.Cleanup(vc.Close)
	c, err := vim.NewClient(append(h.Options(), runtime.WithEndpoint(vc.URL()), runtime.WithCredentials(runtime.Password(vcUser, vcPassword)), runtime.WithClock(vc.Clock()))...)
	if err != nil {
		t.Fatal(err)
	}
	this := &vim.ManagedObjectReference{Type: "ServiceInstance", Value: "ServiceInstance"}
	expire := []func(){
		func() { vc.Clock().Advance(31 * time.Minute) }, // idle past the known limit
		func() { vc.KillAll() },
		func() {},
	}
	for round, ex := range expire {
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
		if round == 1 && vc.Rejected.Load() != 0 {
			t.Errorf("after idling past the known limit: rejections %v, want none", vc.Reasons())
		}
		ex()
	}
	if vc.Calls.Load() != 90 {
		t.Errorf("calls = %d, want 90", vc.Calls.Load())
	}
	if err := c.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if vc.Logouts.Load() != 1 {
		t.Errorf("logouts = %d, want 1 (logout on-close)", vc.Logouts.Load())
	}
	h.NoSecrets(vc.Secrets(), []string{vcPassword})
}

func vcNow(ctx context.Context, h *scenario.Harness, c *vim.Client) error {
	_, err := c.CurrentTime(ctx, &vim.CurrentTime{This: &vim.ManagedObjectReference{Type: "ServiceInstance", Value: "ServiceInstance"}})
	return h.Err(err)
}

// Two clients of one identity share a vSphere session through a store:
// closing one must not log the session out under the other's feet, and a
// store-shared session is never logged out by Close (other processes may
// use it); the server expires it.
func TestVSphereNoLogoutUnderNeighbour(t *testing.T) {
	h := scenario.New(t)
	vc := fakevendor.NewVSphere(fakevendor.VSphereConfig{Users: map[string]string{vcUser: vcPassword}})
	t.Cleanup(vc.Close)
	store := runtime.NewMemoryStore()
	newC := func() *vim.Client {
		c, err := vim.NewClient(append(h.Options(), runtime.WithEndpoint(vc.URL()), runtime.WithCredentials(runtime.Password(vcUser, vcPassword)), runtime.WithStore(store))...)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ctx := context.Background()
	c1, c2 := newC(), newC()
	for _, c := range []*vim.Client{c1, c2} {
		if err := vcNow(ctx, h, c); err != nil {
			t.Fatal(err)
		}
	}
	if vc.Logins.Load() != 1 {
		t.Fatalf("logins = %d, want 1 shared session", vc.Logins.Load())
	}
	if err := c1.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := vcNow(ctx, h, c2); err != nil {
		t.Fatal(err)
	}
	if vc.Logouts.Load() != 0 || vc.Rejected.Load() != 0 || vc.Logins.Load() != 1 {
		t.Errorf("after the first Close: logouts %d, rejections %v, logins %d; want 0, none, 1", vc.Logouts.Load(), vc.Reasons(), vc.Logins.Load())
	}
	if err := c2.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if vc.Logouts.Load() != 0 {
		t.Errorf("logouts = %d after the last Close, want 0 (a store-shared session is left to expire)", vc.Logouts.Load())
	}
	h.NoSecrets(vc.Secrets(), []string{vcPassword})
}

// Closing an Exchange of the shared-scope profile leaves the client's
// session (and its other users) alone; the client's Close logs out every
// session it opened.
func TestVSphereExchangeCloseKeepsSharedSession(t *testing.T) {
	h := scenario.New(t)
	vc := fakevendor.NewVSphere(fakevendor.VSphereConfig{Users: map[string]string{vcUser: vcPassword}})
	t.Cleanup(vc.Close)
	c, err := vim.NewClient(append(h.Options(), runtime.WithEndpoint(vc.URL()), runtime.WithCredentials(runtime.Password(vcUser, vcPassword)))...)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := vcNow(ctx, h, c); err != nil {
		t.Fatal(err)
	}
	ex := c.Exchange()
	if err := vcNow(ctx, h, ex); err != nil {
		t.Fatal(err)
	}
	if err := ex.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := vcNow(ctx, h, c); err != nil {
		t.Fatal(err)
	}
	if vc.Rejected.Load() != 0 {
		t.Errorf("a call was rejected after the exchange closed: %v", vc.Reasons())
	}
	if err := c.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if vc.Logouts.Load() != vc.Logins.Load() {
		t.Errorf("logins %d, logouts %d: Close must log out every session it opened (on-close profile)", vc.Logins.Load(), vc.Logouts.Load())
	}
	h.NoSecrets(vc.Secrets(), []string{vcPassword})
}
