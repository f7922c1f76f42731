package fakevendor

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	mrand "math/rand/v2"
	"sort"
	"strconv"
)

// newToken returns an unguessable token with a vendor-flavoured prefix.
func newToken(prefix string) string {
	var b [18]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// ShortHash is how the fakes name a session in responses and test output: a
// short digest, never the token itself.
func ShortHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:4])
}

// pickRandom picks one of ids with r, after sorting them so the pick depends
// only on the seed, not on map order.
func pickRandom(ids []string, r *mrand.Rand) (string, bool) {
	if len(ids) == 0 {
		return "", false
	}
	sort.Strings(ids)
	return ids[r.IntN(len(ids))], true
}

// echo answers the business operation every fake offers besides its vendor
// ones: <Op><Text>t</Text></Op> is answered by <OpResponse> (or the given
// response name) with the text, the user the server attributed the call to,
// a short hash of the session that served it and the session's call
// sequence number (1 for the first call of a session), so tests can check
// who served what without ever seeing a token.
func echoBody(ns, respName, text, user, session string, seq int64) string {
	return `<` + respName + ` xmlns="` + esc(ns) + `"><Text>` + esc(text) + `</Text><User>` + esc(user) +
		`</User><Session>` + esc(session) + `</Session><Seq>` + itoa(seq) + `</Seq></` + respName + `>`
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
