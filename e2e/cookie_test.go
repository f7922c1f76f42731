package e2e

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	sap "github.com/wsdlsess/wsdlsess/golden/cookie-sap"
	"github.com/wsdlsess/wsdlsess/internal/fakevendor"
	"github.com/wsdlsess/wsdlsess/internal/scenario"
	"github.com/wsdlsess/wsdlsess/runtime"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

const (
	ckUser     = "PI_USER"
	ckPassword = "pw-SAP-4e11"
)

var sapResponses = map[string]string{"SalesOrderByIDQuery_sync": "SalesOrderByIDResponse_sync", "SalesOrderCreateRequest_sync": "SalesOrderCreateConfirmation_sync"}

func readOrders(t *testing.T, h *scenario.Harness, c *sap.Client, prefix string, n int) {
	t.Helper()
	errs := make([]error, n)
	scenario.Parallel(n, func(i int) {
		_, errs[i] = c.SalesOrderRead(context.Background(), &sap.SalesOrderByIDQuerySync{SalesOrderID: fmt.Sprintf("%s-%d", prefix, i)})
		h.Err(errs[i])
	})
	if got := scenario.FirstErrors(errs); len(got) > 0 {
		t.Fatal(got)
	}
}

// HTTP Basic on the first request, then the JSESSIONID cookie; a dropped
// session (401) costs one login for 50 waiting goroutines.
func TestCookieBasicSharedSession(t *testing.T) {
	h := scenario.New(t)
	srv := fakevendor.NewCookie(fakevendor.CookieConfig{Users: map[string]string{ckUser: ckPassword}, ResponseNames: sapResponses})
	t.Cleanup(srv.Close)
	c, err := sap.NewClient(append(h.Options(), runtime.WithEndpoint(srv.URL()), runtime.WithCredentials(runtime.Password(ckUser, ckPassword)))...)
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(c)
	readOrders(t, h, c, "a", 50)
	srv.KillAll()
	readOrders(t, h, c, "b", 50)
	if srv.Logins.Load() != 2 || srv.Calls.Load() != 100 || srv.Duplicates.Load() != 0 || srv.AuthWithCookie.Load() != 0 {
		t.Errorf("logins %d (want 2), calls %d, duplicates %d, auth sent with a live cookie %d", srv.Logins.Load(), srv.Calls.Load(), srv.Duplicates.Load(), srv.AuthWithCookie.Load())
	}
	h.NoSecrets(srv.Secrets(), []string{ckPassword})
}

// The same generated client with OAuth2 client credentials instead of a
// password: one token, one session.
func TestCookieOAuth2(t *testing.T) {
	h := scenario.New(t)
	as := fakevendor.NewOAuth2(fakevendor.OAuth2Config{Clients: map[string]string{"billing": "oauth-secret-77aa"}})
	t.Cleanup(as.Close)
	srv := fakevendor.NewCookie(fakevendor.CookieConfig{OAuth: as, ResponseNames: sapResponses})
	t.Cleanup(srv.Close)
	cfg := &clientcredentials.Config{ClientID: "billing", ClientSecret: "oauth-secret-77aa", TokenURL: as.TokenURL(), AuthStyle: oauth2.AuthStyleInHeader}
	c, err := sap.NewClient(append(h.Options(), runtime.WithEndpoint(srv.URL()), runtime.WithCredentials(runtime.OAuth2ClientCredentials(cfg)))...)
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(c)
	readOrders(t, h, c, "o", 40)
	if srv.Logins.Load() != 1 || as.Issued.Load() != 1 {
		t.Errorf("logins %d, tokens issued %d; want 1 and 1", srv.Logins.Load(), as.Issued.Load())
	}
	h.NoSecrets(srv.Secrets(), as.Secrets(), []string{"oauth-secret-77aa"})
}

// The SAP splitter case: 50 calls fanned out at once inside one fresh
// Exchange open exactly one session, which the exchange keeps to itself.
func TestCookieExchangeFanOutOneSession(t *testing.T) {
	h := scenario.New(t)
	srv := fakevendor.NewCookie(fakevendor.CookieConfig{Users: map[string]string{ckUser: ckPassword}, ResponseNames: sapResponses})
	t.Cleanup(srv.Close)
	c, err := sap.NewClient(append(h.Options(), runtime.WithEndpoint(srv.URL()), runtime.WithCredentials(runtime.Password(ckUser, ckPassword)))...)
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(c)
	ex := c.Exchange()
	readOrders(t, h, ex, "x", 50)
	if err := ex.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if srv.Logins.Load() != 1 || srv.Calls.Load() != 50 {
		t.Errorf("logins %d (want 1), calls %d", srv.Logins.Load(), srv.Calls.Load())
	}
	h.NoSecrets(srv.Secrets(), []string{ckPassword})
}

