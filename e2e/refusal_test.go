package e2e

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	sap "github.com/wsdlsess/wsdlsess/golden/cookie-sap"
	crmod "github.com/wsdlsess/wsdlsess/golden/oracle-crmod"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/internal/scenario"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// checkLoginFailed asserts every caller of a burst got an error that says
// the login failed, wraps the server's answer as want, and holds no secret.
func checkLoginFailed(t *testing.T, errs []error, want func(error) bool, secret string) {
	t.Helper()
	for i, err := range errs {
		if err == nil || !want(err) || !strings.Contains(err.Error(), "login failed") {
			t.Fatalf("caller %d: %v, want an error that says the login failed and wraps the server's answer", i, err)
		}
		if strings.Contains(err.Error(), secret) {
			t.Fatalf("caller %d: the password is in the error", i)
		}
	}
}

// Oracle CRM On Demand refuses a wrong WS-Security password with a SOAP
// fault: one attempt for a burst of callers, each told the login failed.
func TestOracleWrongPasswordSaysLoginFailed(t *testing.T) {
	const wrong = "pw-Oracle-wrong-1"
	h := scenario.New(t)
	pod := fakevendor.NewOracle(fakevendor.OracleConfig{Users: map[string]string{orUser: orPassword}})
	t.Cleanup(pod.Close)
	c, err := crmod.NewClient(append(h.Options(), runtime.WithEndpoint(pod.URL()), runtime.WithCredentials(runtime.Password(orUser, wrong)), runtime.WithClock(pod.Clock()))...)
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(c)
	errs := make([]error, 20)
	scenario.Parallel(20, func(i int) {
		_, errs[i] = c.AccountQueryPage(context.Background(), &crmod.AccountQueryPageInput{ViewMode: ptr(fmt.Sprint("w", i))})
		h.Err(errs[i])
	})
	checkLoginFailed(t, errs, func(err error) bool {
		var f *runtime.Fault
		return errors.As(err, &f)
	}, wrong)
	if n := pod.RejectedFor(fakevendor.ReasonBadCredentials); n != 1 {
		t.Errorf("%d requests carried the wrong password, want 1", n)
	}
	h.NoSecrets(pod.Secrets(), []string{orPassword, wrong})
}

// SAP refuses wrong Basic credentials with HTTP 401: one attempt for a
// burst of callers, each told the login failed.
func TestCookieWrongPasswordSaysLoginFailed(t *testing.T) {
	const wrong = "pw-SAP-wrong-2"
	h := scenario.New(t)
	srv := fakevendor.NewCookie(fakevendor.CookieConfig{Users: map[string]string{ckUser: ckPassword}, ResponseNames: sapResponses})
	t.Cleanup(srv.Close)
	c, err := sap.NewClient(append(h.Options(), runtime.WithEndpoint(srv.URL()), runtime.WithCredentials(runtime.Password(ckUser, wrong)), runtime.WithClock(srv.Clock()))...)
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(c)
	errs := make([]error, 20)
	scenario.Parallel(20, func(i int) {
		_, errs[i] = c.SalesOrderRead(context.Background(), &sap.SalesOrderByIDQuerySync{SalesOrderID: fmt.Sprint("w", i)})
		h.Err(errs[i])
	})
	checkLoginFailed(t, errs, func(err error) bool {
		var he *runtime.HTTPError
		return errors.As(err, &he) && he.StatusCode == 401
	}, wrong)
	if n := srv.RejectedFor(fakevendor.ReasonBadCredentials); n != 1 {
		t.Errorf("%d requests carried the wrong password, want 1", n)
	}
	h.NoSecrets(srv.Secrets(), []string{ckPassword, wrong})
}

// One sequential caller on the siebel-stateless pool uses one session:
// servers limit sessions per user, and another opens only when every open
// one is busy.
func TestSiebelSequentialCallerOneSession(t *testing.T) {
	h := scenario.New(t)
	srv := newSiebel(t, fakevendor.SiebelConfig{})
	call := sbStateless(t, h, srv.URL(), srv.Clock(), sbPassword)
	for i := range 8 {
		if err := call(context.Background(), fmt.Sprint("s", i)); err != nil {
			t.Fatal(err)
		}
	}
	if srv.Logins.Load() != 1 || srv.LiveSessions() != 1 {
		t.Errorf("8 sequential calls: %d logins, %d live sessions; want 1 and 1", srv.Logins.Load(), srv.LiveSessions())
	}
	h.NoSecrets(srv.Secrets(), []string{sbPassword})
}
