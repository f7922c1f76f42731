package runtime

import (
	"errors"
	"io"
	"net/http"
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
// it was written. The transport is therefore given a copy of the request
// whose body can be fetched again only while not a byte of it has been
// read: then nothing of it left this process and the server cannot have
// processed the call (HTTP/2 "connection unusable" before the stream
// started, a connection lost before the first write). Once the body was
// read, the transport's resend fails with errReplayRefused.
//
// The caller's request keeps its own GetBody: http.Client uses it to
// follow a 307/308 redirect, the server's answer that the call belongs
// elsewhere (guardRedirects keeps it on the same host).
type noReplay struct{ rt http.RoundTripper }

func (n noReplay) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody || req.GetBody == nil {
		// Without GetBody net/http resends only a body it never read.
		return n.rt.RoundTrip(req)
	}
	g := &bodyGate{get: req.GetBody}
	r := *req
	r.Body = &readBody{ReadCloser: req.Body, read: &g.read}
	r.GetBody = g.again
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

// bodyGate hands out copies of one request body while none was read.
type bodyGate struct {
	get  func() (io.ReadCloser, error)
	read atomic.Bool
}

func (g *bodyGate) again() (io.ReadCloser, error) {
	if g.read.Load() {
		return nil, errReplayRefused
	}
	b, err := g.get()
	if err != nil {
		return nil, err
	}
	return &readBody{ReadCloser: b, read: &g.read}, nil
}

// readBody records that the transport read from the body. It has only
// Read and Close, so io.Copy cannot bypass Read through a WriterTo.
type readBody struct {
	io.ReadCloser
	read *atomic.Bool
}

func (b *readBody) Read(p []byte) (int, error) {
	b.read.Store(true)
	return b.ReadCloser.Read(p)
}
