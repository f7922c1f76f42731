// Command siebel-stateful shows the siebel-stateful profile: a client
// generated from testdata/wsdl/siebel-stateful (golden/siebel-stateful), an
// order built over three calls in one server-side session (an Exchange),
// against an in-process fake Siebel. When the server loses that session the
// client does not log in again behind your back: the order's state is
// gone, and the call fails with runtime.ErrSessionLost.
//
//	go run ./examples/siebel-stateful
package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/wsdlsess/wsdlsess/examples/internal/show"
	order "github.com/wsdlsess/wsdlsess/golden/siebel-stateful"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
)

func main() { show.Main("siebel-stateful", run) }

func run(w io.Writer) error {
	srv := fakevendor.NewSiebel(fakevendor.SiebelConfig{Users: map[string]string{"SADMIN": "s3cret"}})
	defer srv.Close()
	ctx := context.Background()
	log := show.New(w)
	c, err := order.NewClient(
		runtime.WithEndpoint(srv.URL()),
		runtime.WithCredentials(runtime.Password("SADMIN", "s3cret")),
		runtime.WithEvents(log.Event),
	)
	if err != nil {
		return err
	}

	log.Step("one order in one exchange: create, add a line, submit")
	ex := c.Exchange()
	if _, err := ex.OrderCreate(ctx, &order.OrderCreateInput{Account: "ACME"}); err != nil {
		return err
	}
	if _, err := ex.OrderAddLine(ctx, &order.OrderAddLineInput{Product: "Widget", Quantity: "3"}); err != nil {
		return err
	}
	if _, err := ex.OrderSubmit(ctx, &order.OrderSubmitInput{}); err != nil {
		return err
	}
	log.Server("logins", srv.Logins.Load(), "calls", srv.Calls.Load())
	if err := ex.Close(ctx); err != nil {
		return err
	}

	log.Step("a second order; the server loses its session half way")
	ex = c.Exchange()
	defer ex.Close(ctx)
	if _, err := ex.OrderCreate(ctx, &order.OrderCreateInput{Account: "ACME"}); err != nil {
		return err
	}
	srv.KillAll()
	_, err = ex.OrderAddLine(ctx, &order.OrderAddLineInput{Product: "Widget", Quantity: "1"})
	if !errors.Is(err, runtime.ErrSessionLost) {
		return fmt.Errorf("want runtime.ErrSessionLost, got %v", err)
	}
	fmt.Fprintf(w, "  OrderAddLine failed with runtime.ErrSessionLost: start the order again\n")
	log.Server("logins", srv.Logins.Load(), "calls", srv.Calls.Load())
	return nil
}
