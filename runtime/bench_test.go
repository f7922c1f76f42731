package runtime

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// benchServer answers every call with a fixed echo and checks nothing, so
// both sides of the comparison pay the same server cost.
func benchServer(b *testing.B) *httptest.Server {
	resp := []byte(`<?xml version="1.0"?><s:Envelope xmlns:s="` + nsSOAP11 + `"><s:Body>` + echoBody("hello", "") + `</s:Body></s:Envelope>`)
	login := []byte(`<?xml version="1.0"?><s:Envelope xmlns:s="` + nsSOAP11 + `"><s:Body>` + loginBody("TOKEN-bench-0001", "") + `</s:Body></s:Envelope>`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		if bytes.Contains(body, []byte("<login")) {
			w.Write(login)
			return
		}
		w.Write(resp)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkBareCall is the baseline: marshal an envelope by hand, POST it,
// read and unmarshal the answer, bounded in time as the runtime's default
// client bounds a call whose ctx has no deadline (a hand-written client
// that can hang forever on a silent server is no floor to compare with).
func BenchmarkBareCall(b *testing.B) {
	srv := benchServer(b)
	hc, _ := defaultHTTPClient()
	type env struct {
		XMLName xml.Name `xml:"http://schemas.xmlsoap.org/soap/envelope/ Envelope"`
		Body    struct {
			In echoIn
		} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
	}
	type envOut struct {
		Body struct {
			Out echoOut `xml:"urn:test EchoResponse"`
		} `xml:"Body"`
	}
	b.ReportAllocs()
	for b.Loop() {
		var e env
		e.Body.In = echoIn{Text: "hello"}
		data, err := xml.Marshal(&e)
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(b.Context(), defaultCallTimeout)
		req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL, bytes.NewReader(data))
		req.Header.Set("Content-Type", "text/xml; charset=utf-8")
		req.Header.Set("SOAPAction", `"urn:test#Echo"`)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		rb, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		cancel()
		var out envOut
		if err := xml.Unmarshal(rb, &out); err != nil || out.Body.Out.Text != "hello" {
			b.Fatal(err, out)
		}
	}
}

// BenchmarkSessionCall is the same call through Invoke with a Salesforce
// style profile: session header injected from the cached session.
func BenchmarkSessionCall(b *testing.B) {
	srv := benchServer(b)
	c, err := NewClient(&impl.Service{Name: "S", Endpoint: srv.URL, Profile: sfTestProfile()}, WithCredentials(Password("u", "p")))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close(b.Context())
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		var out echoOut
		if err := c.Invoke(ctx, opEcho, &echoIn{Text: "hello"}, &out); err != nil || out.Text != "hello" {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlainInvoke is Invoke without a session profile: the difference
// to BenchmarkSessionCall is the session engine's own cost.
func BenchmarkPlainInvoke(b *testing.B) {
	srv := benchServer(b)
	c, err := NewClient(&impl.Service{Name: "S", Endpoint: srv.URL})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close(b.Context())
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		var out echoOut
		if err := c.Invoke(ctx, opEcho, &echoIn{Text: "hello"}, &out); err != nil || out.Text != "hello" {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlainInvokeSuppliedClient is BenchmarkPlainInvoke on a client
// the caller supplies (no timeout of its own): the runtime's default
// client must cost no more than that.
func BenchmarkPlainInvokeSuppliedClient(b *testing.B) {
	srv := benchServer(b)
	c := suppliedClient(b, srv.URL)
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		var out echoOut
		if err := c.Invoke(ctx, opEcho, &echoIn{Text: "hello"}, &out); err != nil || out.Text != "hello" {
			b.Fatal(err)
		}
	}
}

// BenchmarkRotatingPool measures a rotating (Siebel style) profile's
// throughput with 16 x GOMAXPROCS concurrent callers and pools of 1, 4 and
// 16 sessions, against a server that takes 1 ms per call (a rotating
// session serves one call at a time, so latency is what a pool hides).
func BenchmarkRotatingPool(b *testing.B) {
	for _, pool := range []int{1, 4, 16} {
		b.Run(fmt.Sprint("pool", pool), func(b *testing.B) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				time.Sleep(time.Millisecond)
				w.Header().Set("Content-Type", "text/xml")
				fmt.Fprintf(w, `<s:Envelope xmlns:s="%s"><s:Header><SessionToken xmlns="%s">T%d-%s</SessionToken></s:Header><s:Body>%s</s:Body></s:Envelope>`,
					nsSOAP11, nsSB, len(r.Header), strings.Repeat("x", 8), echoBody("hello", ""))
			}))
			defer srv.Close()
			c, err := NewClient(&impl.Service{Name: "S", Endpoint: srv.URL, Profile: sbTestProfile("Stateless")},
				WithCredentials(Password("u", "p")), WithPoolSize(pool))
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close(b.Context())
			ctx := b.Context()
			b.SetParallelism(16) // 16 x GOMAXPROCS callers
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					var out echoOut
					if err := c.Invoke(ctx, opEcho, &echoIn{Text: "hello"}, &out); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkLoginsPerExpiry kills the session server-side, then lets 64
// goroutines call at once; it reports the logins each expiry cost (the
// engine's promise: 1).
func BenchmarkLoginsPerExpiry(b *testing.B) {
	s := &sfServer{live: map[string]bool{}, password: "pw"}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := parseSOAP(r)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		s.handle(w, q)
	}))
	defer s.Close()
	c, err := NewClient(&impl.Service{Name: "S", Endpoint: s.URL, Profile: sfTestProfile()}, WithCredentials(Password("u", "pw")))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close(b.Context())
	ctx := b.Context()
	if _, err := echo(c, ctx, "warm"); err != nil {
		b.Fatal(err)
	}
	start := s.logins.Load()
	for b.Loop() {
		s.killAll()
		var wg sync.WaitGroup
		for range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := echo(c, ctx, "x"); err != nil {
					b.Error(err)
				}
			}()
		}
		wg.Wait()
	}
	b.ReportMetric(float64(s.logins.Load()-start)/float64(b.N), "logins/expiry")
}

