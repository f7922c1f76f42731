package main

import (
	"testing"

	"github.com/wsdlsess/wsdlsess/examples/internal/show"
)

func TestExample(t *testing.T) {
	show.Run(t, run,
		"  server: logins=1 calls=3",
		"  server: logins=2 calls=4",
		"  server: logouts=1",
	)
}
