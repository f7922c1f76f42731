package runtime

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"sync/atomic"
	"time"

	"golang.org/x/net/publicsuffix"
)

// session is one live vendor session as this process holds it. A session
// value never changes its token: a rotation makes a new value (sharing the
// cookie jar), so a call that holds the old value can tell that its token
// was replaced.
type session struct {
	token    string
	endpoint string
	// lent: the login result's URLs for borrowing clients; never changed.
	lent        map[string]string
	jar         *cookiejar.Jar
	cookies     []StoredCookie
	issued      time.Time
	tokenIssued time.Time
	// lifetime is a login result's Lifetime: an idle limit, like
	// Limits.Idle (Salesforce sessionSecondsValid).
	lifetime time.Duration
	lastUsed atomic.Int64 // unix nanoseconds of the last call sent
	storedAt atomic.Int64 // unix nanoseconds LastUsed was last written to the Store
	hash     string
	// adopted: taken from the Store, opened by someone else.
	adopted bool
}

func newJar() *cookiejar.Jar {
	// cookiejar.New only fails on a nil-able option it never rejects.
	j, _ := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	return j
}

// touch records a use at now; concurrent calls may report out of order,
// and an earlier time never replaces a later one.
func (s *session) touch(now time.Time) {
	n := now.UnixNano()
	for {
		old := s.lastUsed.Load()
		if old >= n || s.lastUsed.CompareAndSwap(old, n) {
			return
		}
	}
}

func (s *session) last() time.Time {
	if n := s.lastUsed.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return s.issued
}

// rotated returns the session carrying the next token.
func (s *session) rotated(tok string, now time.Time) *session {
	n := &session{token: tok, endpoint: s.endpoint, lent: s.lent, jar: s.jar, cookies: s.cookies, issued: s.issued,
		tokenIssued: now, lifetime: s.lifetime, hash: shortHash(tok)}
	n.touch(now)
	n.storedAt.Store(now.UnixNano())
	return n
}

// state is what goes to the Store.
func (s *session) state() *SessionState {
	st := &SessionState{Token: s.token, Endpoint: s.endpoint, Lent: s.lent, Cookies: s.cookies,
		Issued: s.issued, TokenIssued: s.tokenIssued, LastUsed: s.last()}
	if s.lifetime > 0 {
		// The lifetime is an idle limit: the deadline moves with each use.
		st.Expires = st.LastUsed.Add(s.lifetime)
	}
	return st
}

// secrets lists what of s must never be printed: its token and cookie
// values.
func (s *session) secrets() []string {
	out := make([]string, 0, 1+len(s.cookies))
	out = append(out, s.token)
	for _, c := range s.cookies {
		out = append(out, c.Value)
	}
	return out
}

// sessionFrom rebuilds a session another client or process stored,
// replaying its cookies into a fresh jar with the URL that received them,
// so domain and path rules hold as the server set them.
func sessionFrom(st *SessionState) *session {
	s := &session{token: st.Token, endpoint: st.Endpoint, lent: st.Lent, jar: newJar(), cookies: st.Cookies,
		issued: st.Issued, tokenIssued: st.TokenIssued, hash: shortHash(st.Token), adopted: true}
	if !st.Expires.IsZero() {
		from := st.LastUsed
		if from.IsZero() {
			from = st.Issued
		}
		s.lifetime = st.Expires.Sub(from)
	}
	if !st.LastUsed.IsZero() {
		s.touch(st.LastUsed)
		s.storedAt.Store(st.LastUsed.UnixNano())
	}
	for _, c := range st.Cookies {
		u, err := url.Parse(c.URL)
		if err != nil {
			continue
		}
		s.jar.SetCookies(u, []*http.Cookie{{Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path,
			Expires: c.Expires, Secure: c.Secure, HttpOnly: c.HTTPOnly}})
	}
	return s
}

// storedCookies records Set-Cookie answers with the URL that got them.
func storedCookies(u string, cs []*http.Cookie) []StoredCookie {
	out := make([]StoredCookie, 0, len(cs))
	for _, c := range cs {
		if cookieDeleted(c) {
			continue
		}
		out = append(out, StoredCookie{URL: u, Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path,
			Expires: c.Expires, Secure: c.Secure, HTTPOnly: c.HttpOnly})
	}
	return out
}

// valid reports whether s can carry a call at now without hitting a limit
// the client knows; margin moves every limit earlier (but never by more
// than half the limit, so a large margin cannot cause a login per call).
func (e *engine) valid(s *session, now time.Time) bool {
	before := func(start time.Time, limit time.Duration) bool {
		if limit <= 0 {
			return true
		}
		m := e.margin
		if m > limit/2 {
			m = limit / 2
		}
		return now.Before(start.Add(limit - m))
	}
	l := e.limits
	tokenLast := s.tokenIssued
	if t := s.last(); t.After(tokenLast) {
		tokenLast = t
	}
	return before(s.last(), s.lifetime) && before(s.issued, l.MaxAge) &&
		before(s.last(), l.Idle) && before(tokenLast, l.TokenIdle)
}
