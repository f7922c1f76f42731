package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	sfmd "github.com/wsdlsess/wsdlsess/golden/salesforce-metadata"
	sftl "github.com/wsdlsess/wsdlsess/golden/salesforce-tooling-borrowed"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/internal/scenario"
	"github.com/wsdlsess/wsdlsess/runtime"
)

// borrowers builds a Metadata and a Tooling client on the session of the
// Partner client lender, as a user does: NewClient(runtime.WithSessionFrom(partner)).
func borrowers(h *scenario.Harness, lender runtime.SessionSource) (*sfmd.Client, *sftl.Client) {
	h.Helper()
	md, err := sfmd.NewClient(append(h.Options(), runtime.WithSessionFrom(lender))...)
	if err != nil {
		h.Fatal(err)
	}
	h.CloseAtCleanup(md)
	tl, err := sftl.NewClient(append(h.Options(), runtime.WithSessionFrom(lender))...)
	if err != nil {
		h.Fatal(err)
	}
	h.CloseAtCleanup(tl)
	return md, tl
}

func listMetadata(ctx context.Context, h *scenario.Harness, c *sfmd.Client, typ string) error {
	out, err := c.ListMetadata(ctx, &sfmd.ListMetadata{Queries: []sfmd.ListMetadataQuery{{Type: typ}}, AsOfVersion: 60})
	if err != nil {
		return h.Err(err)
	}
	if len(out.Result) != 1 || out.Result[0].FullName != typ {
		return fmt.Errorf("listMetadata %q: unexpected result %+v", typ, out.Result)
	}
	return nil
}

func toolingQuery(ctx context.Context, h *scenario.Harness, c *sftl.Client, q string) error {
	out, err := c.Query(ctx, &sftl.Query{QueryString: q})
	if err != nil {
		return h.Err(err)
	}
	if out.Result == nil || out.Result.Size != 1 {
		return fmt.Errorf("tooling query %q: unexpected result %+v", q, out.Result)
	}
	return nil
}

// The Metadata and Tooling clients, generated with the built-ins
// salesforce-metadata and salesforce-tooling, run on the Partner client's
// session. 100 goroutines over the three clients cross two expiries: the
// org's idle timeout (known to the client from sessionSecondsValid, so it
// logs in before sending) and a session the org kills (each client that
// meets INVALID_SESSION_ID drops that token once; the next call logs in
// once, through the Partner client). Each expiry costs exactly one login,
// every call succeeds exactly once, and each API is called at its own
// endpoint (metadataServerUrl; serverUrl under /services/Soap/T/).
func TestSalesforceBorrowedSessionOneLoginPerExpiry(t *testing.T) {
	h := scenario.New(t)
	org := newOrg(t, fakevendor.SalesforceConfig{Idle: 2 * time.Hour})
	partner := sfClient(h, org, sfPassword, runtime.WithClock(org.Clock()))
	md, tl := borrowers(h, partner)
	ctx := context.Background()
	if err := listMetadata(ctx, h, md, "warm-up"); err != nil {
		t.Fatal(err)
	}
	if got := org.Logins.Load(); got != 1 {
		t.Fatalf("logins = %d after the Metadata client's first call, want 1 (through the Partner client)", got)
	}
	expire := []struct {
		name string
		do   func()
	}{
		{"idle timeout", func() { org.Clock().Advance(3 * time.Hour) }},
		{"killed", func() { org.KillAll() }},
	}
	for round, ex := range expire {
		ex.do()
		errs := make([]error, 100)
		scenario.Parallel(len(errs), func(i int) {
			switch q := fmt.Sprintf("r%d-%d", round, i); i % 3 {
			case 0:
				errs[i] = listMetadata(ctx, h, md, q)
			case 1:
				errs[i] = toolingQuery(ctx, h, tl, "tooling-"+q)
			default:
				errs[i] = query(ctx, h, partner, q)
			}
		})
		if got := scenario.FirstErrors(errs); len(got) > 0 {
			t.Fatalf("%s: %v", ex.name, got)
		}
		if got, want := org.Logins.Load(), int64(round+2); got != want {
			t.Fatalf("%s: logins = %d, want %d: one login per expiry for the three clients", ex.name, got, want)
		}
	}
	if org.Calls.Load() != 201 || org.Duplicates.Load() != 0 || org.RejectedFor(fakevendor.ReasonWrongEndpoint) != 0 || org.RejectedFor(fakevendor.ReasonUnknownOperation) != 0 {
		t.Errorf("calls %d, duplicates %d, rejections %v", org.Calls.Load(), org.Duplicates.Load(), org.Reasons())
	}
	if h.LoginsSeen() != org.Logins.Load() {
		t.Errorf("events report %d logins, the org saw %d", h.LoginsSeen(), org.Logins.Load())
	}
	h.NoSecrets(org.Secrets(), []string{sfPassword})
}

// The Metadata client alone meets the killed session first: it drops the
// token, logs in once through the Partner client, and the Partner client
// then uses the new session without a login of its own.
func TestSalesforceBorrowedRejectionReachesLender(t *testing.T) {
	h := scenario.New(t)
	org := newOrg(t, fakevendor.SalesforceConfig{})
	partner := sfClient(h, org, sfPassword)
	md, _ := borrowers(h, partner)
	ctx := context.Background()
	if err := query(ctx, h, partner, "before"); err != nil {
		t.Fatal(err)
	}
	org.KillAll()
	if err := listMetadata(ctx, h, md, "after-kill"); err != nil {
		t.Fatal(err)
	}
	if err := query(ctx, h, partner, "after"); err != nil {
		t.Fatal(err)
	}
	if got := org.Logins.Load(); got != 2 {
		t.Errorf("logins = %d, want 2", got)
	}
	if got := org.RejectedFor(fakevendor.ReasonKilled); got != 1 {
		t.Errorf("rejected for a killed session: %d, want 1 (the Metadata call, resent once)", got)
	}
	h.NoSecrets(org.Secrets(), []string{sfPassword})
}
