package runtime

import (
	"context"
	"errors"

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

// OAuth2ClientCredentials returns credentials that send an OAuth2 bearer
// token obtained with the client-credentials grant. The token is cached for
// its lifetime on the client's Clock (less the refresh margin), fetched by
// one caller at a time, and dropped when a server refuses it (see
// oauthtoken.go).
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
