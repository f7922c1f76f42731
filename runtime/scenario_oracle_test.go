package runtime_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
)

const orUser, orPassword = "crm@example.com", "CRM-Pa55word"

// Oracle CRM On Demand: requests carry the JSESSIONID cookie or the
// WS-Security credentials, never both, including after the cookie expired
// or the session was killed.
func TestScenarioOracleCookieOrCredentials(t *testing.T) {
	h := newHarness(t)
	o := fakevendor.NewOracle(fakevendor.OracleConfig{Users: map[string]string{orUser: orPassword}, Idle: 10 * minute})
	t.Cleanup(o.Close)
	c := h.newClient(service("Account", o.URL(), orProfile()),
		runtime.WithEndpoint(o.URL()),
		runtime.WithCredentials(runtime.Password(orUser, orPassword)),
		runtime.WithClock(o.Clock()))
	ctx := context.Background()
	call := func(text string) error {
		var out echoOut
		err := h.err(c.Invoke(ctx, orOpQuery, &orQuery{Text: text}, &out))
		if err == nil && (out.Text != text || out.User != orUser) {
			err = fmt.Errorf("call %q answered with %+v", text, out)
		}
		return err
	}
	for phase := range 3 {
		errs := make([]error, 50)
		parallel(50, func(i int) { errs[i] = call(fmt.Sprintf("p%d-%d", phase, i)) })
		for i, err := range errs {
			if err != nil {
				t.Fatalf("phase %d call %d: %v", phase, i, err)
			}
		}
		switch phase {
		case 0:
			o.Clock().Advance(11 * minute) // the cookie expires
		case 1:
			o.KillAll()
		}
	}
	if o.BothSent.Load() != 0 || o.Violations.Load() != 0 {
		t.Errorf("%d requests carried cookie and credentials", o.BothSent.Load())
	}
	if l := o.Logins.Load(); l != 3 {
		t.Errorf("logins = %d, want 3 (first call, after expiry, after kill)", l)
	}
	if o.Calls.Load() != 150 || o.Duplicates.Load() != 0 {
		t.Errorf("accepted %d calls (%d duplicates), want 150", o.Calls.Load(), o.Duplicates.Load())
	}
	h.noSecrets(o.Secrets())
}