// sapClient is a cookie-sap client of srv with the given credentials.
func sapClient(t *testing.T, h *scenario.Harness, srv *fakevendor.Cookie, cr runtime.Credentials, opts ...runtime.Option) *sap.Client {
	t.Helper()
	c, err := sap.NewClient(append(append(h.Options(), runtime.WithEndpoint(srv.URL()), runtime.WithCredentials(cr), runtime.WithClock(srv.Clock())), opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	h.CloseAtCleanup(c)
	return c
}

// Two identities on one store never share a session: every call is served
// as the identity that made it, and each identity logs in once. The cookie
// is scoped to /http, as the server sets it, and must still reach the
// endpoint below it.
func TestCookieTwoIdentitiesOneStore(t *testing.T) {
	h := scenario.New(t)
	const bob, bobPassword = "PI_BOB", "pw-SAP-Bob-91f2"
	srv := fakevendor.NewCookie(fakevendor.CookieConfig{Users: map[string]string{ckUser: ckPassword, bob: bobPassword}, CookiePath: "/http", ResponseNames: sapResponses})
	t.Cleanup(srv.Close)
	store := runtime.NewMemoryStore()
	clients := []*sap.Client{
		sapClient(t, h, srv, runtime.Password(ckUser, ckPassword), runtime.WithStore(store)),
		sapClient(t, h, srv, runtime.Password(bob, bobPassword), runtime.WithStore(store)),
	}
	errs := make([]error, 200)
	scenario.Parallel(200, func(i int) {
		_, errs[i] = clients[i%2].SalesOrderRead(context.Background(), &sap.SalesOrderByIDQuerySync{SalesOrderID: fmt.Sprint("m", i)})
		h.Err(errs[i])
	})
	if got := scenario.FirstErrors(errs); len(got) > 0 {
		t.Fatal(got)
	}
	if srv.Violations.Load() != 0 || srv.RejectedFor(fakevendor.ReasonOtherUser) != 0 {
		t.Errorf("a session was used by another identity: violations %d, rejections %v", srv.Violations.Load(), srv.Reasons())
	}
	if srv.Logins.Load() != 2 || srv.Calls.Load() != 200 {
		t.Errorf("sessions opened %d (want 2, one per identity), calls %d (want 200)", srv.Logins.Load(), srv.Calls.Load())
	}
	h.NoSecrets(srv.Secrets(), []string{ckPassword, bobPassword})
}

// OAuth2 client credentials: the token is fetched once and reused for its
// lifetime, also across new cookie sessions, within the token endpoint's
// rate limit (one request an hour).
func TestCookieOAuth2TokenReuse(t *testing.T) {
	h := scenario.New(t)
	as := fakevendor.NewOAuth2(fakevendor.OAuth2Config{Clients: map[string]string{"billing": "oauth-secret-77aa"}, RateLimit: 1, RateWindow: time.Hour})
	t.Cleanup(as.Close)
	srv := fakevendor.NewCookie(fakevendor.CookieConfig{OAuth: as, Clock: as.Clock(), ResponseNames: sapResponses})
	t.Cleanup(srv.Close)
	cfg := &clientcredentials.Config{ClientID: "billing", ClientSecret: "oauth-secret-77aa", TokenURL: as.TokenURL(), AuthStyle: oauth2.AuthStyleInHeader}
	c := sapClient(t, h, srv, runtime.OAuth2ClientCredentials(cfg))
	for round := range 4 {
		readOrders(t, h, c, fmt.Sprint("r", round), 50)
		srv.KillAll() // the next round needs a new cookie session
	}
	if as.Requests.Load() != 1 || as.Limited.Load() != 0 {
		t.Errorf("token requests %d (rate-limited %d), want 1 and 0", as.Requests.Load(), as.Limited.Load())
	}
	if srv.Logins.Load() != 4 {
		t.Errorf("cookie sessions opened = %d, want 4 (one per round)", srv.Logins.Load())
	}
	h.NoSecrets(srv.Secrets(), as.Secrets(), []string{"oauth-secret-77aa"})
}

// After the token's lifetime (on the client's clock) the client fetches a
// new token instead of presenting the expired one, and a token the
// resource server refuses (revoked) is presented once and then dropped.
// Bursts of callers meet one token request each time: the token endpoint
// is never hammered.
func TestCookieOAuth2TokenExpiry(t *testing.T) {
	h := scenario.New(t)
	as := fakevendor.NewOAuth2(fakevendor.OAuth2Config{Clients: map[string]string{"billing": "oauth-secret-77aa"}, Lifetime: time.Hour})
	t.Cleanup(as.Close)
	srv := fakevendor.NewCookie(fakevendor.CookieConfig{OAuth: as, Clock: as.Clock(), Idle: 10 * time.Minute, ResponseNames: sapResponses})
	t.Cleanup(srv.Close)
	cfg := &clientcredentials.Config{ClientID: "billing", ClientSecret: "oauth-secret-77aa", TokenURL: as.TokenURL(), AuthStyle: oauth2.AuthStyleInHeader}
	c := sapClient(t, h, srv, runtime.OAuth2ClientCredentials(cfg))
	readOrders(t, h, c, "first", 50)
	srv.Clock().Advance(61 * time.Minute) // cookie session and token both expired
	readOrders(t, h, c, "after-expiry", 50)
	if as.Requests.Load() != 2 || srv.RejectedFor(fakevendor.ReasonBadToken) != 0 {
		t.Errorf("token requests %d, expired tokens presented %d; want 2 (one per lifetime) and 0", as.Requests.Load(), srv.RejectedFor(fakevendor.ReasonBadToken))
	}
	as.RevokeAll()
	srv.KillAll()
	readOrders(t, h, c, "after-revocation", 50)
	if as.Requests.Load() != 3 || srv.RejectedFor(fakevendor.ReasonBadToken) != 1 {
		t.Errorf("token requests %d, revoked token presented %d times; want 3 and 1", as.Requests.Load(), srv.RejectedFor(fakevendor.ReasonBadToken))
	}
	if srv.Logins.Load() != 3 {
		t.Errorf("cookie sessions opened = %d, want 3", srv.Logins.Load())
	}
	h.NoSecrets(srv.Secrets(), as.Secrets(), []string{"oauth-secret-77aa"})
}

// When the caller whose request carries the credentials (the login leader
// of an HTTP-auth session) gives up, a waiter leads the next login: every
// waiter still gets a session, there is no login storm, and a leader that
// gave up is no failed login.
func TestCookieLeaderCancels(t *testing.T) {
	h := scenario.New(t)
	entered, hold := make(chan struct{}), make(chan struct{})
	var once sync.Once
	release := func() { once.Do(func() { close(hold) }) }
	var armed atomic.Bool
	armed.Store(true)
	srv := fakevendor.NewCookie(fakevendor.CookieConfig{Users: map[string]string{ckUser: ckPassword}, ResponseNames: sapResponses, OnCall: func(string) {
		if armed.CompareAndSwap(true, false) {
			close(entered)
			<-hold
		}
	}})
	t.Cleanup(srv.Close)
	t.Cleanup(release) // runs before srv.Close: never leave a handler blocked
	c := sapClient(t, h, srv, runtime.Password(ckUser, ckPassword))
	read := func(ctx context.Context, id string) error {
		_, err := c.SalesOrderRead(ctx, &sap.SalesOrderByIDQuerySync{SalesOrderID: id})
		return h.Err(err)
	}
	ctxA, cancelA := context.WithCancel(context.Background())
	doneA := make(chan error, 1)
	go func() { doneA <- read(ctxA, "leader") }()
	<-entered // the leader's authenticated request is at the server
	errs := make([]error, 20)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = read(context.Background(), fmt.Sprint("w", i))
		}()
	}
	cancelA()
	if err := <-doneA; !errors.Is(err, context.Canceled) {
		t.Errorf("the cancelled leader got %v, want context.Canceled", err)
	}
	release()
	wg.Wait()
	if got := scenario.FirstErrors(errs); len(got) > 0 {
		t.Fatal(got)
	}
	// The leader's session was opened on the server, but its answer never
	// reached the client: one more login, and no more.
	if l := srv.Logins.Load(); l > 2 {
		t.Errorf("logins = %d, want at most 2", l)
	}
	if n := h.CountEvents(runtime.EventLoginFailed); n != 0 {
		t.Errorf("login-failed events = %d, want 0", n)
	}
	h.NoSecrets(srv.Secrets(), []string{ckPassword})
}
