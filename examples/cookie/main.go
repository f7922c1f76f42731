// Command cookie shows the cookie profile (SAP style): a client generated
// from testdata/wsdl/cookie-sap (golden/cookie-sap) against an in-process
// fake SAP-style receiver. The first request authenticates with HTTP Basic;
// the server sets a JSESSIONID cookie that carries the session from then
// on; a 401 (session gone) costs one login and one resend.
//
//	go run ./examples/cookie
package main

import (
	"context"
	"fmt"
	"io"

	"github.com/wsdlsess/wsdlsess/examples/internal/show"
	sap "github.com/wsdlsess/wsdlsess/golden/cookie-sap"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
)

func main() { show.Main("cookie", run) }

func run(w io.Writer) error {
	srv := fakevendor.NewCookie(fakevendor.CookieConfig{
		Users:         map[string]string{"PI_USER": "s3cret"},
		ResponseNames: map[string]string{"SalesOrderByIDQuery_sync": "SalesOrderByIDResponse_sync", "SalesOrderCreateRequest_sync": "SalesOrderCreateConfirmation_sync"},
	})
	defer srv.Close()
	ctx := context.Background()
	log := show.New(w)
	c, err := sap.NewClient(
		runtime.WithEndpoint(srv.URL()),
		runtime.WithCredentials(runtime.Password("PI_USER", "s3cret")),
		runtime.WithEvents(log.Event),
	)
	if err != nil {
		return err
	}
	defer c.Close(ctx)

	log.Step("five reads: Basic auth once, then the cookie")
	for i := range 5 {
		if _, err := c.SalesOrderRead(ctx, &sap.SalesOrderByIDQuerySync{SalesOrderID: fmt.Sprint(4711 + i)}); err != nil {
			return err
		}
	}
	log.Server("logins", srv.Logins.Load(), "calls", srv.Calls.Load(), "auth-with-cookie", srv.AuthWithCookie.Load())

	log.Step("the server drops every session")
	srv.KillAll()
	if _, err := c.SalesOrderRead(ctx, &sap.SalesOrderByIDQuerySync{SalesOrderID: "4800"}); err != nil {
		return err
	}
	log.Server("logins", srv.Logins.Load(), "calls", srv.Calls.Load(), "duplicates", srv.Duplicates.Load())
	return nil
}
