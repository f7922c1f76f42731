// Package scenario is the harness of the end-to-end scenario tests (the
// runtime's, and e2e's through generated clients): it collects what the
// clients say (debug logs, events, errors) so a scenario can assert that no
// secret ever appears in them, and checks that the scenario leaks no
// goroutine.
package scenario

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	goruntime "runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// Harness collects what a scenario's clients say (debug logs, events,
// errors) so that the scenario can assert no secret ever appears in them,
// and checks that the scenario leaks no goroutine.
type Harness struct {
	t *testing.T

	mu     sync.Mutex
	logs   bytes.Buffer
	events []runtime.Event
	errs   []string
}

// New starts a scenario: it records the goroutine count now and, at
// cleanup (after the clients and fake servers registered later have been
// closed, since cleanups run last-in first-out), waits a bounded time for
// the count to come back.
func New(t *testing.T) *Harness {
	h := &Harness{t: t}
	before := goruntime.NumGoroutine()
	t.Cleanup(func() { h.checkLeaks(before) })
	return h
}

func (h *Harness) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.logs.Write(p)
}

// Options are the observability options every scenario client gets: a
// debug-level logger into the harness and an events hook.
func (h *Harness) Options() []runtime.Option {
	logger := slog.New(slog.NewTextHandler(h, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return []runtime.Option{
		runtime.WithLogger(logger),
		runtime.WithEvents(func(e runtime.Event) {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.events = append(h.events, e)
		}),
	}
}

// Err records a call's error (nil is ignored) and returns it.
func (h *Harness) Err(err error) error {
	if err != nil {
		h.mu.Lock()
		h.errs = append(h.errs, err.Error())
		h.mu.Unlock()
	}
	return err
}

// CountEvents returns how many events of kind were seen.
func (h *Harness) CountEvents(kind runtime.EventKind) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, e := range h.events {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

// LogLines counts the log lines that contain every one of subs.
func (h *Harness) LogLines(subs ...string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for line := range strings.Lines(h.logs.String()) {
		all := true
		for _, s := range subs {
			all = all && strings.Contains(line, s)
		}
		if all {
			n++
		}
	}
	return n
}

// NoSecrets fails if any secret occurs in the logs, the events or the
// recorded errors.
func (h *Harness) NoSecrets(secrets ...[]string) {
	h.t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	var text strings.Builder
	text.WriteString(h.logs.String())
	for _, e := range h.events {
		fmt.Fprintf(&text, "\n%v %s %v", e.Kind, e.Session, e.Err)
	}
	for _, e := range h.errs {
		text.WriteString("\n" + e)
	}
	all := text.String()
	if os.Getenv("WSDLSESS_SCENARIO_LOGS") != "" {
		h.t.Logf("logs, events and errors of this scenario:\n%s", all)
	}
	if strings.TrimSpace(all) == "" {
		h.t.Errorf("the clients logged, emitted and returned nothing: the secret scan would prove nothing")
	}
	n := 0
	for _, list := range secrets {
		for _, s := range list {
			if len(s) < 4 {
				continue // too short to tell from ordinary text
			}
			n++
			if strings.Contains(all, s) {
				h.t.Errorf("a secret (hash %s, %d bytes) appears in logs, events or errors", fakevendor.ShortHash(s), len(s))
			}
		}
	}
	if n == 0 {
		h.t.Errorf("secret scan had nothing to look for")
	}
}

func (h *Harness) checkLeaks(before int) {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		now := goruntime.NumGoroutine()
		if now <= before {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			buf = buf[:goruntime.Stack(buf, true)]
			h.t.Errorf("goroutine leak: %d before, %d after\n%s", before, now, buf)
			return
		}
		// Idle HTTP connections and finished handlers wind down on their
		// own; yield rather than sleep a fixed time.
		goruntime.Gosched()
		time.Sleep(10 * time.Millisecond)
	}
}

// NewClient builds a client for svc with the harness's observability
// options plus opts, closed at cleanup.
func (h *Harness) NewClient(svc *impl.Service, opts ...runtime.Option) *runtime.Client {
	h.t.Helper()
	c, err := runtime.NewClient(svc, append(h.Options(), opts...)...)
	if err != nil {
		h.t.Fatalf("NewClient: %v", err)
	}
	h.t.Cleanup(func() {
		if err := h.Err(c.Close(context.Background())); err != nil {
			h.t.Errorf("Close: %v", err)
		}
	})
	return c
}

// Parallel runs f(i) for i in [0,n) on n goroutines and waits for them.
func Parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(i)
		}()
	}
	wg.Wait()
}

// FirstErrors returns up to 3 distinct error strings, for failure messages.
func FirstErrors(errs []error) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range errs {
		if e != nil && !seen[e.Error()] && len(out) < 3 {
			seen[e.Error()] = true
			out = append(out, e.Error())
		}
	}
	return out
}

// LoginsSeen is how many sessions the events say were opened (login or
// relogin), to compare with the server's count: users count and trace
// with these events.
func (h *Harness) LoginsSeen() int64 {
	return int64(h.CountEvents(runtime.EventLogin) + h.CountEvents(runtime.EventRelogin))
}

// Helper marks the caller as a test helper.
func (h *Harness) Helper() { h.t.Helper() }

// Closer is what every client has: runtime.Client and generated clients.
type Closer interface {
	Close(ctx context.Context) error
}

// CloseAtCleanup closes c when the test ends, before the leak check, and
// records the error.
func (h *Harness) CloseAtCleanup(c Closer) {
	h.t.Cleanup(func() {
		if err := h.Err(c.Close(context.Background())); err != nil {
			h.t.Errorf("Close: %v", err)
		}
	})
}

// Fatal ends the test.
func (h *Harness) Fatal(args ...any) {
	h.t.Helper()
	h.t.Fatal(args...)
}
