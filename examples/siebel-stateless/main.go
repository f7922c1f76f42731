// Command siebel-stateless shows the siebel-stateless profile: a client
// generated from testdata/wsdl/siebel (golden/siebel) against an in-process
// fake Siebel EAI endpoint. Credentials go on the first request of a
// session only; every response carries a new SessionToken that replaces the
// one sent (rotation), so a session serves one call at a time and a pool of
// sessions gives parallelism; a token about to pass its 15-minute idle
// limit is replaced before the call, not after a failure.
//
//	go run ./examples/siebel-stateless
package main

import (
	"context"
	"io"
	"sync"
	"time"

	"github.com/wsdlsess/wsdlsess/examples/internal/show"
	siebel "github.com/wsdlsess/wsdlsess/golden/siebel"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
)

func main() { show.Main("siebel-stateless", run) }

func run(w io.Writer) error {
	srv := fakevendor.NewSiebel(fakevendor.SiebelConfig{Users: map[string]string{"SADMIN": "s3cret"}})
	defer srv.Close()
	ctx := context.Background()
	log := show.New(w)
	c, err := siebel.NewSiebelSpcAccountClient(
		runtime.WithEndpoint(srv.URL()),
		runtime.WithCredentials(runtime.Password("SADMIN", "s3cret")),
		runtime.WithClock(srv.Clock()), // the fake's clock, so the example can skip time
		runtime.WithEvents(log.Event),
	)
	if err != nil {
		return err
	}
	defer c.Close(ctx)

	log.Step("40 queries from 16 goroutines on a pool of 4 rotating sessions")
	if err := parallel(16, 40, func() error {
		_, err := c.AccountQueryPage(ctx, &siebel.AccountSpcQuerySpcPageInput{})
		return err
	}); err != nil {
		return err
	}
	log.Server("logins", srv.Logins.Load(), "calls", srv.Calls.Load(), "stale-tokens", srv.Stale.Load(), "protocol-violations", srv.Violations.Load())

	log.Step("16 idle minutes: past SessionTokenTimeout (15m)")
	srv.Clock().Advance(16 * time.Minute)
	if _, err := c.AccountQueryPage(ctx, &siebel.AccountSpcQuerySpcPageInput{}); err != nil {
		return err
	}
	log.Server("logins", srv.Logins.Load(), "calls", srv.Calls.Load(), "rejected", srv.Rejected.Load())
	return nil
}

// parallel runs n calls of f from g goroutines and returns the first error.
func parallel(g, n int, f func() error) error {
	jobs := make(chan struct{}, n)
	for range n {
		jobs <- struct{}{}
	}
	close(jobs)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for range g {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				if err := f(); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return first
}
