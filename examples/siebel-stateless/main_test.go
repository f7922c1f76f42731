package main

import (
	"testing"

	"github.com/wsdlsess/wsdlsess/examples/internal/show"
)

func TestExample(t *testing.T) {
	show.Run(t, run,
		"  server: logins=4 calls=40 stale-tokens=0 protocol-violations=0",
		"  server: logins=5 calls=41 rejected=0",
	)
}
