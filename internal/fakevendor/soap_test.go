package fakevendor

import (
	"strings"
	"testing"
)

// Hostile or broken requests are refused with a fault, never a panic.
func TestReadSOAPRejectsBadInput(t *testing.T) {
	sf := newSF(t)
	deep := strings.Repeat("<a>", maxDepth+1) + strings.Repeat("</a>", maxDepth+1)
	cases := map[string]string{
		"not XML":        "hello",
		"truncated":      `<s:Envelope xmlns:s="` + NSSOAP11 + `"><s:Body><login>`,
		"two roots":      envelope("", "<x/>") + "<y/>",
		"SOAP 1.2":       `<e:Envelope xmlns:e="` + NSSOAP12 + `"><e:Body><x/></e:Body></e:Envelope>`,
		"no body":        `<s:Envelope xmlns:s="` + NSSOAP11 + `"/>`,
		"empty body":     envelope("", ""),
		"two operations": envelope("", "<x/><y/>"),
		"too deep":       envelope("", deep),
		"too large":      envelope("", "<x>"+strings.Repeat("a", maxRequestBytes)+"</x>"),
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			before := sf.RejectedFor(ReasonBadEnvelope)
			r := post(t, nil, sf.URL(), body, nil)
			if r.status == 200 || sf.RejectedFor(ReasonBadEnvelope) != before+1 {
				t.Errorf("status %d, reasons %v", r.status, sf.Reasons())
			}
		})
	}
}

func FuzzParseTree(f *testing.F) {
	f.Add(envelope(`<h xmlns="urn:x">v</h>`, `<op xmlns="urn:y"><a>1</a></op>`))
	f.Add("<a><b></a>")
	f.Add(`<?xml version="1.0"?><!DOCTYPE x><x/>`)
	f.Fuzz(func(t *testing.T, doc string) {
		n, err := parseTree(strings.NewReader(doc))
		if err == nil && n == nil {
			t.Fatal("nil tree without error")
		}
		_ = n.child("*", "Body").child("*", "x").text()
	})
}
