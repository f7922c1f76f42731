package runtime

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	goruntime "runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// Network faults against real listeners. Every test counts, on the server
// side, what reached it, because the rule under test is about the server:
// a call it may have processed is never sent twice; a call it provably
// never received is sent again once.

// rawServer is a TCP listener whose connections are handled by a function:
// it can do what no well-behaved HTTP server does (close without reading,
// reset half-way, never answer).
type rawServer struct {
	l        net.Listener
	accepts  atomic.Int32
	requests atomic.Int32
	wg       sync.WaitGroup
}

func newRawServer(t *testing.T, handle func(s *rawServer, c net.Conn)) *rawServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &rawServer{l: l}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s.accepts.Add(1)
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer c.Close()
				handle(s, c)
			}()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		s.wg.Wait()
	})
	return s
}

func (s *rawServer) url() string { return "http://" + s.l.Addr().String() + "/soap" }

// readRequest reads one whole HTTP request (headers and body) and counts it.
func (s *rawServer) readRequest(br *bufio.Reader) error {
	req, err := http.ReadRequest(br)
	if err != nil {
		return err
	}
	if _, err := io.Copy(io.Discard, req.Body); err != nil {
		return err
	}
	s.requests.Add(1)
	return nil
}

// reset closes c with a TCP RST instead of a FIN.
func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	c.Close()
}

// dialCounter is a transport whose dials are counted (and, with route,
// redirected): the client side of "resent or not".
type dialCounter struct {
	dials, failed atomic.Int32
	route         func(n int32, addr string) string
}

func (d *dialCounter) client(timeout time.Duration) *http.Client {
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			n := d.dials.Add(1)
			if d.route != nil {
				addr = d.route(n, addr)
			}
			var nd net.Dialer
			c, err := nd.DialContext(ctx, network, addr)
			if err != nil {
				d.failed.Add(1)
			}
			return c, err
		},
		DisableCompression: true,
	}
	return &http.Client{Transport: tr, Timeout: timeout}
}

// deadAddr is a loopback address nothing listens on: dials to it are
// refused by the kernel.
func deadAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a := l.Addr().String()
	l.Close()
	return a
}

func echoServer(t *testing.T, requests *atomic.Int32) *httptest.Server {
	return server(t, func(w http.ResponseWriter, q *soapReq) {
		requests.Add(1)
		writeSOAP(w, 200, "", echoBody("ok", ""))
	})
}

// (a) Nothing listens: the dial is refused, so nothing was sent. The
// request is sent once more, then the call fails with ErrNotSent.
func TestRefusedConnectionResentOnceThenNotSentError(t *testing.T) {
	var d dialCounter
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: "http://" + deadAddr(t) + "/soap?Password=hunter2"}, WithHTTPClient(d.client(0)))
	err := c.Invoke(t.Context(), opEcho, &echoIn{Text: "x"}, &echoOut{})
	if !errors.Is(err, ErrNotSent) {
		t.Fatalf("want ErrNotSent, got %v", err)
	}
	if got := d.dials.Load(); got != 2 {
		t.Errorf("dialled %d times, want 2 (one resend)", got)
	}
	msg := err.Error()
	if !containsAll(msg, "Echo", "request not sent", "2 tries", "did not process", "connection refused") {
		t.Errorf("unclear error: %s", msg)
	}
	if strings.Contains(msg, "hunter2") {
		t.Errorf("error carries the endpoint's query: %s", msg)
	}
}

// (a) The restart race: the first dial is refused (a real ECONNREFUSED from
// a closed port), the resend reaches the server, which processes the call
// exactly once.
func TestRefusedConnectionResendReachesRestartedServer(t *testing.T) {
	var requests atomic.Int32
	srv := echoServer(t, &requests)
	dead := deadAddr(t)
	d := dialCounter{route: func(n int32, addr string) string {
		if n == 1 {
			return dead
		}
		return addr
	}}
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL}, WithHTTPClient(d.client(0)))
	var out echoOut
	if err := c.Invoke(t.Context(), opEcho, &echoIn{Text: "x"}, &out); err != nil {
		t.Fatalf("the resend after a refused dial failed: %v", err)
	}
	if out.Text != "ok" || requests.Load() != 1 || d.dials.Load() != 2 {
		t.Errorf("out %q, server requests %d (want 1), dials %d (want 2)", out.Text, requests.Load(), d.dials.Load())
	}
}

