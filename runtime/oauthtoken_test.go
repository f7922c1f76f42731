package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// tokenServer issues numbered bearer tokens (tok-1, tok-2, …) valid for
// lifetime seconds; a resource server accepts only the tokens in good.
type tokenServer struct {
	requests atomic.Int64
	status   atomic.Int64 // answer this status instead of a token when set
	// retryAfter is sent with a status answer when set.
	retryAfter string
	// gate, when set, holds every token request until closed; entered
	// gets one value per request that reached the server.
	gate    chan struct{}
	entered chan struct{}

	mu   sync.Mutex
	good map[string]bool
}

func newTokenServer(t *testing.T, lifetime int) (*tokenServer, *httptest.Server) {
	ts := &tokenServer{good: map[string]bool{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := ts.requests.Add(1)
		if ts.gate != nil {
			ts.entered <- struct{}{}
			<-ts.gate
		}
		if st := ts.status.Load(); st != 0 {
			if ts.retryAfter != "" {
				w.Header().Set("Retry-After", ts.retryAfter)
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(int(st))
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client"})
			return
		}
		tok := fmt.Sprintf("tok-%d-secret", n)
		ts.mu.Lock()
		ts.good[tok] = true
		ts.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": lifetime})
	}))
	t.Cleanup(srv.Close)
	return ts, srv
}

func (ts *tokenServer) revokeAll() {
	ts.mu.Lock()
	ts.good = map[string]bool{}
	ts.mu.Unlock()
}

// bearerServer is a resource server without sessions: every call must
// carry a good bearer token, else 401.
func bearerServer(t *testing.T, ts *tokenServer, refused *atomic.Int64) *httptest.Server {
	return server(t, func(w http.ResponseWriter, q *soapReq) {
		tok, _ := strings.CutPrefix(q.r.Header.Get("Authorization"), "Bearer ")
		ts.mu.Lock()
		ok := ts.good[tok]
		ts.mu.Unlock()
		if !ok {
			refused.Add(1)
			http.Error(w, "invalid bearer token", http.StatusUnauthorized)
			return
		}
		writeSOAP(w, 200, "", echoBody("ok", ""))
	})
}

func oauthCallProfile() *impl.Profile {
	return &impl.Profile{Name: "bearer", Login: impl.Login{Kind: impl.LoginHTTP}, Scope: impl.ScopeCall}
}

// The cached token expires on the client's Clock, less the refresh margin
// (at least 10 s): real time plays no part.
func TestOAuth2TokenExpiresOnClientClock(t *testing.T) {
	ts, tsrv := newTokenServer(t, 3600)
	var refused atomic.Int64
	srv := bearerServer(t, ts, &refused)
	clk := newFakeClock()
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL, Profile: oauthCallProfile()},
		WithCredentials(OAuth2ClientCredentials(&clientcredentials.Config{ClientID: "app", ClientSecret: "app-secret-1", TokenURL: tsrv.URL})),
		WithClock(clk), WithRefreshMargin(5*time.Minute))
	call := func() {
		t.Helper()
		if _, err := echo(c, t.Context(), "x"); err != nil {
			t.Fatal(err)
		}
	}
	call()
	clk.Advance(54*time.Minute + 59*time.Second) // 1 s before lifetime - margin
	call()
	if ts.requests.Load() != 1 {
		t.Fatalf("token requests = %d before lifetime - margin, want 1", ts.requests.Load())
	}
	clk.Advance(time.Second)
	call()
	if ts.requests.Load() != 2 || refused.Load() != 0 {
		t.Errorf("token requests = %d, refused %d; want 2 and 0", ts.requests.Load(), refused.Load())
	}
}

