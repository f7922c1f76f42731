package runtime

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
)

// errReplayRefused is what a transport gets when it asks for the request
// body again after it read some of it.
var errReplayRefused = errors.New("runtime: the HTTP transport wanted to send the request again after part of it had been sent; only the runtime resends, and not a request the server may have received")

// noReplay is the RoundTripper under every client the runtime sends with:
// only the runtime decides what is resent.
//
// net/http resends a request by itself when it can fetch the body again
// (Request.GetBody). For HTTP/2 that includes a stream the server reset
// with PROTOCOL_ERROR after it read the whole request, on a new connection
// each time, without limit until the ctx ends; for HTTP/1 a POST carrying
// an Idempotency-Key after it was written. send therefore gives each
// request a GetBody of its own (sendState.getBody) that, during a round
// trip through this transport, works only while the request's headers
// have not been written (httptrace's WroteHeaders): before that not a byte
// of the request left this process and the server cannot have processed
// it (an HTTP/2 connection found unusable before the stream started);
// after it, the transport's resend fails with errReplayRefused. Between
// round trips the body is handed out freely: that is http.Client
// following a 307/308 redirect, the server's answer that the call belongs
// elsewhere (guardRedirects keeps it on the same host).
//
// The body itself is left as a plain in-memory reader: net/http writes
// the headers and an in-memory body in one segment only for the body types
// it knows, and a wrapper around the body cost every call a second write
// and a second read on the server (about 25 µs on loopback).
type noReplay struct{ rt http.RoundTripper }

func (n noReplay) RoundTrip(req *http.Request) (*http.Response, error) {
	st, _ := req.Context().Value(sendStateKey{}).(*sendState)
	if st == nil {
		if req.GetBody == nil {
			// Without GetBody net/http resends only a body it never read.
			return n.rt.RoundTrip(req)
		}
		// Not sent by send (no way to tell what was written): no resend.
		r := *req
		r.GetBody = nil
		resp, err := n.rt.RoundTrip(&r)
		if resp != nil {
			resp.Request = req
		}
		return resp, err
	}
	st.hop.Store(st.wrote.Load() + 1)
	defer st.hop.Store(0)
	return n.rt.RoundTrip(req)
}

// CloseIdleConnections reaches the wrapped transport (http.Client's
// CloseIdleConnections looks for this method).
func (n noReplay) CloseIdleConnections() {
	if c, ok := n.rt.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// sendStateKey carries a request's *sendState in its ctx.
type sendStateKey struct{}

// sendState is one attempt of send: its body, and what the transport did
// with its request, as httptrace reports it. The trace lives in it so that
// an attempt allocates once for all of it.
type sendState struct {
	trace     httptrace.ClientTrace
	body      []byte
	connected atomic.Bool  // a connection was obtained (GotConn)
	wrote     atomic.Int32 // times the request headers were written
	// hop is 1 + wrote at the start of the round trip through noReplay
	// under way, 0 between round trips.
	hop atomic.Int32
}

func newSendState(body []byte) *sendState {
	st := &sendState{body: body}
	st.trace.GotConn = st.gotConn
	st.trace.WroteHeaders = st.wroteHeaders
	return st
}

func (st *sendState) gotConn(httptrace.GotConnInfo) { st.connected.Store(true) }
func (st *sendState) wroteHeaders()                 { st.wrote.Add(1) }

// getBody is the request's GetBody: the body again, unless the round trip
// under way already wrote request headers.
func (st *sendState) getBody() (io.ReadCloser, error) {
	if h := st.hop.Load(); h != 0 && st.wrote.Load() != h-1 {
		return nil, errReplayRefused
	}
	return io.NopCloser(bytes.NewReader(st.body)), nil
}
