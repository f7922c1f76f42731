package roundtrip_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	tracker "github.com/wsdlsess/wsdlsess/golden/rpc-encoded"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// serveSample answers every call with the sample file.
func serveSample(t *testing.T, path string) *tracker.Client {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return newTracker(t, srv.URL)
}

// TestRPCEncodedAxisMultiRefSample: the generated client decodes an Axis 1
// answer whose values are multiRef elements after the wrapper.
func TestRPCEncodedAxisMultiRefSample(t *testing.T) {
	c := serveSample(t, "../../../testdata/wsdl/rpc-encoded/samples/get-issue-multiref.xml")
	out, err := c.GetIssue(context.Background(), &tracker.GetIssue{Token: "t", Key: "TRK-7"})
	if err != nil {
		t.Fatal(err)
	}
	zoe := func() *tracker.User {
		return &tracker.User{Id: 1, Name: "zoë", Active: true, Score: 1.5,
			Address: &tracker.Address{Street: "Main St 1", City: "Springfield", Zip: 12345},
			Roles:   &tracker.ArrayOfString{Item: []string{"admin", "dev"}}, Email: runtime.Nillable[string]{Nil: true}}
	}
	max := tracker.User{Id: 2, Name: "max", Score: -0.5, Roles: &tracker.ArrayOfString{}, Manager: zoe(), Email: runtime.Value("max@example.com")}
	want := &tracker.Issue{Key: "TRK-7", Summary: "Crash on <save>", Votes: 9007199254740993, Priority: tracker.PriorityUrgent,
		Reporter: zoe(), Watchers: &tracker.ArrayOfUser{Item: []tracker.User{*zoe(), max}}, Labels: &tracker.ArrayOfString{}}
	if diff := cmp.Diff(want, out.GetIssueReturn); diff != "" {
		t.Errorf("getIssue (-want +got):\n%s", diff)
	}
}

// TestRPCEncodedPHPSample: a PHP SoapServer answer (arrays typed by their
// schema type, SOAP-ENC prefix) decodes.
func TestRPCEncodedPHPSample(t *testing.T) {
	c := serveSample(t, "../../../testdata/wsdl/rpc-encoded/samples/echo-lists-response.xml")
	out, err := c.EchoLists(context.Background(), &tracker.EchoLists{})
	if err != nil {
		t.Fatal(err)
	}
	want := &tracker.EchoListsResponse{Names: &tracker.ArrayOfString{Item: []string{"α", "β", "γ"}}, Numbers: &tracker.ArrayOfInt{Item: []int32{0, -1, 2147483647}}}
	if diff := cmp.Diff(want, out, ignoreXMLName); diff != "" {
		t.Errorf("echoLists (-want +got):\n%s", diff)
	}
}
