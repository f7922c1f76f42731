package impl

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"time"
)

// A LoginResult holds a session token: it prints it as [redacted] in every
// fmt verb, through slog and through String/GoString, so that logging one
// by mistake leaks nothing (package runtime does the same for its values).

const redacted = "[redacted]"

func redactNonEmpty(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

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

type plainLoginResult LoginResult

func (r LoginResult) Format(f fmt.State, verb rune) {
	r.Token = redactNonEmpty(r.Token)
	formatPlain(f, verb, "impl.LoginResult", plainLoginResult(r))
}
func (r LoginResult) String() string   { return fmt.Sprint(r) }
func (r LoginResult) GoString() string { return fmt.Sprintf("%#v", r) }

func (r LoginResult) LogValue() slog.Value {
	return slog.GroupValue(slog.String("token", redactNonEmpty(r.Token)), slog.String("endpoint", r.Endpoint),
		slog.Duration("lifetime", r.Lifetime))
}

// MarshalJSON keeps the token out of a LoginResult encoded for a log or a
// trace (it is no storage format: the Store keeps SessionState).
func (r LoginResult) MarshalJSON() ([]byte, error) {
	type out struct {
		Token    string            `json:"token,omitempty"`
		Endpoint string            `json:"endpoint,omitempty"`
		Lifetime time.Duration     `json:"lifetime,omitempty"`
		Lent     map[string]string `json:"lent,omitempty"`
	}
	return json.Marshal(out{Token: redactNonEmpty(r.Token), Endpoint: r.Endpoint, Lifetime: r.Lifetime, Lent: r.Lent})
}
