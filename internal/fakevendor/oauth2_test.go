package fakevendor

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

func tokenRequest(t *testing.T, o *OAuth2, id, secret string, inHeader bool) (*http.Response, map[string]any) {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}}
	if !inHeader {
		form.Set("client_id", id)
		form.Set("client_secret", secret)
	}
	req, _ := http.NewRequest(http.MethodPost, o.TokenURL(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if inHeader {
		req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp, body
}

func TestOAuth2IssuesAndValidates(t *testing.T) {
	o := NewOAuth2(OAuth2Config{Clients: map[string]string{"svc": "svc secret&="}, Lifetime: time.Hour})
	t.Cleanup(o.Close)
	for _, inHeader := range []bool{true, false} {
		resp, body := tokenRequest(t, o, "svc", "svc secret&=", inHeader)
		if resp.StatusCode != 200 || body["token_type"] != "Bearer" || body["expires_in"] != float64(3600) {
			t.Fatalf("token (header=%v): %d %v", inHeader, resp.StatusCode, body)
		}
		tok := body["access_token"].(string)
		if c, ok := o.Validate(tok); !ok || c != "svc" {
			t.Errorf("Validate = %q %v", c, ok)
		}
		o.Clock().Advance(time.Hour)
		if _, ok := o.Validate(tok); ok {
			t.Errorf("token valid after its lifetime")
		}
	}
	if resp, body := tokenRequest(t, o, "svc", "wrong", true); resp.StatusCode != 401 || body["error"] != "invalid_client" {
		t.Errorf("bad secret: %d %v", resp.StatusCode, body)
	}
	if o.Requests.Load() != 3 || o.Issued.Load() != 2 || o.Refused.Load() != 1 {
		t.Errorf("counts: %d %d %d", o.Requests.Load(), o.Issued.Load(), o.Refused.Load())
	}
}

func TestOAuth2RateLimit(t *testing.T) {
	o := NewOAuth2(OAuth2Config{Clients: map[string]string{"svc": "s"}, RateLimit: 2, RateWindow: time.Minute})
	t.Cleanup(o.Close)
	for i := range 3 {
		resp, _ := tokenRequest(t, o, "svc", "s", true)
		want := 200
		if i == 2 {
			want = http.StatusTooManyRequests
		}
		if resp.StatusCode != want {
			t.Fatalf("request %d: %d, want %d", i, resp.StatusCode, want)
		}
	}
	o.Clock().Advance(time.Minute)
	if resp, _ := tokenRequest(t, o, "svc", "s", true); resp.StatusCode != 200 {
		t.Errorf("after the window: %d", resp.StatusCode)
	}
	if o.Limited.Load() != 1 {
		t.Errorf("Limited = %d", o.Limited.Load())
	}
}

// The real x/oauth2 client speaks to the fake.
func TestOAuth2WithClientCredentials(t *testing.T) {
	o := NewOAuth2(OAuth2Config{Clients: map[string]string{"svc": "s"}})
	t.Cleanup(o.Close)
	cfg := clientcredentials.Config{ClientID: "svc", ClientSecret: "s", TokenURL: o.TokenURL(), AuthStyle: oauth2.AuthStyleInHeader}
	tok, err := cfg.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := o.Validate(tok.AccessToken); !ok {
		t.Errorf("issued token does not validate")
	}
}
