package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	crmod "github.com/wsdlsess/wsdlsess/golden/oracle-crmod"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/internal/scenario"
	"github.com/wsdlsess/wsdlsess/runtime"
)

const (
	orUser     = "INTEG/ann"
	orPassword = "pw-Oracle-9c2e"
)

// WS-Security on the first request only, then only the JSESSIONID cookie
// (the pod refuses a request with both), also after the cookie expired on
// the pod's clock or the session was killed; 100 goroutines on an expired
// session cost one login; no call is processed twice.
func TestOracleCookieOrCredentials(t *testing.T) {
	h := scenario.New(t)
	pod := fakevendor.NewOracle(fakevendor.OracleConfig{Users: map[string]string{orUser: orPassword}, Idle: 10 * time.Minute})
	t.Cleanup(pod.Close)
	c, err := crmod.NewClient(append(h.Options(), runtime.WithEndpoint(pod.URL()), runtime.WithCredentials(runtime.Password(orUser, orPassword)), runtime.WithClock(pod.Clock()))...)
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(c)
	expire := []func(){
		func() { pod.Clock().Advance(11 * time.Minute) }, // the cookie expires
		func() { pod.KillAll() },
		func() {},
	}
	for round, ex := range expire {
		errs := make([]error, 100)
		scenario.Parallel(100, func(i int) {
			_, errs[i] = c.AccountQueryPage(context.Background(), &crmod.AccountQueryPageInput{ViewMode: ptr(fmt.Sprintf("r%d-%d", round, i))})
			h.Err(errs[i])
		})
		if got := scenario.FirstErrors(errs); len(got) > 0 {
			t.Fatalf("round %d: %v", round, got)
		}
		if got := pod.Logins.Load(); got != int64(round+1) {
			t.Fatalf("round %d: logins = %d, want %d", round, got, round+1)
		}
		ex()
	}
	if pod.BothSent.Load() != 0 || pod.Violations.Load() != 0 || pod.Duplicates.Load() != 0 || pod.Calls.Load() != 300 {
		t.Errorf("cookie and credentials together %d (violations %d), duplicates %d, calls %d (want 300)", pod.BothSent.Load(), pod.Violations.Load(), pod.Duplicates.Load(), pod.Calls.Load())
	}
	h.NoSecrets(pod.Secrets(), []string{orPassword})
}
