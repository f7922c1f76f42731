// Package show prints what the examples do, in the same shape for every
// vendor: the step, the client's session events, and the fake server's
// counts.
package show

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/wsdlsess/wsdlsess/runtime"
)

// Log writes to w; Event is safe for concurrent use.
type Log struct {
	mu sync.Mutex
	w  io.Writer
	// Events counts the session events by kind.
	Events map[runtime.EventKind]int
}

// New returns a Log writing to w.
func New(w io.Writer) *Log { return &Log{w: w, Events: map[runtime.EventKind]int{}} }

// Step announces what the example does next.
func (l *Log) Step(what string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "\n== %s\n", what)
}

// Event prints one session event (pass it to runtime.WithEvents). Sessions
// appear as the runtime names them, a short hash: never the token.
func (l *Log) Event(e runtime.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.Events[e.Kind]++
	if e.Kind == runtime.EventRotate {
		// One a call on a rotating session: counted, shown by Server.
		return
	}
	if e.Err != nil {
		fmt.Fprintf(l.w, "  client: %s (session %s): %v\n", e.Kind, e.Session, e.Err)
		return
	}
	fmt.Fprintf(l.w, "  client: %s (session %s)\n", e.Kind, e.Session)
}

// Server prints counts the fake server kept, as name, value pairs.
func (l *Log) Server(kv ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := l.Events[runtime.EventRotate]; n > 0 {
		fmt.Fprintf(l.w, "  client: %d token rotations so far\n", n)
	}
	fmt.Fprint(l.w, "  server:")
	for i := 0; i+1 < len(kv); i += 2 {
		fmt.Fprintf(l.w, " %v=%v", kv[i], kv[i+1])
	}
	fmt.Fprintln(l.w)
}

// Main runs an example's run function on standard output and exits 1 with
// its error.
func Main(name string, run func(io.Writer) error) {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}
