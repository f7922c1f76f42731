package runtime

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

type invMsgOut struct {
	XMLName xml.Name `xml:"urn:test invalidateSessionsResponse"`
	Results []struct {
		Success bool   `xml:"urn:test success"`
		Code    string `xml:"urn:test statusCode"`
		Message string `xml:"urn:test message"`
	} `xml:"urn:test result"`
}

// The ids of a bulk invalidation are session tokens: neither a fault that
// quotes the batch nor a per-id result that quotes its id carries them.
func TestRedactInvalidateAnswers(t *testing.T) {
	noLeaks(t)
	const token = "00D5g000004Xk2a!AQcAQH0dMHZfz972Szmpk"
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		switch q.body.XMLName.Local {
		case "login":
			writeSOAP(w, 200, "", loginBody(token, ""))
			return
		case "invalidateSessions":
		default:
			writeSOAP(w, 200, "", echoBody("ok", ""))
			return
		}
		var ids []string
		for _, n := range q.body.Nodes {
			ids = append(ids, n.Text)
		}
		if strings.HasPrefix(ids[0], "fault-") {
			writeFault11(w, "sf:INVALID_ID", "cannot invalidate "+strings.Join(ids, ", "))
			return
		}
		var b strings.Builder
		b.WriteString(`<t:invalidateSessionsResponse xmlns:t="urn:test">`)
		for _, id := range ids {
			fmt.Fprintf(&b, `<t:result><t:success>false</t:success><t:statusCode>INVALID_SESSION_ID</t:statusCode><t:message>no session %s</t:message></t:result>`, id)
		}
		b.WriteString(`</t:invalidateSessionsResponse>`)
		writeSOAP(w, 200, "", b.String())
	})
	p := sfTestProfile()
	p.Invalidate = &impl.Invalidate{
		Operation:   &impl.Operation{Name: "invalidateSessions", Action: "invalidate", SOAP: impl.SOAP11},
		Request:     func(ids []string) any { return &invIn{IDs: ids} },
		NewResponse: func() any { return new(invMsgOut) },
		Results: func(r any) []error {
			o := r.(*invMsgOut)
			out := make([]error, len(o.Results))
			for i, x := range o.Results {
				if !x.Success {
					out[i] = &InvalidateError{Code: x.Code, Message: x.Message}
				}
			}
			return out
		},
	}
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL, Profile: p}, WithCredentials(Password("alice", "pw-sf-1234")))
	for _, ids := range [][]string{
		{"fault-00D5g0000AAAAbbbbCCCC", "00D5g0000DDDDeeeeFFFF"},
		{"00D5g0000GGGGhhhhIIII", "00D5g0000JJJJkkkkLLLL"},
	} {
		res, err := c.InvalidateSessions(t.Context(), ids)
		var all []string
		if err != nil {
			all = append(all, err.Error())
		}
		for _, r := range res {
			if r != nil {
				all = append(all, r.Error())
			}
		}
		out := strings.Join(all, "\n")
		if leaks := leakForms(out, ids...); len(leaks) > 0 {
			t.Errorf("errors carry the ids %v:\n%s", leaks, out)
		}
		if !strings.Contains(out, redacted) {
			t.Errorf("the echo was not seen: %q", out)
		}
	}
}
