package runtime

import (
	"bytes"
	"html"
	"net/url"
)

// A server or a proxy in front of it may echo the request into its
// answer: an HTML error page quoting the body, a fault string "invalid
// session <token>". The errors built from an answer (HTTPError.Snippet,
// Fault.Code and Fault.String) would then carry the password or the
// session token into the caller's logs. Every exchange lists the secrets
// it sent, and those parts are scrubbed of them, in the forms an echo
// takes: as sent, XML/HTML-escaped, URL-encoded.

// minSecretLen: shorter values are not scrubbed, since replacing every
// "ab" in a page would destroy it and a two-letter secret is no secret.
const minSecretLen = 4

const redacted = "[redacted]"

// secret records v as sent by this exchange.
func (x *exchange) secret(v string) {
	if len(v) >= minSecretLen {
		if x.secrets == nil {
			x.secrets = x.secretsBuf[:0]
		}
		x.secrets = append(x.secrets, v)
	}
}

// scrub replaces the exchange's secrets in b.
func (x *exchange) scrub(b []byte) []byte {
	for _, s := range x.secrets {
		for _, form := range [...]string{s, html.EscapeString(s), url.QueryEscape(s)} {
			if bytes.Contains(b, []byte(form)) {
				b = bytes.ReplaceAll(b, []byte(form), []byte(redacted))
			}
		}
	}
	return b
}

func (x *exchange) scrubString(s string) string {
	if len(x.secrets) == 0 {
		return s
	}
	return string(x.scrub([]byte(s)))
}
