package runtime

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	goruntime "runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// An HTTP/2 server that misbehaves exactly when a test wants: a raw
// http2.Framer over TLS (ALPN h2), so it can read a whole request and then
// reset the stream or send GOAWAY. Every test counts the requests the
// server received whole, since the rule under test is about the server: a
// request it may have processed is never sent again.

// h2Action is what the server does after it received a whole request on
// stream id; it returns false to close the connection.
type h2Action func(fr *http2.Framer, id uint32) bool

type h2Server struct {
	l        net.Listener
	pool     *x509.CertPool
	requests atomic.Int32 // requests received whole
	conns    atomic.Int32
	wg       sync.WaitGroup
}

// testCert is a self-signed certificate for 127.0.0.1.
func testCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

func newH2Server(t *testing.T, act h2Action) *h2Server {
	t.Helper()
	cert, pool := testCert(t)
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2"}})
	if err != nil {
		t.Fatal(err)
	}
	s := &h2Server{l: l, pool: pool}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s.conns.Add(1)
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer c.Close()
				s.serve(c.(*tls.Conn), act)
			}()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		s.wg.Wait()
	})
	return s
}

func (s *h2Server) url() string { return "https://" + s.l.Addr().String() + "/soap" }

// serve speaks just enough HTTP/2 to receive requests: preface, SETTINGS,
// HEADERS and DATA up to END_STREAM; then act decides.
func (s *h2Server) serve(c *tls.Conn, act h2Action) {
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	if c.HandshakeContext(context.Background()) != nil {
		return
	}
	preface := make([]byte, len(http2.ClientPreface))
	if _, err := io.ReadFull(c, preface); err != nil || string(preface) != http2.ClientPreface {
		return
	}
	fr := http2.NewFramer(c, c)
	if fr.WriteSettings() != nil {
		return
	}
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			return
		}
		var end bool
		switch f := f.(type) {
		case *http2.SettingsFrame:
			if !f.IsAck() && fr.WriteSettingsAck() != nil {
				return
			}
		case *http2.PingFrame:
			if !f.IsAck() && fr.WritePing(true, f.Data) != nil {
				return
			}
		case *http2.HeadersFrame:
			end = f.StreamEnded()
		case *http2.DataFrame:
			end = f.StreamEnded()
			if n := uint32(len(f.Data())); n > 0 {
				// Give the window back, so a body of any size arrives.
				if fr.WriteWindowUpdate(0, n) != nil {
					return
				}
			}
		}
		if end {
			s.requests.Add(1)
			if !act(fr, f.Header().StreamID) {
				return
			}
		}
	}
}

// h2Answer sends a 200 SOAP answer on stream id.
func h2Answer(fr *http2.Framer, id uint32, body string) bool {
	var hb bytes.Buffer
	enc := hpack.NewEncoder(&hb)
	_ = enc.WriteField(hpack.HeaderField{Name: ":status", Value: "200"})
	_ = enc.WriteField(hpack.HeaderField{Name: "content-type", Value: "text/xml; charset=utf-8"})
	env := fmt.Sprintf(`<s:Envelope xmlns:s="%s"><s:Body>%s</s:Body></s:Envelope>`, nsSOAP11, body)
	return fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: hb.Bytes(), EndHeaders: true}) == nil &&
		fr.WriteData(id, true, []byte(env)) == nil
}

// h2Client is the runtime's own default client, trusting the test
// certificate: the client that replayed a call thousands of times.
func h2Client(t *testing.T, s *h2Server) *Client {
	t.Helper()
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: s.url()})
	c.e.ownTransport.TLSClientConfig = &tls.Config{RootCAs: s.pool}
	t.Cleanup(c.e.ownTransport.CloseIdleConnections)
	return c
}

// The harness speaks HTTP/2 to the runtime's default client.
func TestHTTP2HarnessAnswers(t *testing.T) {
	s := newH2Server(t, func(fr *http2.Framer, id uint32) bool { return h2Answer(fr, id, echoBody("ok", "")) })
	c := h2Client(t, s)
	var out echoOut
	if err := c.Invoke(t.Context(), opEcho, &echoIn{Text: "x"}, &out); err != nil || out.Text != "ok" {
		t.Fatalf("out %q, err %v", out.Text, err)
	}
}

// A stream reset or GOAWAY after the server received the whole request:
// the request is never sent again, by net/http or by the runtime. Before
// the runtime hid the request's GetBody from the transport, net/http
// resent the call on a new connection after each PROTOCOL_ERROR until the
// ctx ended (thousands of times in seconds).
//
// REFUSED_STREAM and a GOAWAY whose last stream id is below the request's
// mean, by RFC 9113 8.7, that the server did not process it; they are
// not resent either (the body was sent: the runtime does not take the
// server's word for it), so the server receives the request once in
// every case.
func TestHTTP2ResetAfterRequestNeverResent(t *testing.T) {
	cases := []struct {
		name string
		act  h2Action
	}{
		{"RST_STREAM PROTOCOL_ERROR", func(fr *http2.Framer, id uint32) bool {
			return fr.WriteRSTStream(id, http2.ErrCodeProtocol) == nil
		}},
		{"RST_STREAM INTERNAL_ERROR", func(fr *http2.Framer, id uint32) bool {
			return fr.WriteRSTStream(id, http2.ErrCodeInternal) == nil
		}},
		{"RST_STREAM REFUSED_STREAM", func(fr *http2.Framer, id uint32) bool {
			return fr.WriteRSTStream(id, http2.ErrCodeRefusedStream) == nil
		}},
		{"GOAWAY processed, then close", func(fr *http2.Framer, id uint32) bool {
			_ = fr.WriteGoAway(id, http2.ErrCodeNo, nil)
			return false
		}},
		{"GOAWAY PROTOCOL_ERROR, then close", func(fr *http2.Framer, id uint32) bool {
			_ = fr.WriteGoAway(id, http2.ErrCodeProtocol, nil)
			return false
		}},
		{"GOAWAY below the stream (not processed)", func(fr *http2.Framer, id uint32) bool {
			return fr.WriteGoAway(id-1, http2.ErrCodeNo, nil) == nil
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := goruntime.NumGoroutine()
			s := newH2Server(t, tc.act)
			c := h2Client(t, s)
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			err := c.Invoke(ctx, opEcho, &echoIn{Text: "x"}, &echoOut{})
			if err == nil {
				t.Fatal("call succeeded")
			}
			if errors.Is(err, ErrNotSent) || errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("want a may-have-processed error, got %v", err)
			}
			if !containsAll(err.Error(), "Echo", "not resent") {
				t.Errorf("unclear error: %v", err)
			}
			if r := s.requests.Load(); r != 1 {
				t.Errorf("server received the request %d times over %d connections: want once", r, s.conns.Load())
			}
			c.e.ownTransport.CloseIdleConnections()
			s.l.Close()
			s.wg.Wait()
			waitGoroutines(t, before)
		})
	}
}
