package runtime

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"html"
	"net/url"
	"slices"
	"strings"
)

// A server or a proxy in front of it may echo the request into its
// answer: an HTML error page quoting the body, a fault string "invalid
// session <token>", a WAF page repeating a token request's form. The
// errors built from an answer (HTTPError.Snippet, every text of a Fault,
// a token endpoint's refusal) would then carry the password or the
// session token into the caller's logs. Every exchange lists the secrets
// it sent, and those parts are scrubbed of them in every form an echo
// takes (secretForms).

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
func (x *exchange) scrub(b []byte) []byte { return scrubSecrets(b, x.secrets) }

func (x *exchange) scrubString(s string) string {
	if len(x.secrets) == 0 {
		return s
	}
	return string(x.scrub([]byte(s)))
}

// scrubSecrets replaces every form of every secret in b. The forms are
// built here, on the error path, so that recording a secret costs a call
// nothing.
func scrubSecrets(b []byte, secrets []string) []byte {
	if len(secrets) == 0 {
		return b
	}
	return newScrubber(secrets).scrub(b)
}

// scrubber is the forms of a set of secrets, longest first: a form that
// contains another goes whole.
type scrubber []string

func newScrubber(secrets []string) scrubber {
	var forms []string
	for _, s := range secrets {
		forms = secretForms(forms, s)
	}
	slices.SortFunc(forms, func(a, b string) int { return len(b) - len(a) })
	return forms
}

func (sc scrubber) scrub(b []byte) []byte {
	for _, f := range sc {
		if bytes.Contains(b, []byte(f)) {
			b = bytes.ReplaceAll(b, []byte(f), []byte(redacted))
		}
	}
	return b
}

func (sc scrubber) scrubString(s string) string {
	if len(sc) == 0 {
		return s
	}
	return string(sc.scrub([]byte(s)))
}

func scrubSecretsString(s string, secrets []string) string {
	if len(secrets) == 0 {
		return s
	}
	return string(scrubSecrets([]byte(s), secrets))
}

// xmlEscapers are the ways servers escape text into XML or HTML: Go's
// (numeric quotes), the XML named entities, and the HTML habit of &#x27;.
var xmlEscapers = []*strings.Replacer{
	strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;"),
	strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;"),
	strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#x27;"),
	// Only & and < must be escaped in XML text; quotes left alone.
	strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;"),
}

// secretForms appends the forms s can take in an answer that echoes a
// request: as sent; XML/HTML-escaped once (the request was XML) and twice
// (an HTML page quoting that XML); URL-encoded as a query or form value
// and as a path segment, in upper and lower case hex; JSON-escaped; and
// base64 of the secret itself (a Basic header's user:password is recorded
// as a secret of its own). Forms shorter than minSecretLen are skipped.
func secretForms(into []string, s string) []string {
	add := func(f string) {
		if len(f) < minSecretLen {
			return
		}
		for _, g := range into {
			if g == f {
				return
			}
		}
		into = append(into, f)
	}
	add(s)
	add(html.EscapeString(s))
	for _, r := range xmlEscapers {
		once := r.Replace(s)
		add(once)
		add(strings.ReplaceAll(once, "&", "&amp;"))
	}
	for _, u := range [...]string{url.QueryEscape(s), url.PathEscape(s)} {
		add(u)
		add(lowerHex(u))
		add(html.EscapeString(u))
	}
	if j, err := json.Marshal(s); err == nil {
		add(string(j[1 : len(j)-1])) // Go's: <, > and & as \u003c…
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if enc.Encode(s) == nil {
			add(strings.TrimSuffix(strings.TrimSpace(b.String()), `"`)[1:])
		}
	}
	// Unpadded forms: each is a prefix of the padded one, so replacing it
	// catches both.
	add(base64.RawStdEncoding.EncodeToString([]byte(s)))
	add(base64.RawURLEncoding.EncodeToString([]byte(s)))
	return into
}

// lowerHex lowercases the hex digits of percent escapes (%2F -> %2f), as
// some servers write them.
func lowerHex(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = lowerASCII(b[i+1]), lowerASCII(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// scrubError removes the secrets sc stands for from the texts of err that
// quote an answer: its *Fault, *HTTPError and *InvalidateError, in place.
// For answers to a request that carried secrets the exchange did not
// record (the session ids of a bulk invalidation are its payload).
func scrubError(err error, sc scrubber) {
	if err == nil || len(sc) == 0 {
		return
	}
	var f *Fault
	if errors.As(err, &f) {
		f.scrubWith(sc)
	}
	var h *HTTPError
	if errors.As(err, &h) {
		h.Snippet = sc.scrubString(h.Snippet)
	}
	var ie *InvalidateError
	if errors.As(err, &ie) {
		ie.Code, ie.Message = sc.scrubString(ie.Code), sc.scrubString(ie.Message)
	}
}
