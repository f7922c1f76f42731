package runtime_test

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
)

// harness collects what a scenario's clients say (debug logs, events,
// errors) so that the scenario can assert no secret ever appears in them,
// and checks that the scenario leaks no goroutine.
type harness struct {
	t *testing.T

	mu     sync.Mutex
	logs   bytes.Buffer
	events []runtime.Event
	errs   []string
}

// newHarness starts a scenario: it records the goroutine count now and, at
// cleanup (after the clients and fake servers registered later have been
// closed, since cleanups run last-in first-out), waits a bounded time for
// the count to come back.
func newHarness(t *testing.T) *harness {
	h := &harness{t: t}
	before := goruntime.NumGoroutine()
	t.Cleanup(func() { h.checkLeaks(before) })
	return h
}

func (h *harness) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.logs.Write(p)
}

// options are the observability options every scenario client gets: a
// debug-level logger into the harness and an events hook.
func (h *harness) options() []runtime.Option {
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

// err records a call's error (nil is ignored) and returns it.
func (h *harness) err(err error) error {
	if err != nil {
		h.mu.Lock()
		h.errs = append(h.errs, err.Error())
		h.mu.Unlock()
	}
	return err
}

// countEvents returns how many events of kind were seen.
func (h *harness) countEvents(kind runtime.EventKind) int {
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

// logLines counts the log lines that contain every one of subs.
func (h *harness) logLines(subs ...string) int {
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

// noSecrets fails if any secret occurs in the logs, the events or the
// recorded errors.
func (h *harness) noSecrets(secrets ...[]string) {
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

func (h *harness) checkLeaks(before int) {
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

// newClient builds a client for svc with the harness's observability
// options plus opts, closed at cleanup.
func (h *harness) newClient(svc *runtime.Service, opts ...runtime.Option) *runtime.Client {
	h.t.Helper()
	c, err := runtime.NewClient(svc, append(h.options(), opts...)...)
	if err != nil {
		h.t.Fatalf("NewClient: %v", err)
	}
	h.t.Cleanup(func() {
		if err := h.err(c.Close(context.Background())); err != nil {
			h.t.Errorf("Close: %v", err)
		}
	})
	return c
}

// parallel runs f(i) for i in [0,n) on n goroutines and waits for them.
func parallel(n int, f func(i int)) {
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

// firstErrors returns up to 3 distinct error strings, for failure messages.
func firstErrors(errs []error) []string {
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

// loginsSeen is how many sessions the events say were opened (login or
// relogin), to compare with the server's count: users count and trace
// with these events.
func (h *harness) loginsSeen() int64 {
	return int64(h.countEvents(runtime.EventLogin) + h.countEvents(runtime.EventRelogin))
}
