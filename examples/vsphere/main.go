// Command vsphere shows the vsphere profile: a client generated from
// testdata/wsdl/vsphere (golden/vsphere) against an in-process fake
// vCenter. The client calls SessionManager.Login itself, keeps the
// vmware_soap_session cookie, logs in again once on NotAuthenticated, and
// calls Logout when it is closed.
//
//	go run ./examples/vsphere
package main

import (
	"context"
	"fmt"
	"io"

	"github.com/wsdlsess/wsdlsess/examples/internal/show"
	vim "github.com/wsdlsess/wsdlsess/golden/vsphere"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
)

func main() { show.Main("vsphere", run) }

func run(w io.Writer) error {
	vc := fakevendor.NewVSphere(fakevendor.VSphereConfig{Users: map[string]string{"administrator@vsphere.local": "s3cret"}})
	defer vc.Close()
	ctx := context.Background()
	log := show.New(w)
	c, err := vim.NewClient(
		runtime.WithEndpoint(vc.URL()),
		runtime.WithCredentials(runtime.Password("administrator@vsphere.local", "s3cret")),
		runtime.WithEvents(log.Event),
	)
	if err != nil {
		return err
	}
	this := &vim.ManagedObjectReference{Type: "ServiceInstance", Value: "ServiceInstance"}

	log.Step("three CurrentTime calls on one session")
	for range 3 {
		if _, err := c.CurrentTime(ctx, &vim.CurrentTime{This: this}); err != nil {
			return err
		}
	}
	log.Server("logins", vc.Logins.Load(), "calls", vc.Calls.Load())

	log.Step("vCenter ends every session")
	vc.KillAll()
	out, err := c.CurrentTime(ctx, &vim.CurrentTime{This: this})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  server time %s after one relogin\n", out.Returnval)
	log.Server("logins", vc.Logins.Load(), "calls", vc.Calls.Load())

	log.Step("Close logs out")
	if err := c.Close(ctx); err != nil {
		return err
	}
	log.Server("logouts", vc.Logouts.Load())
	return nil
}
