package runtime

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

type sessionFaultDetail struct {
	XMLName xml.Name `xml:"urn:test SessionFault"`
	Message string   `xml:"urn:test message"`
	Items   []string `xml:"urn:test item"`
}

// A SOAP 1.2 fault that quotes the session id in every place a fault has
// text (Code, Subcodes, Reason, Node, Role, typed and raw Detail) reaches
// the caller with none of it: neither in Error() nor in any field.
func TestRedactFault12EveryField(t *testing.T) {
	noLeaks(t)
	const token = "00D5g000004Xk2a!AQcAQH0dMHZfz972Szmpk"
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		if q.body.XMLName.Local == "login" {
			writeSOAP(w, 200, "", loginBody(token, ""))
			return
		}
		w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
		w.WriteHeader(500)
		fmt.Fprintf(w, `<e:Envelope xmlns:e="%[1]s"><e:Body><e:Fault>
<e:Code><e:Value>e:Sender</e:Value><e:Subcode><e:Value xmlns:sf="urn:fault">sf:BAD_%[2]s</e:Value><e:Subcode><e:Value>sf:for-%[2]s</e:Value></e:Subcode></e:Subcode></e:Code>
<e:Reason><e:Text xml:lang="en">No such column on entity</e:Text></e:Reason>
<e:Node>https://node.example/%[2]s</e:Node>
<e:Role>urn:role:%[2]s</e:Role>
<e:Detail><t:SessionFault xmlns:t="urn:test"><t:message>session %[2]s refused</t:message><t:item>%[2]s</t:item></t:SessionFault></e:Detail>
</e:Fault></e:Body></e:Envelope>`, nsSOAP12, token)
	})
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL, Profile: sfTestProfile()}, WithCredentials(Password("alice", "pw-sf-1234")))
	op := &impl.Operation{Name: "Echo", Action: "urn:test#Echo", SOAP: impl.SOAP12,
		Faults: []impl.FaultType{impl.FaultTypeOf[sessionFaultDetail](nsT, "SessionFault")}}
	err := c.Invoke(t.Context(), op, &echoIn{Text: "hi"}, &echoOut{})
	f, ok := err.(*Fault)
	if !ok {
		t.Fatalf("want a *Fault, got %T %v", err, err)
	}
	d, ok := f.Detail.(*sessionFaultDetail)
	if !ok {
		t.Fatalf("typed detail not decoded: %T", f.Detail)
	}
	fields := map[string]string{
		"Error()":   f.Error(),
		"Code":      f.Code,
		"Subcodes":  strings.Join(f.Subcodes, " "),
		"String":    f.String,
		"Actor":     f.Actor,
		"Node":      f.Node,
		"DetailXML": string(f.DetailXML),
		"Detail":    d.Message + " " + strings.Join(d.Items, " "),
		"%+v":       fmt.Sprintf("%+v", f),
	}
	for name, v := range fields {
		if leaks := leakForms(v, token); len(leaks) > 0 {
			t.Errorf("%s carries the session id: %q", name, v)
		}
	}
	for name, v := range fields {
		if name != "Code" && name != "String" && !strings.Contains(v, redacted) {
			t.Errorf("%s has no %s mark, so the echo was not seen there: %q", name, redacted, v)
		}
	}
	if !strings.Contains(f.Error(), "sf:BAD_"+redacted) || !strings.Contains(f.Error(), "No such column") {
		t.Errorf("the rest of the fault is gone: %v", f)
	}
}
