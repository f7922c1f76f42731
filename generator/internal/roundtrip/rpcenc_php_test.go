package roundtrip_test

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	tracker "github.com/wsdlsess/wsdlsess/golden/rpc-encoded"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// startPHPTracker serves testdata/wsdl/rpc-encoded/tracker.wsdl with PHP's
// SoapServer (ext/soap, a real rpc/encoded implementation) on a free
// loopback port and returns its endpoint; the test is skipped when php or
// its soap extension is not installed (scripts/test installs both).
func startPHPTracker(t *testing.T) string {
	t.Helper()
	return startPHP(t, "tracker_server.php", "TRACKER_WSDL", "../../../testdata/wsdl/rpc-encoded/tracker.wsdl")
}

// startPHP serves the SoapServer script testdata/php/script, which reads
// the path of its WSDL from the environment variable wsdlVar.
func startPHP(t *testing.T, script, wsdlVar, wsdlPath string) string {
	t.Helper()
	php, err := exec.LookPath("php")
	if err != nil {
		t.Skip("php not installed: the rpc/encoded interop test needs php-cli and php-soap (apt-get install php-cli php-soap; scripts/test installs them)")
	}
	if out, err := exec.Command(php, "-r", "exit(class_exists('SoapServer') ? 0 : 1);").CombinedOutput(); err != nil {
		t.Skipf("php has no soap extension (apt-get install php-soap): %v %s", err, out)
	}
	wsdl, err := filepath.Abs(wsdlPath)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(php, "-S", addr, script)
	cmd.Dir = "testdata/php"
	cmd.Env = append(os.Environ(), wsdlVar+"="+wsdl, "PHP_CLI_SERVER_WORKERS=1")
	logf, err := os.Create(filepath.Join(t.TempDir(), "php.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		logf.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logf.Name())
			t.Logf("php server log:\n%s", b)
		}
	})
	// Ready once it answers a GET; generous, for a loaded machine.
	url := "http://" + addr + "/"
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return url
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("php -S %s did not answer within 30s: %v", addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func newTracker(t *testing.T, endpoint string) *tracker.Client {
	t.Helper()
	c, err := tracker.NewClient(runtime.WithEndpoint(endpoint))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func sampleUser() *tracker.User {
	return &tracker.User{
		Id: 42, Name: "Zoë <admin> & \"root\"", Active: true, Score: 0.1,
		Address: &tracker.Address{Street: "Hauptstraße 5", City: "Köln", Zip: 50667},
		Roles:   &tracker.ArrayOfString{Item: []string{"admin", "", "dev ops"}},
		Manager: &tracker.User{
			Id: -1, Name: "boss", Active: false, Score: -1e300,
			Address: &tracker.Address{Street: "", City: "Bonn", Zip: 0},
			Roles:   &tracker.ArrayOfString{},
			Email:   runtime.Nillable[string]{Nil: true},
		},
		Email: runtime.Value("zoe@example.com"),
	}
}

// TestRPCEncodedPHPInterop: the generated rpc/encoded client against PHP's
// SoapServer: structs, a nested struct, a recursive optional struct,
// arrays of structs, strings and ints (empty ones too), ints, a long
// beyond 2^53, booleans, doubles, an enumeration and nil values; each
// echo must give back exactly what was sent.
func TestRPCEncodedPHPInterop(t *testing.T) {
	c := newTracker(t, startPHPTracker(t))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	t.Run("scalars", func(t *testing.T) {
		in := &tracker.EchoScalars{Count: -2147483648, Total: 9007199254740993, Flag: true, Ratio: 0.1, Text: "ünïcode <&> \"q\" 'a'\n  two spaces", Priority: tracker.PriorityUrgent}
		out, err := c.EchoScalars(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		want := tracker.EchoScalarsResponse{Count: in.Count, Total: in.Total, Flag: in.Flag, Ratio: in.Ratio, Text: in.Text, Priority: in.Priority}
		if diff := cmp.Diff(&want, out, ignoreXMLName); diff != "" {
			t.Errorf("echoScalars (-sent +got):\n%s", diff)
		}
	})
	t.Run("user", func(t *testing.T) {
		in := sampleUser()
		out, err := c.EchoUser(ctx, &tracker.EchoUser{User: in})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(in, out.Return); diff != "" {
			t.Errorf("echoUser (-sent +got):\n%s", diff)
		}
	})
	t.Run("issues", func(t *testing.T) {
		u := sampleUser()
		in := &tracker.ArrayOfIssue{Item: []tracker.Issue{
			{Key: "PRJ-1", Summary: "first", Votes: 1 << 62, Resolved: true, Priority: tracker.PriorityLow, Reporter: u,
				Watchers: &tracker.ArrayOfUser{Item: []tracker.User{*u, *u.Manager}}, Labels: &tracker.ArrayOfString{Item: []string{"a", "b"}}},
			{Key: "PRJ-2", Summary: "", Votes: -5, Priority: tracker.PriorityNormal, Reporter: u.Manager,
				Watchers: &tracker.ArrayOfUser{}, Labels: &tracker.ArrayOfString{}},
		}}
		out, err := c.EchoIssues(ctx, &tracker.EchoIssues{Issues: in})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(in, out.Return); diff != "" {
			t.Errorf("echoIssues (-sent +got):\n%s", diff)
		}
	})
	t.Run("issue", func(t *testing.T) {
		in := &tracker.Issue{Key: "PRJ-3", Summary: "one", Votes: 3, Priority: tracker.PriorityNormal, Reporter: sampleUser(),
			Watchers: &tracker.ArrayOfUser{Item: []tracker.User{*sampleUser()}}, Labels: &tracker.ArrayOfString{Item: []string{"x"}}}
		out, err := c.EchoIssue(ctx, &tracker.EchoIssue{Issue: in})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(in, out.Return); diff != "" {
			t.Errorf("echoIssue (-sent +got):\n%s", diff)
		}
	})
	t.Run("lists", func(t *testing.T) {
		in := &tracker.EchoLists{Names: &tracker.ArrayOfString{Item: []string{"α", "β", "γ"}}, Numbers: &tracker.ArrayOfInt{Item: []int32{0, -1, 2147483647}}}
		out, err := c.EchoLists(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		want := &tracker.EchoListsResponse{Names: in.Names, Numbers: in.Numbers}
		if diff := cmp.Diff(want, out, ignoreXMLName); diff != "" {
			t.Errorf("echoLists (-sent +got):\n%s", diff)
		}
	})
	t.Run("built by PHP", func(t *testing.T) {
		out, err := c.GetIssue(ctx, &tracker.GetIssue{Token: "t1", Key: "PRJ-9"})
		if err != nil {
			t.Fatal(err)
		}
		u := tracker.User{Id: 7, Name: "reporter-t1", Active: true, Score: 2.5,
			Address: &tracker.Address{Street: "Main St 1", City: "Springfield", Zip: 12345},
			Roles:   &tracker.ArrayOfString{Item: []string{"dev", "ops"}},
			Email:   runtime.Nillable[string]{Nil: true}}
		want := &tracker.Issue{Key: "PRJ-9", Summary: "from PHP", Votes: 9007199254740993, Priority: tracker.PriorityUrgent,
			Reporter: &u, Watchers: &tracker.ArrayOfUser{Item: []tracker.User{u}}, Labels: &tracker.ArrayOfString{}}
		if diff := cmp.Diff(want, out.GetIssueReturn); diff != "" {
			t.Errorf("getIssue (-want +got):\n%s", diff)
		}
	})
}
