package runtime_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/runtime"
	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// The Metadata and Tooling APIs as the generator compiles the built-in
// profiles salesforce-metadata and salesforce-tooling: no login of their
// own, the lender's session in their own SessionHeader.

type mdListMetadata struct {
	XMLName xml.Name `xml:"http://soap.sforce.com/2006/04/metadata listMetadata"`
	Type    string   `xml:"queries>type"`
}

type mdListMetadataResponse struct {
	Result []struct {
		FullName string `xml:"fullName"`
	} `xml:"result"`
}

type tlQuery struct {
	XMLName     xml.Name `xml:"urn:tooling.soap.sforce.com query"`
	QueryString string   `xml:"queryString"`
}

var (
	mdOpList  = &impl.Operation{Name: "listMetadata", SOAP: impl.SOAP11}
	tlOpQuery = &impl.Operation{Name: "query", SOAP: impl.SOAP11}
)

// lenderProfile is sfProfile with the login result's metadataServerUrl
// lent as "metadata" (templates/salesforce.yaml, login.operation.lend).
func lenderProfile() *impl.Profile {
	p := sfProfile()
	result := p.Login.Result
	p.Login.Result = func(resp any) (impl.LoginResult, error) {
		r, err := result(resp)
		if u := resp.(*sfLoginResponse).Result.MetadataServerURL; u != "" {
			r.Lent = map[string]string{"metadata": u}
		}
		return r, err
	}
	return p
}

func borrowedProfile(name, ns string, b *impl.Borrow) *impl.Profile {
	return &impl.Profile{
		Name:    name,
		Login:   impl.Login{Kind: impl.LoginBorrowed, Borrow: b},
		Send:    []impl.TokenTarget{{Kind: impl.ToSOAPHeader, Header: xml.Name{Space: ns, Local: "SessionHeader"}, Path: []string{"sessionId"}}},
		Gone:    []impl.GoneRule{{FaultCode: "INVALID_SESSION_ID"}},
		Relogin: impl.ReloginAuto,
		Scope:   impl.ScopeShared,
	}
}

func metadataProfile() *impl.Profile {
	return borrowedProfile("salesforce-metadata", fakevendor.NSSalesforceMetadata, &impl.Borrow{Endpoint: "metadata"})
}

func toolingProfile() *impl.Profile {
	return borrowedProfile("salesforce-tooling", fakevendor.NSSalesforceTooling, &impl.Borrow{Rewrite: []impl.Rewrite{
		{From: "/services/Soap/u/", To: "/services/Soap/T/"},
		{From: "/services/Soap/c/", To: "/services/Soap/T/"},
	}})
}

func listMetadata(ctx context.Context, h *harness, c *runtime.Client, typ string) error {
	var out mdListMetadataResponse
	if err := h.err(c.Invoke(ctx, mdOpList, &mdListMetadata{Type: typ}, &out)); err != nil {
		return err
	}
	if len(out.Result) != 1 || out.Result[0].FullName != typ {
		return fmt.Errorf("listMetadata %q answered with %+v", typ, out.Result)
	}
	return nil
}