// A login operation's request follows the same rule: refused once, then
// the login goes through and the call after it.
func TestRefusedLoginResent(t *testing.T) {
	var logins, calls atomic.Int32
	srv := server(t, func(w http.ResponseWriter, q *soapReq) {
		if q.body.XMLName.Local == "login" {
			logins.Add(1)
			writeSOAP(w, 200, "", loginBody("tok-1", ""))
			return
		}
		calls.Add(1)
		writeSOAP(w, 200, "", echoBody("ok", ""))
	})
	dead := deadAddr(t)
	d := dialCounter{route: func(n int32, addr string) string {
		if n == 1 {
			return dead
		}
		return addr
	}}
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL, Profile: sfTestProfile()}, WithCredentials(Password("u", "pw")), WithHTTPClient(d.client(0)))
	if err := c.Invoke(t.Context(), opEcho, &echoIn{Text: "x"}, &echoOut{}); err != nil {
		t.Fatal(err)
	}
	if logins.Load() != 1 || calls.Load() != 1 {
		t.Errorf("logins %d, calls %d; want 1 and 1", logins.Load(), calls.Load())
	}
}

// A ctx that ends before a connection exists: not resent (the caller's time
// is up), but reported as not sent.
func TestCanceledBeforeConnectNotSent(t *testing.T) {
	var d dialCounter
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: "http://" + deadAddr(t) + "/"}, WithHTTPClient(d.client(0)))
	err := c.Invoke(ctx, opEcho, &echoIn{}, &echoOut{})
	if !errors.Is(err, ErrNotSent) || !errors.Is(err, context.Canceled) {
		t.Fatalf("want ErrNotSent and context.Canceled, got %v", err)
	}
	if d.dials.Load() > 1 {
		t.Errorf("dialled %d times after the ctx ended", d.dials.Load())
	}
}

// Each fault after a connection was made. The server may have processed
// the call in every one of them, so none is resent: one connection, at
// most one request read, and an error that says so.
func TestFaultsAfterConnectNeverResent(t *testing.T) {
	halfResponse := "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 4000\r\n\r\n<s:Envelope xmlns:s=\"" + nsSOAP11 + "\"><s:Body>"
	cases := []struct {
		name string
		// wantRequests is what the server read: 0 when it never read.
		wantRequests int32
		handle       func(s *rawServer, c net.Conn)
		want         string
		// connectMayFail: the server's RST can reach the client before its
		// connect() completes; then the dial itself fails ("connect:
		// connection reset by peer"), no byte was written, and the request
		// is rightly sent once more.
		connectMayFail bool
	}{
		{
			// (b) Accepted and closed without reading. Not provably unsent:
			// the client's bytes went into the socket, and from the client
			// this cannot be told from a proxy that forwarded the call to a
			// backend and then died. net/http does not retry a fresh
			// connection either.
			name: "accept then close without reading", wantRequests: 0,
			handle: func(s *rawServer, c net.Conn) {},
			want:   "may have reached the server",
		},
		{
			name: "accept then reset without reading", wantRequests: 0,
			handle: func(s *rawServer, c net.Conn) { reset(c) },
			want:   "may have reached the server", connectMayFail: true,
		},
		{
			// The request was read (processed, for all the client knows),
			// then the connection reset before any answer byte.
			name: "read request then reset", wantRequests: 1,
			handle: func(s *rawServer, c net.Conn) {
				if s.readRequest(bufio.NewReader(c)) == nil {
					reset(c)
				}
			},
			want: "may have reached the server",
		},
		{
			// (c) Reset mid-response: status and half the body written.
			name: "reset mid-response", wantRequests: 1,
			handle: func(s *rawServer, c net.Conn) {
				if s.readRequest(bufio.NewReader(c)) != nil {
					return
				}
				_, _ = io.WriteString(c, halfResponse)
				reset(c)
			},
			want: "reading response",
		},
		{
			// Closed cleanly mid-response: a body shorter than its
			// Content-Length.
			name: "close mid-response", wantRequests: 1,
			handle: func(s *rawServer, c net.Conn) {
				if s.readRequest(bufio.NewReader(c)) != nil {
					return
				}
				_, _ = io.WriteString(c, halfResponse)
			},
			want: "reading response",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newRawServer(t, tc.handle)
			var d dialCounter
			c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.url()}, WithHTTPClient(d.client(0)))
			err := c.Invoke(t.Context(), opEcho, &echoIn{Text: "x"}, &echoOut{})
			if err == nil {
				t.Fatal("call succeeded")
			}
			srv.l.Close()
			srv.wg.Wait()
			dials, failed := d.dials.Load(), d.failed.Load()
			switch {
			case tc.connectMayFail && errors.Is(err, ErrNotSent):
				if !containsAll(err.Error(), "Echo", "request not sent", "connect") || failed != 2 {
					t.Errorf("not sent, but %d of %d dials failed: %v", failed, dials, err)
				}
			case errors.Is(err, ErrNotSent):
				t.Errorf("reported as not sent: %v", err)
			case !containsAll(err.Error(), "Echo", tc.want, "not resent"):
				t.Errorf("unclear error: %v", err)
			}
			if !tc.connectMayFail && failed > 0 {
				t.Errorf("%d dials failed", failed)
			}
			// A second dial only ever follows a failed one: nothing that got
			// a connection was sent again.
			if r := srv.requests.Load(); r != tc.wantRequests || dials != 1+min(failed, 1) {
				t.Errorf("server read %d requests, client dialled %d times (%d failed): want %d requests and one dial per failed dial plus one", r, dials, failed, tc.wantRequests)
			}
		})
	}
}

