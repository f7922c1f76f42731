package redisstore

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
)

func TestMain(m *testing.M) {
	if os.Getenv(envWorker) != "" {
		os.Exit(fleetWorker())
	}
	os.Exit(m.Run())
}

const (
	fleetUser = "alice@example.test"
	fleetPass = "Fl33t-s3cret-Pa55"
	// fleetTimeout bounds every exchange with a worker: a deadlock fails
	// the test instead of hanging it.
	fleetTimeout = 2 * time.Minute
)

// worker is one fleet process.
type worker struct {
	t       *testing.T
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	reports chan fleetReport
	stderr  bytes.Buffer
	exited  chan error
}

// startWorker re-executes the test binary as a fleet worker.
func startWorker(t *testing.T, redisAddr, loginURL, prefix, lockTTL string, env ...string) *worker {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	w := &worker{t: t, reports: make(chan fleetReport, 1), exited: make(chan error, 1)}
	w.cmd = exec.Command(exe, "-test.run=^$")
	w.cmd.Env = append(os.Environ(),
		envWorker+"=1", envURL+"="+loginURL, envPrefix+"="+prefix, envLockTTL+"="+lockTTL,
		envUser+"="+fleetUser, envPass+"="+fleetPass, "WSDLSESS_REDIS_ADDR="+redisAddr)
	w.cmd.Env = append(w.cmd.Env, env...)
	w.cmd.Stderr = &w.stderr
	w.stdin, err = w.cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := w.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		dec := json.NewDecoder(bufio.NewReader(out))
		for {
			var r fleetReport
			if dec.Decode(&r) != nil {
				close(w.reports)
				w.exited <- w.cmd.Wait()
				return
			}
			w.reports <- r
		}
	}()
	t.Cleanup(func() { w.cmd.Process.Kill() })
	return w
}

func (w *worker) send(line string) {
	if _, err := io.WriteString(w.stdin, line+"\n"); err != nil {
		w.t.Fatalf("worker %d: %v\nstderr:\n%s", w.cmd.Process.Pid, err, w.stderr.String())
	}
}

func (w *worker) report() fleetReport {
	select {
	case r, ok := <-w.reports:
		if !ok {
			w.t.Fatalf("worker %d died: %v\nstderr:\n%s", w.cmd.Process.Pid, <-w.exited, w.stderr.String())
		}
		return r
	case <-time.After(fleetTimeout):
		w.t.Fatalf("worker %d gave no answer in %v (deadlock?)", w.cmd.Process.Pid, fleetTimeout)
	}
	return fleetReport{}
}

// quit ends the worker and checks it exited cleanly (no panic).
func (w *worker) quit() {
	w.send("quit")
	select {
	case _, ok := <-w.reports:
		if ok {
			w.t.Fatalf("worker %d answered quit", w.cmd.Process.Pid)
		}
	case <-time.After(fleetTimeout):
		w.t.Fatalf("worker %d did not quit", w.cmd.Process.Pid)
	}
	if err := <-w.exited; err != nil {
		w.t.Fatalf("worker %d exited with %v\nstderr:\n%s", w.cmd.Process.Pid, err, w.stderr.String())
	}
}

// all sends line to every worker at once and collects their reports.
func all(ws []*worker, line string) []fleetReport {
	for _, w := range ws {
		w.send(line)
	}
	reps := make([]fleetReport, len(ws))
	for i, w := range ws {
		reps[i] = w.report()
	}
	return reps
}

func sum(reps []fleetReport) (ok, fail int64, errs []string) {
	for _, r := range reps {
		ok += r.OK
		fail += r.Fail
		errs = append(errs, r.Errors...)
	}
	return ok, fail, errs
}

// noSecrets checks that nothing a worker printed holds a password or a
// session id.
func noSecrets(t *testing.T, sf interface{ Secrets() []string }, ws []*worker, reps ...fleetReport) {
	t.Helper()
	var all strings.Builder
	for _, w := range ws {
		all.WriteString(w.stderr.String())
	}
	for _, r := range reps {
		all.WriteString(strings.Join(r.Errors, "\n"))
	}
	for _, s := range sf.Secrets() {
		if strings.Contains(all.String(), s) {
			t.Fatalf("a worker printed a secret (password or session id)")
		}
	}
}

