package redisstore

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// A fleet worker is this test binary re-executed with WSDLSESS_FLEET_WORKER
// set: one OS process with one client on the shared Redis store, driven by
// the parent test through stdin, one command a line:
//
//	call N   100 goroutines make N calls each; reply with a fleetReport
//	run      100 goroutines call until "stop"; then reply with a report
//	quit     exit 0
//
// A panic anywhere exits non-zero, which the parent checks.
const (
	envWorker  = "WSDLSESS_FLEET_WORKER"
	envURL     = "WSDLSESS_FLEET_URL"
	envPrefix  = "WSDLSESS_FLEET_PREFIX"
	envLockTTL = "WSDLSESS_FLEET_LOCK_TTL"
	envUser    = "WSDLSESS_FLEET_USER"
	envPass    = "WSDLSESS_FLEET_PASS"
	envVendor  = "WSDLSESS_FLEET_VENDOR" // "salesforce" (default) or "siebel"

	fleetGoroutines = 100
)

// fleetReport is a worker's answer to one command.
type fleetReport struct {
	OK     int64    `json:"ok"`
	Fail   int64    `json:"fail"`
	Errors []string `json:"errors"` // distinct error texts, at most 5
}

func fleetWorker() int {
	fail := func(format string, a ...any) int {
		fmt.Fprintf(os.Stderr, "fleet worker: "+format+"\n", a...)
		return 2
	}
	rdb := redis.NewClient(&redis.Options{Addr: os.Getenv("WSDLSESS_REDIS_ADDR"), DialerRetries: 1})
	defer rdb.Close()
	opts := []Option{WithPrefix(os.Getenv(envPrefix))}
	if v := os.Getenv(envLockTTL); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fail("%s: %v", envLockTTL, err)
		}
		opts = append(opts, WithLockTTL(d))
	}
	store, err := New(rdb, opts...)
	if err != nil {
		return fail("%v", err)
	}
	defer store.Close()
	svc, invoke := sfService(os.Getenv(envURL)), sfInvoke
	if os.Getenv(envVendor) == "siebel" {
		svc, invoke = sbService(os.Getenv(envURL)), sbInvoke
	}
	c, err := runtime.NewClient(svc,
		runtime.WithCredentials(runtime.Password(os.Getenv(envUser), os.Getenv(envPass))),
		runtime.WithStore(store), runtime.WithPoolSize(2))
	if err != nil {
		return fail("%v", err)
	}
	defer c.Close(context.Background())

	var seq atomic.Int64
	call := func(ctx context.Context, rep *fleetReport, mu *sync.Mutex) {
		q := "SELECT Name FROM Account -- " + strconv.Itoa(os.Getpid()) + "/" + strconv.FormatInt(seq.Add(1), 10)
		err := invoke(ctx, c, q)
		mu.Lock()
		defer mu.Unlock()
		if err == nil {
			rep.OK++
			return
		}
		rep.Fail++
		if len(rep.Errors) < 5 && !slices.Contains(rep.Errors, err.Error()) {
			rep.Errors = append(rep.Errors, err.Error())
		}
	}

	in := bufio.NewScanner(os.Stdin)
	enc := json.NewEncoder(os.Stdout)
	for in.Scan() {
		cmd := strings.Fields(in.Text())
		if len(cmd) == 0 {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		var rep fleetReport
		var mu sync.Mutex
		var wg sync.WaitGroup
		switch cmd[0] {
		case "quit":
			cancel()
			return 0
		case "call":
			n, _ := strconv.Atoi(cmd[1])
			for range fleetGoroutines {
				wg.Go(func() {
					for range n {
						call(ctx, &rep, &mu)
					}
				})
			}
			wg.Wait()
		case "run":
			var stop atomic.Bool
			for range fleetGoroutines {
				wg.Go(func() {
					for !stop.Load() {
						call(ctx, &rep, &mu)
					}
				})
			}
			if !in.Scan() || in.Text() != "stop" {
				cancel()
				return fail("run must be followed by stop")
			}
			stop.Store(true)
			wg.Wait()
		default:
			cancel()
			return fail("unknown command %q", cmd[0])
		}
		cancel()
		if err := enc.Encode(rep); err != nil {
			return fail("%v", err)
		}
	}
	return 0
}

// sfInvoke and sbInvoke make one business call and check its echo.
func sfInvoke(ctx context.Context, c *runtime.Client, q string) error {
	var out sfQueryOut
	if err := c.Invoke(ctx, sfQueryOp, &sfQueryIn{QueryString: q}, &out); err != nil {
		return err
	}
	if len(out.Result.Records) != 1 || out.Result.Records[0].Name != q {
		return fmt.Errorf("query answered %+v, want the echo of %q", out.Result, q)
	}
	return nil
}

func sbInvoke(ctx context.Context, c *runtime.Client, q string) error {
	var out sbQueryOut
	if err := c.Invoke(ctx, sbQueryOp, &sbQueryIn{Text: q}, &out); err != nil {
		return err
	}
	if out.Text != q {
		return fmt.Errorf("AccountQueryPage answered %q, want the echo of %q", out.Text, q)
	}
	return nil
}
