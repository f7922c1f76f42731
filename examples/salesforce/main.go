// Command salesforce shows the salesforce profile at work: a client
// generated from testdata/wsdl/salesforce-partner (golden/salesforce-partner)
// talks to an in-process fake Salesforce org. Twenty goroutines share one
// login, every call goes to the serverUrl the login returned, a session the
// org kills is replaced by one relogin and the call is resent once, and
// Close does not log out (a Salesforce logout would end the session for
// every other user of it).
//
//	go run ./examples/salesforce
package main

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/wsdlsess/wsdlsess/examples/internal/show"
	sfdc "github.com/wsdlsess/wsdlsess/golden/salesforce-partner"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
)

func main() { show.Main("salesforce", run) }

func run(w io.Writer) error {
	org := fakevendor.NewSalesforce(fakevendor.SalesforceConfig{Users: map[string]string{"ann@example.com": "s3cret-and-token"}})
	defer org.Close()
	ctx := context.Background()
	log := show.New(w)

	c, err := sfdc.NewClient(
		runtime.WithEndpoint(org.URL()), // the login URL; calls move to serverUrl
		runtime.WithCredentials(runtime.Password("ann@example.com", "s3cret-and-token")),
		runtime.WithEvents(log.Event),
	)
	if err != nil {
		return err
	}

	log.Step("20 goroutines query at once with no session yet")
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Query(ctx, &sfdc.Query{QueryString: fmt.Sprintf("SELECT Id FROM Account LIMIT %d", i+1)}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return err
	}
	log.Server("logins", org.Logins.Load(), "calls", org.Calls.Load())

	log.Step("the org kills every session (an admin, or the session timeout)")
	org.KillAll()
	var limits sfdc.LimitInfoHeader
	out, err := c.Query(ctx, &sfdc.Query{QueryString: "SELECT Name FROM Contact"}, sfdc.ReadLimitInfoHeader(&limits))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  query answered %d record(s) after one relogin; API requests used: %d of %d\n", out.Result.Size, limits.LimitInfo[0].Current, limits.LimitInfo[0].Limit)
	log.Server("logins", org.Logins.Load(), "calls", org.Calls.Load(), "duplicates", org.Duplicates.Load())

	log.Step("Close: the session is left to expire, never logged out")
	if err := c.Close(ctx); err != nil {
		return err
	}
	log.Server("logouts", org.Logouts.Load())
	return nil
}
