package e2e

import (
	"context"
	"fmt"
	"testing"

	sap "github.com/wsdlsess/wsdlsess/golden/cookie-sap"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/internal/scenario"
	"github.com/wsdlsess/wsdlsess/runtime"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

const (
	ckUser     = "PI_USER"
	ckPassword = "pw-SAP-4e11"
)

var sapResponses = map[string]string{"SalesOrderByIDQuery_sync": "SalesOrderByIDResponse_sync", "SalesOrderCreateRequest_sync": "SalesOrderCreateConfirmation_sync"}

func readOrders(t *testing.T, h *scenario.Harness, c *sap.Client, prefix string, n int) {
	t.Helper()
	errs := make([]error, n)
	scenario.Parallel(n, func(i int) {
		_, errs[i] = c.SalesOrderRead(context.Background(), &sap.SalesOrderByIDQuerySync{SalesOrderID: fmt.Sprintf("%s-%d", prefix, i)})
		h.Err(errs[i])
	})
	if got := scenario.FirstErrors(errs); len(got) > 0 {
		t.Fatal(got)
	}
}

// HTTP Basic on the first request, then the JSESSIONID cookie; a dropped
// session (401) costs one login for 50 waiting goroutines.
func TestCookieBasicSharedSession(t *testing.T) {
	h := scenario.New(t)
	srv := fakevendor.NewCookie(fakevendor.CookieConfig{Users: map[string]string{ckUser: ckPassword}, ResponseNames: sapResponses})
	t.Cleanup(srv.Close)
	c, err := sap.NewClient(append(h.Options(), runtime.WithEndpoint(srv.URL()), runtime.WithCredentials(runtime.Password(ckUser, ckPassword)))...)
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(c)
	readOrders(t, h, c, "a", 50)
	srv.KillAll()
	readOrders(t, h, c, "b", 50)
	if srv.Logins.Load() != 2 || srv.Calls.Load() != 100 || srv.Duplicates.Load() != 0 || srv.AuthWithCookie.Load() != 0 {
		t.Errorf("logins %d (want 2), calls %d, duplicates %d, auth sent with a live cookie %d", srv.Logins.Load(), srv.Calls.Load(), srv.Duplicates.Load(), srv.AuthWithCookie.Load())
	}
	h.NoSecrets(srv.Secrets(), []string{ckPassword})
}

// The same generated client with OAuth2 client credentials instead of a
// password: one token, one session.
func TestCookieOAuth2(t *testing.T) {
	h := scenario.New(t)
	as := fakevendor.NewOAuth2(fakevendor.OAuth2Config{Clients: map[string]string{"billing": "oauth-secret-77aa"}})
	t.Cleanup(as.Close)
	srv := fakevendor.NewCookie(fakevendor.CookieConfig{OAuth: as, ResponseNames: sapResponses})
	t.Cleanup(srv.Close)
	cfg := &clientcredentials.Config{ClientID: "billing", ClientSecret: "oauth-secret-77aa", TokenURL: as.TokenURL(), AuthStyle: oauth2.AuthStyleInHeader}
	c, err := sap.NewClient(append(h.Options(), runtime.WithEndpoint(srv.URL()), runtime.WithCredentials(runtime.OAuth2ClientCredentials(cfg)))...)
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(c)
	readOrders(t, h, c, "o", 40)
	if srv.Logins.Load() != 1 || as.Issued.Load() != 1 {
		t.Errorf("logins %d, tokens issued %d; want 1 and 1", srv.Logins.Load(), as.Issued.Load())
	}
	h.NoSecrets(srv.Secrets(), as.Secrets(), []string{"oauth-secret-77aa"})
}

// The SAP splitter case: 50 calls fanned out at once inside one fresh
// Exchange open exactly one session, which the exchange keeps to itself.
func TestCookieExchangeFanOutOneSession(t *testing.T) {
	h := scenario.New(t)
	srv := fakevendor.NewCookie(fakevendor.CookieConfig{Users: map[string]string{ckUser: ckPassword}, ResponseNames: sapResponses})
	t.Cleanup(srv.Close)
	c, err := sap.NewClient(append(h.Options(), runtime.WithEndpoint(srv.URL()), runtime.WithCredentials(runtime.Password(ckUser, ckPassword)))...)
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(c)
	ex := c.Exchange()
	readOrders(t, h, ex, "x", 50)
	if err := ex.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if srv.Logins.Load() != 1 || srv.Calls.Load() != 50 {
		t.Errorf("logins %d (want 1), calls %d", srv.Logins.Load(), srv.Calls.Load())
	}
	h.NoSecrets(srv.Secrets(), []string{ckPassword})
}