// closeSignal wraps a client connection to report when the transport
// closes it: after that the transport will not pick it again.
type closeSignal struct {
	net.Conn
	once   sync.Once
	closed chan struct{}
}

func (c *closeSignal) Close() error {
	c.once.Do(func() { close(c.closed) })
	return c.Conn.Close()
}

// (d) The server closes an idle keep-alive connection between two calls:
// the second call goes on a new connection, succeeds, and nothing is
// processed twice.
func TestKeepAliveClosedByServerBetweenCalls(t *testing.T) {
	var requests, conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		requests.Add(1)
		writeSOAP(w, 200, "", echoBody("ok", ""))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	clientConns := make(chan *closeSignal, 4)
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		var nd net.Dialer
		c, err := nd.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		cs := &closeSignal{Conn: c, closed: make(chan struct{})}
		clientConns <- cs
		return cs, nil
	}}
	t.Cleanup(tr.CloseIdleConnections)
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL}, WithHTTPClient(&http.Client{Transport: tr}))
	if err := c.Invoke(t.Context(), opEcho, &echoIn{}, &echoOut{}); err != nil {
		t.Fatal(err)
	}
	first := <-clientConns
	srv.CloseClientConnections()
	// Wait until the transport has seen the FIN and dropped the idle
	// connection (an event, not a time).
	select {
	case <-first.closed:
	case <-t.Context().Done():
		t.Fatal("the transport never noticed the closed connection")
	}
	var out echoOut
	if err := c.Invoke(t.Context(), opEcho, &echoIn{}, &out); err != nil {
		t.Fatalf("call after the server closed the keep-alive connection: %v", err)
	}
	if out.Text != "ok" || requests.Load() != 2 || conns.Load() != 2 {
		t.Errorf("out %q, requests %d, connections %d: want ok, 2, 2", out.Text, requests.Load(), conns.Load())
	}
}

// hangServer reads each request and never answers; it reports when the
// client hangs up.
func hangServer(t *testing.T) (*rawServer, chan struct{}) {
	gone := make(chan struct{}, 4)
	s := newRawServer(t, func(s *rawServer, c net.Conn) {
		br := bufio.NewReader(c)
		if s.readRequest(br) != nil {
			return
		}
		_, _ = io.Copy(io.Discard, br) // until the client closes
		gone <- struct{}{}
	})
	return s, gone
}

// waitGoroutines waits (bounded) for the goroutine count to come back to
// before: HTTP connection goroutines wind down on their own after a close.
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for goruntime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			buf = buf[:goruntime.Stack(buf, true)]
			t.Fatalf("goroutine leak: %d before, %d after\n%s", before, goruntime.NumGoroutine(), buf)
		}
		goruntime.Gosched()
		time.Sleep(5 * time.Millisecond)
	}
}

// (e) A server that accepts, reads and never answers: the call ends with
// the caller's ctx, is not resent, and leaves no goroutine behind.
func TestNeverAnsweringServerEndsAtCtxDeadline(t *testing.T) {
	srv, gone := hangServer(t)
	before := goruntime.NumGoroutine()
	var d dialCounter
	hc := d.client(0)
	c, err := NewClient(&impl.Service{Name: "S", Endpoint: srv.url()}, WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	err = c.Invoke(ctx, opEcho, &echoIn{}, &echoOut{})
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrNotSent) {
		t.Fatalf("want a deadline error (not ErrNotSent), got %v", err)
	}
	if !containsAll(err.Error(), "Echo", "not resent") {
		t.Errorf("unclear error: %v", err)
	}
	<-gone // the client closed its connection
	if r, dl := srv.requests.Load(), d.dials.Load(); r != 1 || dl != 1 {
		t.Errorf("server read %d requests, client dialled %d: want 1 and 1", r, dl)
	}
	_ = c.Close(context.Background())
	hc.CloseIdleConnections()
	waitGoroutines(t, before)
}