func newFleetSalesforce(t *testing.T, onLogin func(string)) *fakevendor.Salesforce {
	sf := fakevendor.NewSalesforce(fakevendor.SalesforceConfig{
		Users:   map[string]string{fleetUser: fleetPass},
		OnLogin: onLogin,
	})
	t.Cleanup(sf.Close)
	return sf
}

// fleetPrefix is a fresh namespace whose keys are removed at the end.
func fleetPrefix(t *testing.T, rdb *redis.Client) string {
	p := testPrefix(t)
	t.Cleanup(func() {
		ctx := context.Background()
		if keys, _ := rdb.Keys(ctx, p+"*").Result(); len(keys) > 0 {
			rdb.Del(ctx, keys...)
		}
	})
	return p
}

func TestFleetOneLoginPerExpiry(t *testing.T) {
	rdb := newClient(t)
	addr := redisAddr(t)
	sf := newFleetSalesforce(t, nil)
	prefix := fleetPrefix(t, rdb)

	var ws []*worker
	for range 4 {
		ws = append(ws, startWorker(t, addr, sf.URL(), prefix, ""))
	}
	var reps []fleetReport
	const expiries = 3
	for i := range expiries {
		r := all(ws, "call 3")
		reps = append(reps, r...)
		ok, fail, errs := sum(r)
		if fail != 0 || ok != 4*fleetGoroutines*3 {
			t.Fatalf("expiry %d: %d calls ok, %d failed: %q", i, ok, fail, errs)
		}
		if got := sf.Logins.Load(); got != int64(i+1) {
			t.Fatalf("after %d expiries the fleet of 4 processes x %d goroutines logged in %d times; want %d (one per expiry)",
				i, fleetGoroutines, got, i+1)
		}
		// Every process holds the session now; end it server-side.
		if sf.KillAll() != 1 {
			t.Fatalf("expiry %d: the fake has not exactly one live session", i)
		}
	}
	for _, w := range ws {
		w.quit()
	}
	if d := sf.Duplicates.Load(); d != 0 {
		t.Fatalf("%d calls were processed twice (a resend of an accepted call)", d)
	}
	if rej := sf.Rejected.Load(); rej != sf.RejectedFor(fakevendor.ReasonKilled) {
		t.Fatalf("rejections other than killed sessions: %v", sf.Reasons())
	}
	noSecrets(t, sf, ws, reps...)
	t.Logf("%d processes x %d goroutines, %d expiries: %d logins, %d calls, %d rejected by the kills",
		len(ws), fleetGoroutines, expiries, sf.Logins.Load(), sf.Calls.Load(), sf.Rejected.Load())
}

