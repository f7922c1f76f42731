package runtime

import (
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
// (Request.GetBody, which NewRequest sets for a *bytes.Reader). For HTTP/2
// that includes a stream the server reset with PROTOCOL_ERROR after it
// read the whole request, on a new connection each time, without limit
// until the ctx ends; for HTTP/1 a POST carrying an Idempotency-Key after
// it was written. The transport is therefore given a GetBody that works
// only while the request's headers have not been written on this hop
// (httptrace's WroteHeaders, counted by send): before that not a byte of
// the request left this process and the server cannot have processed it
// (an HTTP/2 connection found unusable before the stream started); after
// it, the transport's resend fails with errReplayRefused.
//
// The body itself is left as NewRequest made it: net/http writes the
// headers and an in-memory body in one segment only for the body types it
// knows, and a wrapper around the body cost every call a second write and
// a second read on the server (about 25 µs on loopback).
//
// The caller's request keeps its own GetBody: http.Client uses it to
// follow a 307/308 redirect, the server's answer that the call belongs
// elsewhere (guardRedirects keeps it on the same host).
type noReplay struct{ rt http.RoundTripper }

func (n noReplay) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.GetBody == nil {
		// Without GetBody net/http resends only a body it never read.
		return n.rt.RoundTrip(req)
	}
	r := *req
	st, _ := req.Context().Value(sendStateKey{}).(*sendState)
	if st == nil {
		// Not sent by send (no way to tell what was written): no resend.
		r.GetBody = nil
	} else {
		r.GetBody = st.gate(req.GetBody)
	}
	resp, err := n.rt.RoundTrip(&r)
	if resp != nil {
		resp.Request = req
	}
	return resp, err
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

// sendState is what the transport did with one call's request, as
// httptrace reports it.
type sendState struct {
	connected atomic.Bool  // a connection was obtained (GotConn)
	wrote     atomic.Int32 // times the request headers were written
}

func (st *sendState) gotConn(httptrace.GotConnInfo) { st.connected.Store(true) }
func (st *sendState) wroteHeaders()                 { st.wrote.Add(1) }

// gate returns a GetBody that hands out the body while no request headers
// were written since it was made (this hop of http.Client), never after.
func (st *sendState) gate(get func() (io.ReadCloser, error)) func() (io.ReadCloser, error) {
	start := st.wrote.Load()
	return func() (io.ReadCloser, error) {
		if st.wrote.Load() != start {
			return nil, errReplayRefused
		}
		return get()
	}
}
