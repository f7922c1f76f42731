package runtime

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"time"
)

// ErrNotSent is wrapped by the error of a call whose request provably
// never reached the server: no connection was ever obtained for it (the
// dial was refused or failed, or the ctx ended first). The server did not
// process such a call, so the caller may send it again. Errors that do
// not wrap ErrNotSent after a connection was made mean the call may or may
// not have been processed.
var ErrNotSent = errors.New("request not sent")

// unsentResendPause is how long the one resend of a provably unsent request
// waits: a refused connection is answered at once, and resending in the
// same microsecond would mostly meet the same closed port, while a server
// restarting or a load balancer failing over usually needs a moment.
var unsentResendPause = 100 * time.Millisecond

// send posts body to x.url and returns the response, with the resend rule
// for requests that never left this process.
//
// What "provably unsent" means here, and why only that is resent: a SOAP
// call is a POST the server may act on (create an order, send a mail), and
// once any byte of it may have reached the server, a failure (reset, EOF,
// timeout) cannot tell "rejected before processing" from "processed, then
// the answer was lost". So a request is resent (once, after
// unsentResendPause) only when no connection was ever obtained for it
// (httptrace's GotConn never fired) and the error is a dial failure that is
// not a timeout (connection refused, host unreachable, DNS failure):
// without a connection there is nowhere a byte could have gone. The GotConn
// check also guards against a RoundTripper (WithHTTPClient) that retries
// on its own: if any of its attempts got a connection, nothing is resent.
// A dial that timed out, or a ctx or http.Client.Timeout that ended, is not
// resent (the caller's time budget is spent) but is reported as ErrNotSent.
//
// What net/http's Transport may still resend by itself: only a request
// whose headers it had not yet written (noReplay refuses it the body after
// that), which is a request the server cannot have processed: an HTTP/2
// connection found unusable before the stream started, or an HTTP/1
// request whose body net/http never read. It does not resend after a stream reset
// (PROTOCOL_ERROR, REFUSED_STREAM, ...), a GOAWAY or a closed keep-alive
// connection once the body was sent, whatever headers (Idempotency-Key)
// the request carries. Fresh connections are never retried by net/http.
func (e *engine) send(ctx context.Context, x *exchange, body []byte, contentType, action string) (*http.Response, *http.Request, error) {
	for attempt := 0; ; attempt++ {
		st := newSendState(body)
		tctx := context.WithValue(httptrace.WithClientTrace(ctx, &st.trace), sendStateKey{}, st)
		req, err := http.NewRequestWithContext(tctx, http.MethodPost, x.url, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("runtime: %s: bad endpoint: %w", x.op.Name, redactURL(err))
		}
		// The body as NewRequest would set it for a *bytes.Reader, with
		// the GetBody that refuses a resend after a write (noReplay).
		req.Body, req.GetBody, req.ContentLength = io.NopCloser(bytes.NewReader(body)), st.getBody, int64(len(body))
		x.prepare(req, contentType, action)
		resp, err := e.hc.Do(req)
		if err == nil {
			return resp, req, nil
		}
		sentNothing := !st.connected.Load()
		if ctxErr := causeOf(ctx); ctxErr != nil {
			if sentNothing {
				return nil, nil, &notSentError{op: x.op.Name, tries: attempt + 1, err: ctxErr}
			}
			return nil, nil, fmt.Errorf("runtime: %s: %w (%s)", x.op.Name, ctxErr, mayHaveProcessed)
		}
		err = e.clientTimeout(redactURL(err))
		if !sentNothing {
			return nil, nil, fmt.Errorf("runtime: %s: %w (%s)", x.op.Name, err, mayHaveProcessed)
		}
		if attempt == 0 && resendable(err) {
			if !pause(ctx, unsentResendPause) {
				return nil, nil, &notSentError{op: x.op.Name, tries: 1, err: errors.Join(err, ctx.Err())}
			}
			e.debug(ctx, "wsdlsess resend: no connection, the request was never sent", "op", x.op.Name, "err", err.Error())
			continue
		}
		return nil, nil, &notSentError{op: x.op.Name, tries: attempt + 1, err: err}
	}
}

// clientTimeout names http.Client.Timeout as the cause of a deadline the
// caller's ctx did not set. http.Client says so itself only for the
// transports it knows, and its transport is noReplay.
func (e *engine) clientTimeout(err error) error {
	if e.hc.Timeout <= 0 || !errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Client.Timeout") {
		return err
	}
	return &clientTimeoutError{d: e.hc.Timeout, err: err}
}

type clientTimeoutError struct {
	d   time.Duration
	err error
}

func (e *clientTimeoutError) Error() string {
	return fmt.Sprintf("%v (Client.Timeout of %s exceeded)", e.err, e.d)
}
func (e *clientTimeoutError) Unwrap() error { return e.err }
func (e *clientTimeoutError) Timeout() bool { return true }

// mayHaveProcessed ends every transport error after a connection was made.
const mayHaveProcessed = "the request may have reached the server, so it was not resent: the call may or may not have been processed"

// resendable reports a dial failure that is not a timeout: the request
// found no connection and the caller's time is not up.
func resendable(err error) bool {
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "dial" {
		return false
	}
	var te interface{ Timeout() bool }
	if errors.As(err, &te) && te.Timeout() {
		return false
	}
	return !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled)
}

// pause waits d unless ctx ends first; it reports whether to go on.
func pause(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// notSentError is a call whose request never reached the server.
type notSentError struct {
	op    string
	tries int
	err   error
}

func (e *notSentError) Error() string {
	how := "before a connection was made"
	if e.tries > 1 {
		how = fmt.Sprintf("before a connection was made, %d tries", e.tries)
	}
	return fmt.Sprintf("runtime: %s: request not sent (%s; the server did not process the call): %v", e.op, how, e.err)
}

func (e *notSentError) Unwrap() []error { return []error{ErrNotSent, e.err} }

// prepare sets the SOAP headers, the extra headers and the session cookie
// on one attempt's request.
func (x *exchange) prepare(req *http.Request, ct, action string) {
	req.Header.Set("Content-Type", ct)
	if action != "" {
		req.Header.Set("SOAPAction", action)
	}
	req.Header.Set("Accept", "text/xml, application/soap+xml")
	for k, v := range x.headers {
		req.Header[k] = v
	}
	hasCookie := false
	if x.jar != nil {
		for _, c := range x.jar.Cookies(req.URL) {
			req.AddCookie(c)
			hasCookie = hasCookie || c.Name == x.cookieName
		}
	}
	if x.cookieName != "" && !hasCookie && x.cookieValue != "" {
		req.AddCookie(&http.Cookie{Name: x.cookieName, Value: x.cookieValue})
	}
}
