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
		"  server: logins=4 calls=40 stale-tokens=0 protocol-violations=0",
		"  server: logins=5 calls=41 rejected=0",
	)
}
