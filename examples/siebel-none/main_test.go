package main

import (
	"testing"

	"github.com/wsdlsess/wsdlsess/examples/internal/show"
)

func TestExample(t *testing.T) {
	show.Run(t, run,
		"  server: logins=3 logouts=3 calls=3 live-sessions=0",
	)
}