// BenchmarkDefaultClientPaired measures the runtime's default client
// against a supplied one in the same loop: each iteration makes one call
// on each, in an order that alternates, and times them apart, so drift of
// the machine's speed (another process, frequency scaling) hits both sides
// alike. Reports ns per call on each and their ratio (default ÷ supplied),
// with one ctx for every call (a batch job's, a worker's) and with a ctx
// of its own per call (a server's request ctx), which the supplied side
// pays for too.
func BenchmarkDefaultClientPaired(b *testing.B) {
	for _, perCall := range []bool{false, true} {
		name := "one-ctx"
		if perCall {
			name = "ctx-per-call"
		}
		b.Run(name, func(b *testing.B) {
			srv := benchServer(b)
			def, err := NewClient(&impl.Service{Name: "S", Endpoint: srv.URL})
			if err != nil {
				b.Fatal(err)
			}
			defer def.Close(b.Context())
			sup := suppliedClient(b, srv.URL)
			call := func(c *Client) time.Duration {
				start := time.Now()
				ctx, cancel := b.Context(), context.CancelFunc(func() {})
				if perCall {
					ctx, cancel = context.WithCancel(ctx)
				}
				var out echoOut
				if err := c.Invoke(ctx, opEcho, &echoIn{Text: "hello"}, &out); err != nil || out.Text != "hello" {
					b.Fatal(err)
				}
				cancel()
				return time.Since(start)
			}
			var onDef, onSup time.Duration
			n := 0
			for b.Loop() {
				if n%2 == 0 {
					onDef += call(def)
					onSup += call(sup)
				} else {
					onSup += call(sup)
					onDef += call(def)
				}
				n++
			}
			b.ReportMetric(float64(onDef.Nanoseconds())/float64(n), "default-ns/call")
			b.ReportMetric(float64(onSup.Nanoseconds())/float64(n), "supplied-ns/call")
			b.ReportMetric(float64(onDef)/float64(onSup), "default/supplied")
		})
	}
}

// suppliedClient is a client on an HTTP client the caller supplies,
// configured as the runtime's own (keep-alive, 64 idle connections a
// host) but without a timeout of its own.
func suppliedClient(b *testing.B, url string) *Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	b.Cleanup(tr.CloseIdleConnections)
	c, err := NewClient(&impl.Service{Name: "S", Endpoint: url}, WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close(context.Background()) })
	return c
}
