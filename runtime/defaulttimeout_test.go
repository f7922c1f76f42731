package runtime

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// TestDefaultClientBoundsACallWithoutDeadline: on the runtime's own
// client, a call whose ctx has no deadline still ends (a server trickling
// an endless answer), with an error naming the default timeout; a ctx
// with its own, shorter deadline is left alone.
func TestDefaultClientBoundsACallWithoutDeadline(t *testing.T) {
	url := hangingServer(t, true)
	c := defaultClient(t, url)

	// A ctx whose deadline is within the default: the call ends with it,
	// and the error is the caller's deadline.
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	err := c.Invoke(ctx, opEcho, &echoIn{Text: "x"}, &echoOut{})
	if !errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "default call timeout") {
		t.Errorf("with a ctx deadline: %v", err)
	}

	// No deadline at all: the call gets the default timeout (shortened
	// here), and its error names it.
	c.e.bound = newCallBound(300 * time.Millisecond)
	err = c.Invoke(context.Background(), opEcho, &echoIn{Text: "x"}, &echoOut{})
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "default call timeout of 300ms exceeded") {
		t.Errorf("without a deadline: %v", err)
	}
	// A ctx with a shorter deadline is used as it is (no timer, no
	// allocation on the common path).
	short, scancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer scancel()
	if got, _ := c.e.bound.acquire(short); got != short {
		t.Error("a ctx with a shorter deadline was wrapped")
	}
	// On a client the caller supplies, the caller's own timeouts rule.
	c2, err := NewClient(&impl.Service{Name: "S", Endpoint: url}, WithHTTPClient(&http.Client{}))
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close(context.Background())
	if got, _ := c2.e.bound.acquire(context.Background()); got != context.Background() {
		t.Error("a supplied client's calls were given a deadline")
	}
}

// The default client has one bound, the call's: no transport timeout may
// end a call its ctx (and the five-minute bound) still allows, such as a
// report whose answer takes minutes to start.
func TestDefaultClientHasNoShorterBound(t *testing.T) {
	c, err := NewClient(&impl.Service{Name: "S", Endpoint: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	nr, ok := c.e.hc.Transport.(noReplay)
	if !ok {
		t.Fatalf("transport %T", c.e.hc.Transport)
	}
	tr := nr.rt.(*http.Transport)
	if c.e.hc.Timeout != 0 || tr.ResponseHeaderTimeout != 0 && tr.ResponseHeaderTimeout < defaultCallTimeout {
		t.Errorf("client timeout %v, response-header timeout %v: shorter than the call bound %v", c.e.hc.Timeout, tr.ResponseHeaderTimeout, defaultCallTimeout)
	}
}

// TestDefaultClientSharedBoundGivesEachCallItsTime: calls on one ctx share
// a deadline (callBound), yet one that starts later than another still
// gets the whole timeout before it ends, and both end with the error that
// names it.
func TestDefaultClientSharedBoundGivesEachCallItsTime(t *testing.T) {
	c := defaultClient(t, hangingServer(t, false))
	const d = 400 * time.Millisecond
	c.e.bound = newCallBound(d)

	type result struct {
		took time.Duration
		err  error
	}
	results := make(chan result, 2)
	call := func() {
		start := time.Now()
		err := c.Invoke(context.Background(), opEcho, &echoIn{Text: "x"}, &echoOut{})
		results <- result{time.Since(start), err}
	}
	go call()
	time.Sleep(d / 2)
	go call()
	for range 2 {
		r := <-results
		if r.took < d {
			t.Errorf("a call ended after %v, before the timeout of %v", r.took, d)
		}
		if !errors.Is(r.err, context.DeadlineExceeded) || !strings.Contains(r.err.Error(), "default call timeout of 400ms exceeded") {
			t.Errorf("error %v", r.err)
		}
	}
}

// hangingServer answers every call never: with the status and headers
// first (an answer that never ends) or not even those.
func hangingServer(t *testing.T, headers bool) string {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if headers {
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(200)
			w.(http.Flusher).Flush()
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	return srv.URL
}

// defaultClient is a client on the runtime's own HTTP client.
func defaultClient(t *testing.T, url string) *Client {
	c, err := NewClient(&impl.Service{Name: "S", Endpoint: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}
