package e2e

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	ledger "github.com/wsdlsess/wsdlsess/golden/multi-part"
	"github.com/wsdlsess/wsdlsess/internal/scenario"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// ledgerRequest is what the ledger server read from one request: the
// Header and Body children.
type ledgerRequest struct {
	Header, Body []ledgerNode
}

type ledgerNode struct {
	XMLName xml.Name
	Inner   string `xml:",innerxml"`
}

// ledgerNodes reads the children of Header and Body of an envelope.
func ledgerNodes(data []byte) (ledgerRequest, error) {
	var env struct {
		Header struct {
			Nodes []ledgerNode `xml:",any"`
		} `xml:"Header"`
		Body struct {
			Nodes []ledgerNode `xml:",any"`
		} `xml:"Body"`
	}
	err := xml.Unmarshal(data, &env)
	return ledgerRequest{Header: env.Header.Nodes, Body: env.Body.Nodes}, err
}

func names(ns []ledgerNode) []string {
	var out []string
	for _, n := range ns {
		out = append(out, "{"+n.XMLName.Space+"}"+n.XMLName.Local)
	}
	return out
}

// A document operation whose messages have several body parts, and header
// parts declared with type=, through the generated client: the request
// Body holds the parts in order, the header elements are named after the
// parts in the soap:header namespace, and the response parts and header
// come back typed.
func TestMultiPartBodyAndTypedHeaderParts(t *testing.T) {
	h := scenario.New(t)
	var mu sync.Mutex
	var got ledgerRequest
	answer := `<s:Header><h:ServerTime xmlns:h="urn:example:ledger:headers">2026-03-01T10:00:00Z</h:ServerTime></s:Header><s:Body>` +
		`<l:Receipt xmlns:l="urn:example:ledger"><l:id>R-17</l:id><l:booked>2026-03-01T09:59:59Z</l:booked></l:Receipt>` +
		`<l:Unknown xmlns:l="urn:example:ledger">skipped</l:Unknown>` +
		`<Balance xmlns="urn:example:ledger">1234.50</Balance></s:Body>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, _ := io.ReadAll(r.Body)
		req, err := ledgerNodes(data)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		mu.Lock()
		got = req
		a := answer
		mu.Unlock()
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		io.WriteString(w, `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">`+a+`</s:Envelope>`)
	}))
	t.Cleanup(srv.Close)
	c, err := ledger.NewClient(append(h.Options(), runtime.WithEndpoint(srv.URL))...)
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(c)
	var st ledger.ServerTime
	out, err := c.Transfer(context.Background(), &ledger.TransferInput{
		From:   &ledger.From{Iban: "DE01"},
		To:     &ledger.To{Iban: "FR02", Holder: new("Ann")},
		Amount: &ledger.Amount{Value: "10.00"},
		Memo:   "rent",
	}, ledger.WithAuth(&ledger.Auth{ApiKey: "k-1"}), ledger.WithTraceId(&ledger.TraceId{Value: "t-9"}), ledger.ReadServerTime(&st))
	if err != nil {
		t.Fatal(h.Err(err))
	}
	mu.Lock()
	req := got
	mu.Unlock()
	if want := "{urn:example:ledger}From {urn:example:ledger}To {urn:example:ledger}Amount {}memo"; strings.Join(names(req.Body), " ") != want {
		t.Errorf("request Body children %v, want %s", names(req.Body), want)
	}
	if len(req.Body) == 4 && (!strings.Contains(req.Body[1].Inner, "FR02") || !strings.Contains(req.Body[1].Inner, "Ann") || req.Body[2].Inner != "10.00" || req.Body[3].Inner != "rent") {
		t.Errorf("request Body %+v", req.Body)
	}
	if want := "{urn:example:ledger:headers}Auth {urn:example:ledger:headers}TraceId"; strings.Join(names(req.Header), " ") != want {
		t.Errorf("request headers %v, want %s", names(req.Header), want)
	}
	if len(req.Header) == 2 && (!strings.Contains(req.Header[0].Inner, `apiKey xmlns="urn:example:ledger">k-1<`) || req.Header[1].Inner != "t-9") {
		t.Errorf("request headers %+v", req.Header)
	}
	if out.Receipt == nil || out.Receipt.Id != "R-17" || out.Receipt.Booked != "2026-03-01T09:59:59Z" {
		t.Errorf("receipt %+v", out.Receipt)
	}
	if out.Balance == nil || out.Balance.Value != "1234.50" {
		t.Errorf("balance %+v", out.Balance)
	}
	if st.Value != "2026-03-01T10:00:00Z" {
		t.Errorf("ServerTime header %q", st.Value)
	}

	// A part left nil is not sent; a missing response part stays nil.
	mu.Lock()
	answer = `<s:Body><Balance xmlns="urn:example:ledger">7</Balance></s:Body>`
	mu.Unlock()
	out, err = c.Transfer(context.Background(), &ledger.TransferInput{From: &ledger.From{Iban: "DE01"}, Amount: &ledger.Amount{Value: "1"}})
	if err != nil {
		t.Fatal(h.Err(err))
	}
	mu.Lock()
	req = got
	mu.Unlock()
	if want := "{urn:example:ledger}From {urn:example:ledger}Amount {}memo"; strings.Join(names(req.Body), " ") != want {
		t.Errorf("request Body children %v, want %s", names(req.Body), want)
	}
	if out.Receipt != nil || out.Balance == nil || out.Balance.Value != "7" {
		t.Errorf("out %+v", out)
	}
}
