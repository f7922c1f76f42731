package redisstore

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// unreadableValue is a session hash field ("v" a value, "r" a marker) and
// its bytes as Get found them, unreadable by this process.
type unreadableValue struct{ field, value string }

// noteUnreadable remembers what Get could not read under key, so that the
// login that follows replaces exactly it, and warns once per such value:
// the fleet goes on (the value is taken for no session) but someone should
// know that a key rollout is half done, or that Redis holds a value nobody
// of this fleet wrote.
func (s *Store) noteUnreadable(key string, v unreadableValue, why error) {
	s.mu.Lock()
	prev, seen := s.unreadable[key]
	s.unreadable[key] = v
	s.mu.Unlock()
	if seen && prev == v {
		return
	}
	s.logger.Warn("redisstore: a stored session is unreadable and taken for none; the next login replaces it",
		"prefix", s.prefix, "key", keyDigest(key), "reason", why.Error())
}

// forgetUnreadable drops the remembered unreadable value of key (only if
// it is still was, when was is given: a newer one found meanwhile stays).
func (s *Store) forgetUnreadable(key string, was *unreadableValue) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur, ok := s.unreadable[key]; ok && (was == nil || cur == *was) {
		delete(s.unreadable, key)
	}
}

// notePerProcess warns, once per key, that the key's sessions are kept per
// process from now on (a rotation marker): that costs a login per process,
// and an operator must be able to see it happen.
func (s *Store) notePerProcess(key string) {
	s.mu.Lock()
	seen := s.perProcess[key]
	s.perProcess[key] = true
	s.mu.Unlock()
	if !seen {
		s.logger.Warn("redisstore: the sessions of a key rotate their token and are kept per process from now on, not shared through Redis",
			"prefix", s.prefix, "key", keyDigest(key), "authenticated", len(s.codec.keys) > 0)
	}
}

// keyDigest names a key in logs without the key itself (it may name a
// user).
func keyDigest(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:6])
}

// member reports whether x is in the comma-separated list (as the scripts'
// member does).
func member(list, x string) bool {
	for v := range strings.SplitSeq(list, ",") {
		if v == x {
			return true
		}
	}
	return false
}

// A Store prints as its prefix and Redis: its fields include the values it
// found unreadable, which may be sessions in clear.

func (s *Store) String() string {
	return fmt.Sprintf("redisstore.Store(prefix %q, Redis at %s)", s.prefix, s.addr())
}
func (s *Store) GoString() string { return s.String() }

func (s *Store) Format(f fmt.State, verb rune) {
	str := s.String()
	if verb == 'q' {
		str = fmt.Sprintf("%q", str)
	}
	_, _ = io.WriteString(f, str)
}

func (s *Store) LogValue() slog.Value { return slog.StringValue(s.String()) }
