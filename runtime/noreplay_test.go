package runtime

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// idempotencyKey is a user's transport that marks every request
// idempotent, as some API gateways ask: net/http then resends a POST whose
// connection closed after it was written.
type idempotencyKey struct{ rt http.RoundTripper }

func (k idempotencyKey) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Idempotency-Key", "k-1")
	return k.rt.RoundTrip(r)
}

// An HTTP/1 keep-alive connection the server closes after reading the
// second request whole: net/http would resend that POST (it carries an
// Idempotency-Key, and the transport can fetch the body again). The
// runtime's transport refuses the body, so the server receives it once.
func TestHTTP1IdempotencyKeyNotResentAfterWrite(t *testing.T) {
	answer := func(c net.Conn) {
		env := fmt.Sprintf(`<s:Envelope xmlns:s="%s"><s:Body>%s</s:Body></s:Envelope>`, nsSOAP11, echoBody("ok", ""))
		fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n\r\n%s", len(env), env)
	}
	srv := newRawServer(t, func(s *rawServer, c net.Conn) {
		br := bufio.NewReader(c)
		if s.readRequest(br) != nil {
			return
		}
		answer(c)
		if s.accepts.Load() > 1 {
			return // a resend's connection: answered, so the resend would succeed
		}
		_ = s.readRequest(br) // the second call, read whole, then closed unanswered
	})
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.url()}, WithHTTPClient(&http.Client{Transport: idempotencyKey{tr}}))
	if err := c.Invoke(t.Context(), opEcho, &echoIn{}, &echoOut{}); err != nil {
		t.Fatal(err)
	}
	err := c.Invoke(t.Context(), opEcho, &echoIn{}, &echoOut{})
	if err == nil || errors.Is(err, ErrNotSent) || !containsAll(err.Error(), "Echo", "not resent") {
		t.Errorf("want a may-have-processed error, got %v", err)
	}
	if r := srv.requests.Load(); r != 2 {
		t.Errorf("server received %d requests over %d connections: want 2 (the second call once)", r, srv.accepts.Load())
	}
}

// The body is handed out between round trips (a redirect) and during one
// while no request headers were written on it (nothing left this
// process), never after.
func TestBodyGate(t *testing.T) {
	st := newSendState([]byte("envelope"))
	st.wroteHeaders() // an earlier hop wrote its request
	b, err := st.getBody()
	if err != nil {
		t.Fatalf("body for a redirect refused: %v", err)
	}
	if got, _ := io.ReadAll(b); string(got) != "envelope" {
		t.Fatalf("body %q", got)
	}
	st.hop.Store(st.wrote.Load() + 1) // noReplay starts a round trip
	if b2, err := st.getBody(); err != nil || b2 == nil {
		t.Fatalf("refused before this round trip wrote anything: %v", err)
	}
	st.wroteHeaders()
	if _, err := st.getBody(); !errors.Is(err, errReplayRefused) {
		t.Fatalf("body handed out again after the headers were written: %v", err)
	}
	st.hop.Store(0) // the round trip returned: a redirect may follow
	if _, err := st.getBody(); err != nil {
		t.Fatalf("body for a redirect after a round trip refused: %v", err)
	}
}
