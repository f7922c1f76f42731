package generator

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

// goName turns an XML name into an exported Go identifier: separators
// removed, each word capitalised, a leading digit or caseless letter
// prefixed with X. Exported names can never be Go keywords or predeclared
// identifiers, which are all lower case.
func goName(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	if out == "" {
		return "X"
	}
	first := []rune(out)[0]
	if !unicode.IsUpper(first) {
		out = "X" + out
	}
	return out
}

// nameSet hands out identifiers unique within one scope.
type nameSet map[string]bool

// take returns the first free candidate, or the last one with the smallest
// free numeric suffix; the result is reserved.
func (ns nameSet) take(cands ...string) string {
	for _, c := range cands {
		if !ns[c] {
			ns[c] = true
			return c
		}
	}
	base := cands[len(cands)-1]
	for i := 2; ; i++ {
		c := base + strconv.Itoa(i)
		if !ns[c] {
			ns[c] = true
			return c
		}
	}
}

// nsTag derives a short word from a namespace URI to tell apart equal local
// names from different namespaces ("urn:sobject.partner.soap.sforce.com" →
// "Sobject", "http://example.com/v2/orders" → "Orders").
func nsTag(ns string) string {
	s := strings.TrimRight(ns, "/#")
	s = strings.TrimPrefix(s, "urn:")
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == ':' })
	if len(parts) == 0 {
		return "Ns"
	}
	last := parts[len(parts)-1]
	// Siebel writes spaces in its namespaces as %20: "Account Contact
	// Interface" names better than "Account20Contact20Interface".
	if u, err := url.PathUnescape(last); err == nil {
		last = u
	}
	if len(parts) == 1 {
		// A host or dotted URN: its first label is the most specific.
		last = strings.Split(last, ".")[0]
	}
	return goName(last)
}
