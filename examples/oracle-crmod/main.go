// Command oracle-crmod shows the oracle-crmod profile: a client generated
// from testdata/wsdl/oracle-crmod (golden/oracle-crmod) against an
// in-process fake CRM On Demand pod. The first request carries a
// WS-Security UsernameToken; the pod answers with a JSESSIONID cookie, and
// every later request carries only the cookie and SessionKeepAlive, never
// the credentials too (the pod refuses requests with both). An expired
// session (SBL-ODU-01006) is replaced by one login and the call resent.
//
//	go run ./examples/oracle-crmod
package main

import (
	"context"
	"io"

	"github.com/wsdlsess/wsdlsess/examples/internal/show"
	crmod "github.com/wsdlsess/wsdlsess/golden/oracle-crmod"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
)

func main() { show.Main("oracle-crmod", run) }

func run(w io.Writer) error {
	pod := fakevendor.NewOracle(fakevendor.OracleConfig{Users: map[string]string{"INTEG/ann": "s3cret"}})
	defer pod.Close()
	ctx := context.Background()
	log := show.New(w)
	c, err := crmod.NewClient(
		runtime.WithEndpoint(pod.URL()),
		runtime.WithCredentials(runtime.Password("INTEG/ann", "s3cret")),
		runtime.WithEvents(log.Event),
	)
	if err != nil {
		return err
	}
	defer c.Close(ctx)

	log.Step("five queries: credentials once, then the cookie")
	for range 5 {
		if _, err := c.AccountQueryPage(ctx, &crmod.AccountQueryPageInput{}); err != nil {
			return err
		}
	}
	log.Server("logins", pod.Logins.Load(), "calls", pod.Calls.Load(), "protocol-violations", pod.Violations.Load())

	log.Step("the pod expires the session")
	pod.KillAll()
	if _, err := c.AccountQueryPage(ctx, &crmod.AccountQueryPageInput{}); err != nil {
		return err
	}
	log.Server("logins", pod.Logins.Load(), "calls", pod.Calls.Load(), "duplicates", pod.Duplicates.Load())
	return nil
}
