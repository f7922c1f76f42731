package runtime

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// A request-response call whose answer has no response element delivered
// no output: it is an error (never a zero *Out and nil), one that says the
// server may have processed the call. A one-way operation accepts the same
// answers as its acknowledgement.
func TestEmptyAnswerIsAnError(t *testing.T) {
	env := func(ns, inner string) string {
		return fmt.Sprintf(`<?xml version="1.0"?><s:Envelope xmlns:s="%s">%s</s:Envelope>`, ns, inner)
	}
	cases := []struct {
		name, ct string
		status   int
		body     string
	}{
		{"200 empty, no content type", "", 200, ""},
		{"200 empty text/xml", "text/xml", 200, ""},
		{"202 empty", "", 202, ""},
		{"204", "", 204, ""},
		{"200 whitespace", "text/xml", 200, " \r\n\t "},
		{"empty Body", "text/xml", 200, env(nsSOAP11, "<s:Body/>")},
		{"Body of whitespace", "text/xml", 200, env(nsSOAP11, "<s:Body>\n  </s:Body>")},
		{"Body of a comment and text", "text/xml", 200, env(nsSOAP11, "<s:Body><!-- nothing -->text</s:Body>")},
		{"header and empty Body", "text/xml", 200, env(nsSOAP11, `<s:Header><h:X xmlns:h="urn:h">1</h:X></s:Header><s:Body></s:Body>`)},
		{"SOAP 1.2 empty Body", "application/soap+xml", 200, env(nsSOAP12, "<s:Body/>")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := server(t, func(w http.ResponseWriter, q *soapReq) {
				if tc.ct != "" {
					w.Header().Set("Content-Type", tc.ct)
				}
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			})
			c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL})
			op := opEcho
			if tc.ct == "application/soap+xml" {
				op = opEcho12
			}
			var out echoOut
			err := c.Invoke(t.Context(), op, &echoIn{}, &out)
			var he *HTTPError
			if !errors.As(err, &he) || he.StatusCode != tc.status || errors.Is(err, ErrNotSent) ||
				!containsAll(err.Error(), "Echo", "without a response element", "may or may not have been processed") {
				t.Errorf("want an HTTPError saying there was no response element, got %v", err)
			}
			oneWay := &impl.Operation{Name: "Notify", SOAP: op.SOAP, OneWay: true}
			if err := c.Invoke(t.Context(), oneWay, &echoIn{}, nil); err != nil {
				t.Errorf("one-way operation: %v", err)
			}
		})
	}
}