// A revoked token is dropped on the 401 and the call sent once more with a
// fresh one; a fresh token refused is not fetched again in a loop.
func TestOAuth2RefusedTokenDroppedAndResentOnce(t *testing.T) {
	ts, tsrv := newTokenServer(t, 3600)
	var refused atomic.Int64
	srv := bearerServer(t, ts, &refused)
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL, Profile: oauthCallProfile()},
		WithCredentials(OAuth2ClientCredentials(&clientcredentials.Config{ClientID: "app", ClientSecret: "app-secret-1", TokenURL: tsrv.URL})),
		WithClock(newFakeClock()))
	if _, err := echo(c, t.Context(), "x"); err != nil {
		t.Fatal(err)
	}
	ts.revokeAll()
	if _, err := echo(c, t.Context(), "after revocation"); err != nil {
		t.Fatalf("after revocation: %v", err)
	}
	if ts.requests.Load() != 2 || refused.Load() != 1 {
		t.Fatalf("token requests %d, refused %d; want 2 and 1", ts.requests.Load(), refused.Load())
	}
	// A resource server that refuses every token: the fresh token's
	// refusal is the answer, with no second fetch.
	srvRefusesAll := bearerServer(t, &tokenServer{good: map[string]bool{}}, &refused)
	c2 := mustClient(t, &impl.Service{Name: "S", Endpoint: srvRefusesAll.URL, Profile: oauthCallProfile()},
		WithCredentials(OAuth2ClientCredentials(&clientcredentials.Config{ClientID: "app", ClientSecret: "app-secret-1", TokenURL: tsrv.URL})),
		WithClock(newFakeClock()))
	before := ts.requests.Load()
	_, err := echo(c2, t.Context(), "never")
	var he *HTTPError
	if !errors.As(err, &he) || he.StatusCode != http.StatusUnauthorized {
		t.Fatalf("got %v, want the 401", err)
	}
	if got := ts.requests.Load() - before; got != 1 {
		t.Errorf("token requests for a fresh token refused = %d, want 1 (no loop)", got)
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("error shows a secret: %v", err)
	}
}

// Many callers with no token meet one token request; a caller whose ctx
// ends while it waits returns at once, and the fetch goes on for the
// others.
func TestOAuth2OneFetchInFlight(t *testing.T) {
	ts, tsrv := newTokenServer(t, 3600)
	ts.gate, ts.entered = make(chan struct{}), make(chan struct{}, 10)
	var once sync.Once
	open := func() { once.Do(func() { close(ts.gate) }) }
	t.Cleanup(open)
	var refused atomic.Int64
	srv := bearerServer(t, ts, &refused)
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL, Profile: oauthCallProfile()},
		WithCredentials(OAuth2ClientCredentials(&clientcredentials.Config{ClientID: "app", ClientSecret: "app-secret-1", TokenURL: tsrv.URL})),
		WithClock(newFakeClock()))
	ctx, cancel := context.WithCancel(t.Context())
	cancelled := make(chan error, 1)
	go func() { _, err := echo(c, ctx, "cancelled"); cancelled <- err }()
	<-ts.entered // the fetch is at the token endpoint
	const n = 30
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); _, errs[i] = echo(c, t.Context(), "w") }()
	}
	cancel()
	if err := <-cancelled; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled caller: %v, want context.Canceled", err)
	}
	open()
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("caller %d: %v", i, err)
		}
	}
	if ts.requests.Load() != 1 {
		t.Errorf("token requests = %d, want 1", ts.requests.Load())
	}
}

// A token endpoint that refuses the client (bad secret, rate limit) is
// asked once: the sessions' callers get that refusal from memory for the
// login backoff, on the Clock.
func TestOAuth2TokenRefusalBacksOff(t *testing.T) {
	ts, tsrv := newTokenServer(t, 3600)
	ts.status.Store(http.StatusUnauthorized)
	s, srv := newCKServer(t)
	clk := newFakeClock()
	rec := &recorder{}
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL + "/svc/e", Profile: ckTestProfile(impl.ScopeShared)},
		WithCredentials(OAuth2ClientCredentials(&clientcredentials.Config{ClientID: "app", ClientSecret: "wrong-secret-2", TokenURL: tsrv.URL,
			// Auto-detection would try the secret a second way on a refusal.
			AuthStyle: oauth2.AuthStyleInHeader})),
		WithClock(clk), WithEvents(rec.add))
	for range 3 {
		_, err := echo(c, t.Context(), "x")
		if err == nil || !strings.Contains(err.Error(), "OAuth2 token request") || strings.Contains(err.Error(), "wrong-secret-2") {
			t.Fatalf("got %v, want the token endpoint's refusal without the secret", err)
		}
	}
	if ts.requests.Load() != 1 || s.opens.Load() != 0 || rec.count(EventLoginFailed) != 1 {
		t.Errorf("token requests %d, sessions %d, login-failed events %d; want 1, 0, 1",
			ts.requests.Load(), s.opens.Load(), rec.count(EventLoginFailed))
	}
	clk.Advance(loginBackoff)
	_, _ = echo(c, t.Context(), "x")
	if ts.requests.Load() != 2 {
		t.Errorf("token requests = %d after the backoff, want 2", ts.requests.Load())
	}
}

