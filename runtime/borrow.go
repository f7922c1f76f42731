package runtime

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
)

// SessionSource is a client whose session other clients borrow (see
// WithSessionFrom). *Client is one; so is every generated client whose
// profile logs in with an operation, through its SessionSource method.
type SessionSource interface {
	SessionSource() *Client
}

// SessionSource returns c: a *Client lends its own session.
func (c *Client) SessionSource() *Client { return c }

// WithSessionFrom makes a client whose profile borrows its session (login
// borrowed: the Salesforce Metadata, Tooling and Apex APIs) use the session
// of src, the client that logs in (a Partner or Enterprise client). Both
// share one session: src's login opens it, a "session gone" answer to
// either client drops that token once, and the next call of either logs in
// once, through src. Calls go to the endpoint src's login names for this
// API (Salesforce metadataServerUrl), not to the WSDL's address.
//
// The session, its Store and its events are src's: pass WithCredentials,
// WithStore and WithEvents to src. Close src after the clients that borrow
// from it; closing a borrowing client leaves src's session alone.
func WithSessionFrom(src SessionSource) Option {
	return func(c *config) error {
		if src == nil {
			return errors.New("runtime.WithSessionFrom: nil client")
		}
		l := src.SessionSource()
		if l == nil {
			return errors.New("runtime.WithSessionFrom: nil client")
		}
		c.lender = l
		return nil
	}
}

// borrowFrom checks the client given with WithSessionFrom and returns the
// client that logs in for e (the lender of a lender that borrows too).
func (e *engine) borrowFrom(l *Client) (*Client, error) {
	where := "runtime.NewClient: profile " + e.profileName
	if e.p.Login.Kind != impl.LoginBorrowed {
		return nil, fmt.Errorf("%s opens its own sessions; runtime.WithSessionFrom is only for a profile with login borrowed", where)
	}
	l = l.root
	if l.e.lender != nil {
		l = l.e.lender
	}
	lp := l.e.p
	if lp.Login.Kind != impl.LoginOperation || lp.Scope != impl.ScopeShared || lp.Rotate || l.pool == nil {
		return nil, fmt.Errorf("%s: the client given with runtime.WithSessionFrom (profile %s) has no session to lend: only a shared session opened by a login operation (like profile salesforce) can be borrowed", where, lp.Name)
	}
	if l.isClosed() {
		return nil, fmt.Errorf("%s: the client given with runtime.WithSessionFrom (profile %s) is closed", where, lp.Name)
	}
	return l, nil
}

// borrowedURL is where a call of a borrowing client goes with session s:
// the URL the lender's login names for it (Borrow.Endpoint), rewritten by
// Borrow.Rewrite.
func (e *engine) borrowedURL(s *session) (string, error) {
	b := e.p.Login.Borrow
	if b == nil {
		b = &impl.Borrow{}
	}
	lender := e.lender.e
	base, what := s.endpoint, "endpoint"
	if base == "" {
		base = lender.endpoint
	}
	if b.Endpoint != "" {
		base, what = s.lent[b.Endpoint], fmt.Sprintf("%q endpoint", b.Endpoint)
		if base == "" {
			return "", fmt.Errorf("runtime: %s: the %s login gave no %s for this client (its LoginResult.Lent has none)", e.profileName, lender.profileName, what)
		}
	}
	if len(b.Rewrite) == 0 {
		return base, nil
	}
	froms := make([]string, 0, len(b.Rewrite))
	for _, r := range b.Rewrite {
		if i := strings.Index(base, r.From); r.From != "" && i >= 0 {
			return base[:i] + r.To + base[i+len(r.From):], nil
		}
		froms = append(froms, fmt.Sprintf("%q", r.From))
	}
	return "", fmt.Errorf("runtime: %s: the %s %s of the %s login contains none of %s, so this client's endpoint cannot be derived from it", e.profileName, what, base, lender.profileName, strings.Join(froms, ", "))
}