func TestFleetLoginHolderKilled(t *testing.T) {
	rdb := newClient(t)
	addr := redisAddr(t)
	var first atomic.Bool
	started, release := make(chan struct{}), make(chan struct{})
	sf := newFleetSalesforce(t, func(string) {
		if first.CompareAndSwap(false, true) {
			close(started)
			<-release // the first login never answers: its process dies meanwhile
		}
	})
	// Cleanups run last-in first-out: free the hung handler before sf.Close.
	t.Cleanup(func() { close(release) })
	prefix := fleetPrefix(t, rdb)
	const lockTTL = "500ms"

	dead := startWorker(t, addr, sf.URL(), prefix, lockTTL)
	dead.send("call 1")
	select {
	case <-started:
	case <-time.After(fleetTimeout):
		t.Fatal("the first worker never logged in")
	}
	ctx := context.Background()
	locks := rdb.Keys(ctx, prefix+"l:*").Val()
	if len(locks) != 1 {
		t.Fatalf("lock keys while the login is in flight: %q; want the one login lock", locks)
	}
	if err := dead.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-dead.exited
	// Held with the short TTL (or, on a slow machine, already expired),
	// never the runtime's one minute and never without expiry.
	if pttl := rdb.PTTL(ctx, locks[0]).Val(); pttl == -1 || pttl > 500*time.Millisecond {
		t.Fatalf("dead holder's lock PTTL = %v; want it expiring within the 500ms lock TTL", pttl)
	}

	var ws []*worker
	for range 3 {
		ws = append(ws, startWorker(t, addr, sf.URL(), prefix, lockTTL))
	}
	reps := all(ws, "call 3")
	ok, fail, errs := sum(reps)
	if fail != 0 || ok != 3*fleetGoroutines*3 {
		t.Fatalf("after the lock holder died: %d calls ok, %d failed: %q", ok, fail, errs)
	}
	if got := sf.Logins.Load(); got != 2 {
		t.Fatalf("logins = %d; want 2 (the dead process's, and one takeover for the whole fleet)", got)
	}
	for _, w := range ws {
		w.quit()
	}
	if n := len(rdb.Keys(ctx, prefix+"l:*").Val()); n != 0 {
		t.Fatalf("%d lock keys left after the fleet finished", n)
	}
	noSecrets(t, sf, ws, reps...)
}

// redisServer is a private redis-server for one test.
type redisServer struct {
	cmd *exec.Cmd
}

