package fakevendor

import (
	"encoding/xml"
	"io"
	"net/http"
	"strings"
	"testing"
)

// reply is a raw HTTP answer with its envelope parsed.
type reply struct {
	status int
	header http.Header
	body   string
	env    *node
}

// fault returns the faultcode and faultstring of a fault reply ("" if none).
func (r reply) fault() (code, str string) {
	f := r.env.child(NSSOAP11, "Body").child(NSSOAP11, "Fault")
	return f.child("", "faultcode").text(), f.child("", "faultstring").text()
}

// bodyElem returns the first body element of the reply.
func (r reply) bodyElem() *node {
	b := r.env.child(NSSOAP11, "Body")
	if b == nil || len(b.Children) == 0 {
		return nil
	}
	return b.Children[0]
}

// envelope wraps header and body XML fragments in a SOAP 1.1 envelope.
func envelope(header, body string) string {
	return `<?xml version="1.0"?><s:Envelope xmlns:s="` + NSSOAP11 + `"><s:Header>` + header +
		`</s:Header><s:Body>` + body + `</s:Body></s:Envelope>`
}

// post sends a hand-written envelope with hc (nil: a plain client) and
// parses the reply. edit may adjust the request (cookies, auth).
func post(t *testing.T, hc *http.Client, url, env string, edit func(*http.Request)) reply {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(env))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", `""`)
	if edit != nil {
		edit(req)
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := reply{status: resp.StatusCode, header: resp.Header, body: string(b)}
	if strings.Contains(resp.Header.Get("Content-Type"), "xml") {
		r.env, err = parseTree(strings.NewReader(r.body))
		if err != nil {
			t.Fatalf("reply is not XML: %v\n%s", err, r.body)
		}
	}
	return r
}

// noSecret fails if any secret occurs in text.
func noSecret(t *testing.T, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("secret (hash %s) leaked into %q", ShortHash(s), text)
		}
	}
}

func xmlName(space, local string) xml.Name { return xml.Name{Space: space, Local: local} }
