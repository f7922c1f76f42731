package runtime

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

type invIn struct {
	XMLName xml.Name `xml:"urn:test invalidateSessions"`
	IDs     []string `xml:"urn:test sessionIds"`
}

type invOut struct {
	XMLName xml.Name `xml:"urn:test invalidateSessionsResponse"`
	Results []struct {
		Success bool   `xml:"urn:test success"`
		Code    string `xml:"urn:test statusCode"`
	} `xml:"urn:test result"`
}

func TestInvalidateSessionsBatches(t *testing.T) {
	s := newSFServer(t)
	var mu sync.Mutex
	var batches []int
	inner := s.Config.Handler
	s.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("SOAPAction"), "invalidate") {
			inner.ServeHTTP(w, r)
			return
		}
		q, err := parseSOAP(r)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		var body strings.Builder
		body.WriteString(`<t:invalidateSessionsResponse xmlns:t="urn:test">`)
		n := 0
		for _, id := range q.body.Nodes {
			n++
			s.mu.Lock()
			ok := s.live[id.Text]
			delete(s.live, id.Text)
			s.mu.Unlock()
			if ok {
				body.WriteString(`<t:result><t:success>true</t:success></t:result>`)
			} else {
				body.WriteString(`<t:result><t:success>false</t:success><t:statusCode>INVALID_SESSION_ID</t:statusCode></t:result>`)
			}
		}
		body.WriteString(`</t:invalidateSessionsResponse>`)
		mu.Lock()
		batches = append(batches, n)
		mu.Unlock()
		writeSOAP(w, 200, "", body.String())
	})
	p := sfTestProfile()
	p.Invalidate = &impl.Invalidate{
		Operation:   &impl.Operation{Name: "invalidateSessions", Action: "invalidate", SOAP: impl.SOAP11},
		MaxBatch:    200,
		Request:     func(ids []string) any { return &invIn{IDs: ids} },
		NewResponse: func() any { return new(invOut) },
		Results: func(r any) []error {
			o := r.(*invOut)
			out := make([]error, len(o.Results))
			for i, x := range o.Results {
				if !x.Success {
					out[i] = errors.New("invalidateSessions: " + x.Code)
				}
			}
			return out
		},
	}
	var logs bytes.Buffer
	var logMu sync.Mutex
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: s.URL, Profile: p}, WithCredentials(Password("alice", s.password)),
		WithLogger(slog.New(slog.NewTextHandler(lockedWriter{&logMu, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	if _, err := echo(c, t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	own := c.pool.slots[0].cur.token
	ids := []string{own}
	for i := range 449 {
		ids = append(ids, fmt.Sprint("unknown-", i))
	}
	res, err := c.InvalidateSessions(t.Context(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 450 || res[0] != nil || res[1] == nil {
		t.Fatalf("results: %d, first %v, second %v", len(res), res[0], res[1])
	}
	if fmt.Sprint(batches) != "[200 200 50]" {
		t.Errorf("batches %v", batches)
	}
	// Our own session was ended: the next call logs in again without a
	// failed round trip.
	before := s.rejected.Load()
	if _, err := echo(c, t.Context(), "b"); err != nil {
		t.Fatal(err)
	}
	if s.rejected.Load() != before || s.logins.Load() != 2 {
		t.Errorf("rejected %d logins %d", s.rejected.Load()-before, s.logins.Load())
	}
	logMu.Lock()
	defer logMu.Unlock()
	for _, secret := range []string{own, s.password, "TOKEN-0002"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("secret %q… in logs", secret[:4])
		}
	}
	if !strings.Contains(logs.String(), shortHash(own)) {
		t.Errorf("logs do not name the session by its hash:\n%s", logs.String())
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