func startRedisServer(t *testing.T, addr string) *redisServer {
	t.Helper()
	bin := os.Getenv("WSDLSESS_REDIS_SERVER")
	if bin == "" {
		msg := "WSDLSESS_REDIS_SERVER (the redis-server binary) is not set: run ./scripts/test, or export WSDLSESS_REDIS_SERVER=$(command -v redis-server)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	host, port, _ := strings.Cut(addr, ":")
	cmd := exec.Command(bin, "--port", port, "--bind", host, "--save", "", "--appendonly", "no", "--dir", t.TempDir())
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	r := &redisServer{cmd: cmd}
	t.Cleanup(r.stop)
	// Wait for the port first (a plain dial, so go-redis logs no failures),
	// then for PING.
	for deadline := time.Now().Add(10 * time.Second); ; {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("private redis-server on %s never listened:\n%s", addr, out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("private redis-server on %s does not answer PING: %v\n%s", addr, err, out.String())
	}
	return r
}

// stop kills the server as a crash would, and waits for it.
func (r *redisServer) stop() {
	if r.cmd.ProcessState == nil {
		r.cmd.Process.Kill()
		r.cmd.Wait()
	}
}

func TestFleetSurvivesRedisRestart(t *testing.T) {
	addr := freeAddr(t)
	srv := startRedisServer(t, addr)
	sf := newFleetSalesforce(t, nil)
	prefix := "wsdlsess-test:restart:"

	ws := []*worker{startWorker(t, addr, sf.URL(), prefix, ""), startWorker(t, addr, sf.URL(), prefix, "")}
	if ok, fail, errs := sum(all(ws, "call 2")); fail != 0 {
		t.Fatalf("before the restart: %d ok, %d failed: %q", ok, fail, errs)
	}

	for _, w := range ws {
		w.send("run")
	}
	waitFor(t, "calls under way", func() bool { return sf.Calls.Load() > 2*fleetGoroutines*2+100 })
	srv.stop()
	// With Redis gone, end the session too: every process must now go
	// through the store to replace it, and fails until Redis is back.
	killed := sf.RejectedFor(fakevendor.ReasonKilled)
	sf.KillAll()
	waitFor(t, "calls rejected in both processes", func() bool {
		return sf.RejectedFor(fakevendor.ReasonKilled) >= killed+2
	})
	// Let calls meet the outage: go-redis retries a failed command
	// (3 times, backing off up to 512 ms), so a shorter outage can end
	// before any call's store access gives up, and a loaded machine then
	// sees no call fail at all.
	time.Sleep(time.Second)
	startRedisServer(t, addr)
	back := time.Now()
	calls := sf.Calls.Load()
	waitFor(t, "calls accepted again", func() bool { return sf.Calls.Load() > calls+200 })
	t.Logf("calls accepted again %v after Redis came back", time.Since(back).Round(time.Millisecond))
	var reps []fleetReport
	for _, w := range ws {
		w.send("stop")
	}
	for _, w := range ws {
		reps = append(reps, w.report())
	}
	ok, fail, errs := sum(reps)
	if fail == 0 {
		t.Fatal("no call failed while Redis was down and the session had to be replaced")
	}
	for _, e := range errs {
		if !strings.Contains(e, "redisstore:") || !strings.Contains(e, addr) {
			t.Errorf("unclear error during the Redis outage (want redisstore and %s named): %s", addr, e)
		}
	}
	t.Logf("during the restart: %d calls ok, %d failed with errors such as %q", ok, fail, errs[0])

	// Service resumes fully. go-redis's pool, after a run of failed dials,
	// answers with the last dial error and redials in the background about
	// once a second, so a process may need that long to see Redis again.
	for round := 0; ; round++ {
		_, fail, errs := sum(all(ws, "call 1"))
		if fail == 0 {
			t.Logf("every process served again %v after Redis came back", time.Since(back).Round(time.Millisecond))
			break
		}
		if round == 50 {
			t.Fatalf("service did not resume 10s after Redis came back: %q", errs)
		}
		time.Sleep(200 * time.Millisecond)
	}
	r := all(ws, "call 2")
	if ok, fail, errs := sum(r); fail != 0 {
		t.Fatalf("after the restart: %d ok, %d failed: %q", ok, fail, errs)
	}
	for _, w := range ws {
		w.quit()
	}
	noSecrets(t, sf, ws, append(reps, r...)...)
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(fleetTimeout); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestFleetRotatingSessionsStayPerProcess(t *testing.T) {
	rdb := newClient(t)
	addr := redisAddr(t)
	sb := fakevendor.NewSiebel(fakevendor.SiebelConfig{Users: map[string]string{fleetUser: fleetPass}})
	t.Cleanup(sb.Close)
	prefix := fleetPrefix(t, rdb)

	// Two processes, a pool of 2 rotating sessions each.
	ws := []*worker{
		startWorker(t, addr, sb.URL(), prefix, "", envVendor+"=siebel"),
		startWorker(t, addr, sb.URL(), prefix, "", envVendor+"=siebel"),
	}
	reps := all(ws, "call 3")
	ok, fail, errs := sum(reps)
	if fail != 0 || ok != 2*fleetGoroutines*3 {
		t.Fatalf("%d calls ok, %d failed: %q", ok, fail, errs)
	}
	for _, w := range ws {
		w.quit()
	}
	if sb.Stale.Load() != 0 || sb.Violations.Load() != 0 || sb.Rejected.Load() != 0 {
		t.Fatalf("the server saw %d stale tokens, %d violations, %d rejections (%v): a rotating token was shared",
			sb.Stale.Load(), sb.Violations.Load(), sb.Rejected.Load(), sb.Reasons())
	}
	if got := sb.Logins.Load(); got != 4 {
		t.Fatalf("logins = %d; want 4 (2 processes x a pool of 2 sessions of their own)", got)
	}
	ctx := context.Background()
	for _, k := range rdb.Keys(ctx, prefix+"*").Val() {
		v := rdb.Dump(ctx, k).Val()
		for _, tok := range sb.Tokens() {
			if strings.Contains(v, tok) {
				t.Fatalf("a rotating Siebel token reached Redis under %s", k)
			}
		}
	}
	noSecrets(t, sb, ws, reps...)
}

func TestSubscriptionStartsWhenRedisComesUp(t *testing.T) {
	addr := freeAddr(t)
	rdb := redis.NewClient(&redis.Options{Addr: addr, DialerRetries: 1})
	defer rdb.Close()
	s, err := New(rdb) // Redis is not there yet
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	startRedisServer(t, addr)
	// The unlock channel gets its subscriber once Redis is up.
	waitSubscribed(t, rdb, s)
}
