package main

import (
	"testing"

	"github.com/wsdlsess/wsdlsess/examples/internal/show"
)

func TestExample(t *testing.T) {
	show.Run(t, run,
		"  server: logins=1 calls=3",
		"  OrderAddLine failed with runtime.ErrSessionLost: start the order again",
		"  server: logins=2 calls=4",
	)
}
