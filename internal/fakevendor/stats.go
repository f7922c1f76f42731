package fakevendor

import (
	"sort"
	"sync"
	"sync/atomic"
)

// Stats counts what a fake server saw. Every field is safe to read from
// tests while the server runs.
type Stats struct {
	// Logins counts sessions opened by the client's credentials (a login
	// operation, credential headers, HTTP auth). Same-user Salesforce logins
	// that return the live session are counted too.
	Logins atomic.Int64
	// Logouts counts sessions ended by the client (logout operations, and
	// the implicit logout of a Siebel SessionType=None request).
	Logouts atomic.Int64
	// Calls counts accepted business calls (not logins or logouts).
	Calls atomic.Int64
	// Rejected counts rejected requests of every kind; RejectedFor breaks
	// them down by reason.
	Rejected atomic.Int64
	// Stale counts requests that carried a superseded (rotated-away) token.
	Stale atomic.Int64
	// Violations counts protocol violations by the client: concurrent use of
	// one rotating token, a cookie sent with credentials, a session used by
	// another identity, a SessionType that does not match the session's.
	Violations atomic.Int64
	// Duplicates counts business calls accepted twice with the same payload
	// (a resend of a call the server had already processed).
	Duplicates atomic.Int64

	mu      sync.Mutex
	reasons map[string]int64
	seen    map[string]bool
}

// RejectedFor returns how many requests were rejected for reason (one of the
// Reason constants).
func (s *Stats) RejectedFor(reason string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reasons[reason]
}

// Reasons returns the rejection counts by reason, for test failure messages.
func (s *Stats) Reasons() map[string]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int64, len(s.reasons))
	for k, v := range s.reasons {
		out[k] = v
	}
	return out
}

// ReasonList returns the reasons seen, sorted, for stable messages.
func (s *Stats) ReasonList() []string {
	r := s.Reasons()
	out := make([]string, 0, len(r))
	for k := range r {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (s *Stats) reject(reason string) {
	s.Rejected.Add(1)
	s.mu.Lock()
	if s.reasons == nil {
		s.reasons = map[string]int64{}
	}
	s.reasons[reason]++
	s.mu.Unlock()
}

// accept counts an accepted business call; key identifies its payload so a
// payload processed twice is counted as a duplicate ("" skips the check).
func (s *Stats) accept(key string) {
	s.Calls.Add(1)
	if key == "" {
		return
	}
	s.mu.Lock()
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	if s.seen[key] {
		s.Duplicates.Add(1)
	}
	s.seen[key] = true
	s.mu.Unlock()
}

// Rejection reasons, as counted by Stats.RejectedFor.
const (
	ReasonBadEnvelope         = "bad-envelope"          // not a SOAP 1.1 envelope, or no body element
	ReasonBadMethod           = "bad-method"            // not a POST
	ReasonNoSOAPAction        = "no-soapaction"         // SOAP 1.1 request without a SOAPAction header
	ReasonBadContentType      = "bad-content-type"      // not text/xml
	ReasonUnknownOperation    = "unknown-operation"     // body element the fake does not serve
	ReasonBadCredentials      = "bad-credentials"       // wrong user or password
	ReasonNoSession           = "no-session"            // no session header/cookie and no credentials
	ReasonExpired             = "expired"               // session idle past its timeout
	ReasonKilled              = "killed"                // session ended by a kill switch, logout or invalidation
	ReasonUnknownSession      = "unknown-session"       // a session id the server never issued
	ReasonWrongEndpoint       = "wrong-endpoint"        // Salesforce: business call at the login URL
	ReasonBadHeader           = "bad-header"            // session header in the wrong namespace or shape
	ReasonStaleToken          = "stale-token"           // Siebel: a superseded token
	ReasonTokenTimeout        = "token-timeout"         // Siebel: SessionTokenTimeout passed
	ReasonTokenMaxAge         = "token-max-age"         // Siebel: SessionTokenMaxAge passed
	ReasonTypeMismatch        = "session-type"          // Siebel: SessionType differs from the session's
	ReasonStateLost           = "state-lost"            // Siebel stateful / SAP stateful: server state gone
	ReasonConcurrentToken     = "concurrent-token"      // Siebel: token already in use by another request
	ReasonTooManySessions     = "too-many-sessions"     // Siebel: session limit reached
	ReasonQueryCredentials    = "query-credentials"     // Siebel: UserName/Password in the URL
	ReasonNoWSSOAP            = "no-wssoap"             // Siebel: WSSOAP=1 missing from the URL
	ReasonCredentialsAndToken = "credentials-and-token" // Siebel: credentials sent with a token
	ReasonMixedWSSecurity     = "mixed-ws-security"     // Siebel: WS-Security header present
	ReasonOtherUser           = "other-user"            // cookie session used with another identity
	ReasonTooManyIDs          = "too-many-ids"          // Salesforce invalidateSessions with more than 200 ids
	ReasonRateLimited         = "rate-limited"          // OAuth2 token endpoint: too many requests
	ReasonBadToken            = "bad-token"             // OAuth2 bearer token unknown or expired
)
