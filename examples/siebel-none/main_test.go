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
		"  server: logins=3 logouts=3 calls=3 live-sessions=0",
	)
}