// (f) http.Client.Timeout fires while the server holds the request: the
// call is not resent.
func TestHTTPClientTimeoutNotResent(t *testing.T) {
	srv, gone := hangServer(t)
	var d dialCounter
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.url()}, WithHTTPClient(d.client(200*time.Millisecond)))
	err := c.Invoke(t.Context(), opEcho, &echoIn{}, &echoOut{})
	var te interface{ Timeout() bool }
	if err == nil || !errors.As(err, &te) || !te.Timeout() || errors.Is(err, ErrNotSent) {
		t.Fatalf("want a timeout error (not ErrNotSent), got %v", err)
	}
	if !containsAll(err.Error(), "Client.Timeout", "not resent") {
		t.Errorf("unclear error: %v", err)
	}
	<-gone
	if r, dl := srv.requests.Load(), d.dials.Load(); r != 1 || dl != 1 {
		t.Errorf("server read %d requests, client dialled %d: want 1 and 1", r, dl)
	}
}

// resendable accepts exactly the dial failures that are not timeouts.
func TestResendableClassification(t *testing.T) {
	timeout := &net.OpError{Op: "dial", Net: "tcp", Err: timeoutErr{}}
	cases := []struct {
		err  error
		want bool
	}{
		{&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}, true},
		{fmt.Errorf("post: %w", &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "x"}}), true},
		{timeout, false},
		{&net.OpError{Op: "dial", Net: "tcp", Err: context.Canceled}, false},
		{&net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}, false},
		{&net.OpError{Op: "write", Net: "tcp", Err: errors.New("broken pipe")}, false},
		{&net.OpError{Op: "proxyconnect", Net: "tcp", Err: errors.New("connection refused")}, false},
		{io.EOF, false},
	}
	for _, tc := range cases {
		if got := resendable(tc.err); got != tc.want {
			t.Errorf("resendable(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string { return "i/o timeout" }
func (timeoutErr) Timeout() bool { return true }

// retryingTransport stands for a user's RoundTripper (WithHTTPClient) that
// retries on its own: its first attempt reaches the server, the second
// finds the server gone and fails to dial. The dial error alone would look
// "unsent"; the connection the first attempt got says otherwise.
type retryingTransport struct {
	base http.RoundTripper
	dead string
}

func (rt *retryingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	body, _ := r.GetBody()
	first := r.Clone(r.Context())
	first.Body = body
	if resp, err := rt.base.RoundTrip(first); err == nil {
		resp.Body.Close()
	}
	var nd net.Dialer
	c, err := nd.DialContext(r.Context(), "tcp", rt.dead)
	if err == nil {
		c.Close()
	}
	return nil, &net.OpError{Op: "dial", Net: "tcp", Err: err}
}

func TestDialErrorAfterAnyConnectionNotResent(t *testing.T) {
	var requests atomic.Int32
	srv := echoServer(t, &requests)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	hc := &http.Client{Transport: &retryingTransport{base: tr, dead: deadAddr(t)}}
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL}, WithHTTPClient(hc))
	err := c.Invoke(t.Context(), opEcho, &echoIn{}, &echoOut{})
	if err == nil || errors.Is(err, ErrNotSent) {
		t.Fatalf("want an error that is not ErrNotSent, got %v", err)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("server processed the call %d times, want 1", n)
	}
}

// Callers waiting for a login by credentials (the cookie profiles) while
// the server is down share the leader's "not sent" error instead of each
// leading in turn into the same closed port (each paying the resend pause).
func TestUnreachableServerFailsWaitingLoginOnce(t *testing.T) {
	var d dialCounter
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: "http://" + deadAddr(t) + "/svc", Profile: ckTestProfile(impl.ScopeShared)},
		WithCredentials(Password("u", "pw-secret")), WithHTTPClient(d.client(0)))
	const callers = 16
	errs := make(chan error, callers)
	for range callers {
		go func() {
			_, err := echo(c, t.Context(), "x")
			errs <- err
		}()
	}
	for range callers {
		err := <-errs
		if !errors.Is(err, ErrNotSent) {
			t.Errorf("want ErrNotSent, got %v", err)
		} else if strings.Contains(err.Error(), "pw-secret") {
			t.Errorf("secret in error: %v", err)
		}
	}
	// Without sharing, each caller leads once: 2 dials each. Callers that
	// arrive after a flight ended lead a new one, so the count is not
	// exactly 2, but far below 2 per caller.
	t.Logf("%d dials for %d callers", d.dials.Load(), callers)
	if n := d.dials.Load(); n >= 2*callers {
		t.Errorf("%d dials for %d callers: every caller led its own login", n, callers)
	}
}
