package runtime

import (
	"context"
	"errors"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// Credentials say who opens sessions. Build them with Password,
// PasswordFunc or OAuth2ClientCredentials.
type Credentials interface {
	// identity is the non-secret name of the credentials (user name, client
	// id); it keys sessions.
	identity() string
	// password resolves the secret for one login.
	password(ctx context.Context) (string, error)
	// bearer returns an OAuth2 access token, "" for password credentials.
	bearer(ctx context.Context) (string, error)
}

type passwordCreds struct {
	user string
	pass func(context.Context) (string, error)
}

// Password returns static user/password credentials.
func Password(user, pass string) Credentials {
	return &passwordCreds{user: user, pass: func(context.Context) (string, error) { return pass, nil }}
}

// PasswordFunc returns credentials whose password is fetched by f at each
// login, for secrets that rotate (a vault lookup).
func PasswordFunc(user string, f func(ctx context.Context) (string, error)) Credentials {
	return &passwordCreds{user: user, pass: f}
}

func (p *passwordCreds) identity() string { return "user:" + p.user }
func (p *passwordCreds) password(ctx context.Context) (string, error) {
	if p.pass == nil {
		return "", errors.New("runtime: PasswordFunc with a nil function")
	}
	return p.pass(ctx)
}
func (p *passwordCreds) bearer(context.Context) (string, error) { return "", nil }

// oauthCreds caches the client-credentials token for its lifetime: token
// endpoints are rate-limited and a token is good for an hour.
type oauthCreds struct {
	cfg *clientcredentials.Config
	mu  sync.Mutex
	tok *oauth2.Token
}

// OAuth2ClientCredentials returns credentials that send an OAuth2 bearer
// token obtained with the client-credentials grant. The token is cached
// until shortly before it expires.
func OAuth2ClientCredentials(cfg *clientcredentials.Config) Credentials {
	return &oauthCreds{cfg: cfg}
}

func (o *oauthCreds) identity() string {
	if o.cfg == nil {
		return "client:"
	}
	return "client:" + o.cfg.ClientID + "@" + o.cfg.TokenURL
}

func (o *oauthCreds) password(context.Context) (string, error) {
	return "", errors.New("runtime: OAuth2 client credentials have no password; use a profile with HTTP login")
}

// bearer returns the cached token or fetches one. ctx carries the HTTP
// client (oauth2.HTTPClient) so the token request uses the client's
// transport.
func (o *oauthCreds) bearer(ctx context.Context) (string, error) {
	if o.cfg == nil {
		return "", errors.New("runtime: OAuth2ClientCredentials(nil)")
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	// Valid() already keeps a 10 s margin before expiry.
	if o.tok != nil && o.tok.Valid() {
		return o.tok.AccessToken, nil
	}
	tok, err := o.cfg.Token(ctx)
	if err != nil {
		// oauth2 errors quote the token endpoint's answer, never our
		// client secret.
		return "", errors.New("runtime: OAuth2 token request for client " + o.cfg.ClientID + " failed: " + err.Error())
	}
	if tok.Expiry.IsZero() {
		tok.Expiry = time.Now().Add(time.Hour)
	}
	o.tok = tok
	return tok.AccessToken, nil
}
