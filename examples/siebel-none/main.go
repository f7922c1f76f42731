// Command siebel-none shows the siebel-none profile: a client generated
// from testdata/wsdl/siebel-none (golden/siebel-none) against an
// in-process fake Siebel. SessionType None keeps no session: every request
// carries UsernameToken and PasswordText, and the server logs in and out
// for each one (fine for a batch job that calls rarely, slow for anything
// busy: use siebel-stateless there).
//
//	go run ./examples/siebel-none
package main

import (
	"context"
	"io"

	"github.com/wsdlsess/wsdlsess/examples/internal/show"
	lov "github.com/wsdlsess/wsdlsess/golden/siebel-none"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
)

func main() { show.Main("siebel-none", run) }

func run(w io.Writer) error {
	srv := fakevendor.NewSiebel(fakevendor.SiebelConfig{Users: map[string]string{"BATCH": "s3cret"}})
	defer srv.Close()
	ctx := context.Background()
	log := show.New(w)
	c, err := lov.NewClient(
		runtime.WithEndpoint(srv.URL()),
		runtime.WithCredentials(runtime.Password("BATCH", "s3cret")),
		runtime.WithEvents(log.Event),
	)
	if err != nil {
		return err
	}
	defer c.Close(ctx)

	log.Step("three lookups, each with the credentials")
	for _, typ := range []string{"ACCOUNT_TYPE", "SR_STATUS", "ORDER_STATUS"} {
		if _, err := c.LOVQuery(ctx, &lov.LOVQueryInput{Type: typ}); err != nil {
			return err
		}
	}
	log.Server("logins", srv.Logins.Load(), "logouts", srv.Logouts.Load(), "calls", srv.Calls.Load(), "live-sessions", srv.LiveSessions())
	return nil
}