// A Metadata client and a Tooling client borrow the session of a Partner
// client: the first call of any of them logs in once, through the Partner
// client; each sends to its own endpoint (metadataServerUrl, serverUrl
// rewritten); when the org kills the session, 100 goroutines over the
// three clients meet INVALID_SESSION_ID and exactly one relogin serves
// them all, with no call processed twice. Closing the borrowing clients
// leaves the Partner session alone.
func TestBorrowedSessionOneLoginForAll(t *testing.T) {
	h := newHarness(t)
	sf := newSalesforce(t, fakevendor.SalesforceConfig{})
	partner := h.newClient(service("SforceService", sf.URL(), lenderProfile()),
		runtime.WithEndpoint(sf.URL()), runtime.WithCredentials(runtime.Password("alice@example.com", sfPassword)), runtime.WithClock(sf.Clock()))
	md := h.newClient(service("MetadataService", "https://na1-api.salesforce.com/services/Soap/m/60.0", metadataProfile()), runtime.WithSessionFrom(partner))
	tl := h.newClient(service("SforceService", "https://login.salesforce.com/services/Soap/T/60.0", toolingProfile()), runtime.WithSessionFrom(partner))
	ctx := context.Background()
	if err := listMetadata(ctx, h, md, "warm-up"); err != nil {
		t.Fatal(err)
	}
	if err := h.err(tl.Invoke(ctx, tlOpQuery, &tlQuery{QueryString: "tooling-warm-up"}, nil)); err != nil {
		t.Fatal(err)
	}
	if err := query(ctx, h, partner, "warm-up"); err != nil {
		t.Fatal(err)
	}
	if got := sf.Logins.Load(); got != 1 {
		t.Fatalf("logins = %d after one call on each client, want 1", got)
	}
	sf.KillAll()
	errs := make([]error, 99)
	parallel(len(errs), func(i int) {
		switch q := fmt.Sprintf("after-kill-%d", i); i % 3 {
		case 0:
			errs[i] = listMetadata(ctx, h, md, q)
		case 1:
			errs[i] = h.err(tl.Invoke(ctx, tlOpQuery, &tlQuery{QueryString: q}, nil))
		default:
			errs[i] = query(ctx, h, partner, q)
		}
	})
	if got := firstErrors(errs); len(got) > 0 {
		t.Fatal(got)
	}
	if got := sf.Logins.Load(); got != 2 {
		t.Errorf("logins = %d, want 2: one relogin for the three clients", got)
	}
	if sf.Calls.Load() != 102 || sf.Duplicates.Load() != 0 || sf.RejectedFor(fakevendor.ReasonUnknownOperation) != 0 {
		t.Errorf("calls %d, duplicates %d, rejections %v", sf.Calls.Load(), sf.Duplicates.Load(), sf.Reasons())
	}
	for _, c := range []*runtime.Client{md, tl} {
		if err := c.Close(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := query(ctx, h, partner, "after-close"); err != nil {
		t.Fatalf("the Partner client after the borrowing clients closed: %v", err)
	}
	if err := listMetadata(ctx, h, md, "closed"); err == nil || !strings.Contains(err.Error(), "client is closed") {
		t.Errorf("a call on the closed Metadata client: %v, want client is closed", err)
	}
	if got := sf.Logins.Load(); got != 2 {
		t.Errorf("logins = %d at the end, want 2", got)
	}
	h.noSecrets(sf.Secrets(), []string{sfPassword})
}

// The mistakes a user can make wiring a borrowing client, each refused at
// NewClient with a message that says what to do; and a login result that
// does not name the endpoint is an error of the call, not a call to the
// wrong API.
func TestBorrowedSessionRefusals(t *testing.T) {
	h := newHarness(t)
	sf := newSalesforce(t, fakevendor.SalesforceConfig{})
	partner := h.newClient(service("SforceService", sf.URL(), lenderProfile()),
		runtime.WithEndpoint(sf.URL()), runtime.WithCredentials(runtime.Password("alice@example.com", sfPassword)), runtime.WithClock(sf.Clock()))
	plain := h.newClient(service("Plain", sf.URL(), nil))
	closed, err := runtime.NewClient(service("SforceService", sf.URL(), lenderProfile()),
		runtime.WithCredentials(runtime.Password("alice@example.com", sfPassword)))
	if err != nil {
		t.Fatal(err)
	}
	if err := closed.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	md := service("MetadataService", "https://na1-api.salesforce.com/services/Soap/m/60.0", metadataProfile())
	for _, c := range []struct {
		name string
		svc  *impl.Service
		opts []runtime.Option
		want string
	}{
		{"no lender", md, nil,
			"runtime.NewClient: profile salesforce-metadata borrows the session of a client that logs in, but none was given: pass runtime.WithSessionFrom(loginClient)"},
		{"nil lender", md, []runtime.Option{runtime.WithSessionFrom(nil)},
			"runtime.WithSessionFrom: nil client"},
		{"credentials", md, []runtime.Option{runtime.WithSessionFrom(partner), runtime.WithCredentials(runtime.Password("alice@example.com", sfPassword))},
			"runtime.NewClient: profile salesforce-metadata borrows its session: give runtime.WithCredentials to the client passed to runtime.WithSessionFrom, not to this one"},
		{"not a borrower", service("SforceService", sf.URL(), lenderProfile()),
			[]runtime.Option{runtime.WithSessionFrom(partner), runtime.WithCredentials(runtime.Password("alice@example.com", sfPassword))},
			"runtime.NewClient: profile salesforce opens its own sessions; runtime.WithSessionFrom is only for a profile with login borrowed"},
		{"lender without session", md, []runtime.Option{runtime.WithSessionFrom(plain)},
			"runtime.NewClient: profile salesforce-metadata: the client given with runtime.WithSessionFrom (profile none) has no session to lend: only a shared session opened by a login operation (like profile salesforce) can be borrowed"},
		{"closed lender", md, []runtime.Option{runtime.WithSessionFrom(closed)},
			"runtime.NewClient: profile salesforce-metadata: the client given with runtime.WithSessionFrom (profile salesforce) is closed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := runtime.NewClient(c.svc, c.opts...)
			if err == nil || err.Error() != c.want {
				t.Errorf("NewClient: %v\nwant %s", err, c.want)
			}
		})
	}

	// A lender whose login result lends no "metadata" URL (the profile
	// lacks login.operation.lend): the call fails and is never sent.
	bare := h.newClient(service("SforceService", sf.URL(), sfProfile()),
		runtime.WithEndpoint(sf.URL()), runtime.WithCredentials(runtime.Password("alice@example.com", sfPassword)), runtime.WithClock(sf.Clock()))
	mdc := h.newClient(md, runtime.WithSessionFrom(bare))
	err = listMetadata(context.Background(), h, mdc, "x")
	if want := `runtime: salesforce-metadata: the salesforce login gave no "metadata" endpoint for this client (its LoginResult.Lent has none)`; err == nil || err.Error() != want {
		t.Errorf("call: %v\nwant %s", err, want)
	}
	// A login endpoint no rewrite rule matches.
	odd := borrowedProfile("odd", fakevendor.NSSalesforceTooling, &impl.Borrow{Rewrite: []impl.Rewrite{{From: "/services/Soap/x/", To: "/services/Soap/T/"}}})
	oc := h.newClient(service("Odd", sf.URL(), odd), runtime.WithSessionFrom(partner))
	err = h.err(oc.Invoke(context.Background(), tlOpQuery, &tlQuery{QueryString: "x"}, nil))
	if want := fmt.Sprintf(`runtime: odd: the endpoint %s of the salesforce login contains none of "/services/Soap/x/", so this client's endpoint cannot be derived from it`, sf.ServerURL()); err == nil || err.Error() != want {
		t.Errorf("call: %v\nwant %s", err, want)
	}
	if got := sf.Calls.Load(); got != 0 {
		t.Errorf("the org answered %d calls, want 0", got)
	}
}

// A lender that adopts its session from a shared Store (another client or
// process logged in) still knows the URLs the login lent: they travel in
// the SessionState, so its borrowers call the right endpoint without a
// login of their own.
func TestBorrowedSessionAdoptedFromStore(t *testing.T) {
	h := newHarness(t)
	sf := newSalesforce(t, fakevendor.SalesforceConfig{})
	store := runtime.NewMemoryStore()
	lender := func() *runtime.Client {
		return h.newClient(service("SforceService", sf.URL(), lenderProfile()), runtime.WithStore(store),
			runtime.WithEndpoint(sf.URL()), runtime.WithCredentials(runtime.Password("alice@example.com", sfPassword)), runtime.WithClock(sf.Clock()))
	}
	ctx := context.Background()
	if err := query(ctx, h, lender(), "first process"); err != nil {
		t.Fatal(err)
	}
	md := h.newClient(service("MetadataService", "https://na1-api.salesforce.com/services/Soap/m/60.0", metadataProfile()), runtime.WithSessionFrom(lender()))
	if err := listMetadata(ctx, h, md, "second process"); err != nil {
		t.Fatal(err)
	}
	if got := sf.Logins.Load(); got != 1 {
		t.Errorf("logins = %d, want 1: the second lender adopts the stored session", got)
	}
	h.noSecrets(sf.Secrets(), []string{sfPassword})
}
