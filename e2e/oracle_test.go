package e2e

import (
	"context"
	"fmt"
	"testing"

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
// (the pod refuses a request with both); 100 goroutines on an expired
// session cost one login; no call is processed twice.
func TestOracleCookieOrCredentials(t *testing.T) {
	h := scenario.New(t)
	pod := fakevendor.NewOracle(fakevendor.OracleConfig{Users: map[string]string{orUser: orPassword}})
	t.Cleanup(pod.Close)
	c, err := crmod.NewClient(append(h.Options(), runtime.WithEndpoint(pod.URL()), runtime.WithCredentials(runtime.Password(orUser, orPassword)))...)
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(c)
	for round := range 2 {
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
		pod.KillAll()
	}
	if pod.Violations.Load() != 0 || pod.Duplicates.Load() != 0 || pod.Calls.Load() != 200 {
		t.Errorf("violations %d (cookie and credentials together), duplicates %d, calls %d", pod.Violations.Load(), pod.Duplicates.Load(), pod.Calls.Load())
	}
	h.NoSecrets(pod.Secrets(), []string{orPassword})
}
