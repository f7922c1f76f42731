package main

import (
	"bytes"
	"testing"

	"github.com/wsdlsess/wsdlsess/examples/internal/show"
)

func TestExample(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	show.Expect(t, out.String(),
		"  server: logins=1 calls=3",
		"  OrderAddLine failed with runtime.ErrSessionLost: start the order again",
		"  server: logins=2 calls=4",
	)
}
