package runtime

import (
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"strings"
)

// Values that hold a secret (credentials, a session's token and cookies,
// a login's token) print it as [redacted] in every fmt verb (%v %+v %#v
// %s %q), through slog (text and JSON handlers: LogValue) and through
// String/GoString, so that logging a value by mistake leaks nothing.
// SessionState and StoredCookie keep their JSON encoding whole: it is the
// Store's format, and a Store holds secrets by contract.

// formatPlain prints plain, a method-less copy of a value whose secrets
// are already redacted, as fmt would print the value itself: %#v names the
// public type, not the copy's.
func formatPlain(f fmt.State, verb rune, name string, plain any) {
	s := fmt.Sprintf(fmt.FormatString(f, verb), plain)
	if verb == 'v' && f.Flag('#') {
		s = strings.Replace(s, reflect.TypeOf(plain).String(), name, 1)
	}
	_, _ = io.WriteString(f, s)
}

func redactNonEmpty(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

// Credentials.

func (p *passwordCreds) String() string {
	return fmt.Sprintf("runtime.Password(%q, %s)", p.user, redacted)
}
func (p *passwordCreds) GoString() string              { return p.String() }
func (p *passwordCreds) Format(f fmt.State, verb rune) { formatString(f, verb, p.String()) }
func (p *passwordCreds) LogValue() slog.Value {
	return slog.GroupValue(slog.String("kind", "password"), slog.String("user", p.user))
}

func (o *oauthCreds) clientID() string {
	if o.cfg == nil {
		return ""
	}
	return o.cfg.ClientID
}
func (o *oauthCreds) String() string {
	return fmt.Sprintf("runtime.OAuth2ClientCredentials(%q)", o.clientID())
}
func (o *oauthCreds) GoString() string              { return o.String() }
func (o *oauthCreds) Format(f fmt.State, verb rune) { formatString(f, verb, o.String()) }
func (o *oauthCreds) LogValue() slog.Value {
	return slog.GroupValue(slog.String("kind", "oauth2"), slog.String("client", o.clientID()))
}

// The memory store holds every session of the process.

func (m *memoryStore) String() string                { return "runtime.MemoryStore" }
func (m *memoryStore) GoString() string              { return m.String() }
func (m *memoryStore) Format(f fmt.State, verb rune) { formatString(f, verb, m.String()) }
func (m *memoryStore) LogValue() slog.Value          { return slog.StringValue(m.String()) }

// formatString prints s for %v and %s, quoted for %q.
func formatString(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		s = fmt.Sprintf("%q", s)
	}
	_, _ = io.WriteString(f, s)
}

// SessionState.

type plainSessionState SessionState

func (s SessionState) redacted() SessionState {
	s.Token = redactNonEmpty(s.Token)
	if s.Cookies != nil {
		c := make([]StoredCookie, len(s.Cookies))
		for i, k := range s.Cookies {
			c[i] = k.redacted()
		}
		s.Cookies = c
	}
	return s
}

func (s SessionState) Format(f fmt.State, verb rune) {
	formatPlain(f, verb, "runtime.SessionState", plainSessionState(s.redacted()))
}
func (s SessionState) String() string   { return fmt.Sprint(s) }
func (s SessionState) GoString() string { return fmt.Sprintf("%#v", s) }

func (s SessionState) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("token", redactNonEmpty(s.Token))}
	if s.Endpoint != "" {
		attrs = append(attrs, slog.String("endpoint", s.Endpoint))
	}
	attrs = append(attrs, slog.Int("cookies", len(s.Cookies)),
		slog.Time("issued", s.Issued), slog.Time("tokenIssued", s.TokenIssued), slog.Time("lastUsed", s.LastUsed))
	if !s.Expires.IsZero() {
		attrs = append(attrs, slog.Time("expires", s.Expires))
	}
	return slog.GroupValue(attrs...)
}

// StoredCookie.

type plainStoredCookie StoredCookie

func (c StoredCookie) redacted() StoredCookie {
	c.Value = redactNonEmpty(c.Value)
	return c
}

func (c StoredCookie) Format(f fmt.State, verb rune) {
	formatPlain(f, verb, "runtime.StoredCookie", plainStoredCookie(c.redacted()))
}
func (c StoredCookie) String() string   { return fmt.Sprint(c) }
func (c StoredCookie) GoString() string { return fmt.Sprintf("%#v", c) }

func (c StoredCookie) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", c.Name), slog.String("value", redactNonEmpty(c.Value)),
		slog.String("domain", c.Domain), slog.String("path", c.Path))
}
