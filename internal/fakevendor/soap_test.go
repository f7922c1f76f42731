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

// FuzzParseTree: the fakes parse every request with parseTree, so a hostile
// request must give an error or a tree no deeper than maxDepth whose every
// element has a name; never a panic.
func FuzzParseTree(f *testing.F) {
	f.Add(envelope(`<h xmlns="urn:x">v</h>`, `<op xmlns="urn:y"><a>1</a></op>`))
	f.Add(envelope(`<SessionToken xmlns="http://siebel.com/webservices">t</SessionToken>`, `<q xmlns="urn:y" a="1" b="2"/>`))
	f.Add(`<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><x/></e:Body></e:Envelope>`)
	f.Add(strings.Repeat("<a>", maxDepth) + strings.Repeat("</a>", maxDepth))
	f.Add("<a><b></a>")
	f.Add(`<?xml version="1.0"?><!DOCTYPE x><x/>`)
	f.Fuzz(func(t *testing.T, doc string) {
		n, err := parseTree(strings.NewReader(doc))
		if err != nil {
			return
		}
		if n == nil {
			t.Fatal("nil tree without error")
		}
		var walk func(n *node, depth int)
		walk = func(n *node, depth int) {
			if depth > maxDepth {
				t.Fatalf("tree deeper than maxDepth %d", maxDepth)
			}
			if n.Name.Local == "" {
				t.Fatal("element without a name")
			}
			for _, c := range n.Children {
				walk(c, depth+1)
			}
		}
		walk(n, 1)
		_ = n.child("*", "Body").child("*", "x").text()
	})
}