// Without sessions (ScopeCall) a refusing token endpoint is asked once per
// backoff too, and a rate limit's Retry-After holds it back longer.
func TestOAuth2TokenRefusalRemembered(t *testing.T) {
	ts, tsrv := newTokenServer(t, 3600)
	var refused atomic.Int64
	srv := bearerServer(t, ts, &refused)
	clk := newFakeClock()
	ts.status.Store(http.StatusTooManyRequests)
	ts.retryAfter = "120"
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL, Profile: oauthCallProfile()},
		WithCredentials(OAuth2ClientCredentials(&clientcredentials.Config{ClientID: "app", ClientSecret: "app-secret-1", TokenURL: tsrv.URL,
			AuthStyle: oauth2.AuthStyleInHeader})),
		WithClock(clk))
	for range 3 {
		if _, err := echo(c, t.Context(), "x"); err == nil || !strings.Contains(err.Error(), "429") {
			t.Fatalf("got %v, want the token endpoint's 429", err)
		}
	}
	clk.Advance(119 * time.Second) // within Retry-After
	_, _ = echo(c, t.Context(), "x")
	if ts.requests.Load() != 1 {
		t.Fatalf("token requests = %d within Retry-After, want 1", ts.requests.Load())
	}
	ts.status.Store(0)
	clk.Advance(time.Second)
	if _, err := echo(c, t.Context(), "x"); err != nil {
		t.Fatal(err)
	}
	if ts.requests.Load() != 2 || refused.Load() != 0 {
		t.Errorf("token requests %d, refused calls %d; want 2 and 0", ts.requests.Load(), refused.Load())
	}
}

// The caller leading a session's login gives up while the OAuth2 token is
// being fetched: the callers waiting for that login are not failed with
// its cancellation; one of them leads, and the one token request serves.
func TestOAuth2LeaderCancelsWhileTokenInFlight(t *testing.T) {
	ts, tsrv := newTokenServer(t, 3600)
	ts.gate, ts.entered = make(chan struct{}), make(chan struct{}, 10)
	var once sync.Once
	open := func() { once.Do(func() { close(ts.gate) }) }
	t.Cleanup(open)
	s, srv := newCKServer(t)
	s.bearer = "tok-1-secret" // the first token the token server issues
	c := mustClient(t, &impl.Service{Name: "S", Endpoint: srv.URL + "/svc/e", Profile: ckTestProfile(impl.ScopeShared)},
		WithCredentials(OAuth2ClientCredentials(&clientcredentials.Config{ClientID: "app", ClientSecret: "app-secret-1", TokenURL: tsrv.URL})),
		WithClock(newFakeClock()))
	ctx, cancel := context.WithCancel(t.Context())
	leader := make(chan error, 1)
	go func() { _, err := echo(c, ctx, "leader"); leader <- err }()
	<-ts.entered
	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); _, errs[i] = echo(c, t.Context(), "w") }()
	}
	cancel()
	if err := <-leader; !errors.Is(err, context.Canceled) {
		t.Errorf("leader: %v, want context.Canceled", err)
	}
	open()
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("waiter %d: %v", i, err)
		}
	}
	if ts.requests.Load() != 1 || s.opens.Load() != 1 {
		t.Errorf("token requests %d, sessions %d; want 1 and 1", ts.requests.Load(), s.opens.Load())
	}
}
