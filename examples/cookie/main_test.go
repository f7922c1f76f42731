package main

import (
	"testing"

	"github.com/wsdlsess/wsdlsess/examples/internal/show"
)

func TestExample(t *testing.T) {
	show.Run(t, run,
		"  server: logins=1 calls=5 auth-with-cookie=0",
		"  server: logins=2 calls=6 duplicates=0",
	)
}
