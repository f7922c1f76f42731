package fakevendor

import (
	"slices"
	"sync"
	"testing"
	"time"
)

type tableSession struct{ used time.Time }

func (s *tableSession) lastUse() time.Time { return s.used }

// TestSessionTableReasons: a rejection names why the session is gone
// (killed, expired, never existed), an idle session is ended on lookup, and
// onEnd sees every end; the fakes' "reason" assertions rest on this.
func TestSessionTableReasons(t *testing.T) {
	var mu sync.Mutex
	clock := NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	tab := newSessionTable[*tableSession](&mu, clock, time.Minute, map[string]string{"u": "pw"})
	var ended []string
	tab.onEnd = func(id string, _ *tableSession) { ended = append(ended, id) }
	now := clock.Now()
	tab.open("a", &tableSession{used: now})
	tab.open("b", &tableSession{used: now.Add(-2 * time.Minute)})
	tab.open("c", &tableSession{used: now})

	if _, why := tab.find("a", now); why != "" {
		t.Errorf("live session: reason %q", why)
	}
	if got := tab.liveNow(); !slices.Equal(sorted(got), []string{"a", "c"}) {
		t.Errorf("live ids %v, want [a c]", got)
	}
	if _, why := tab.find("b", now); why != ReasonExpired {
		t.Errorf("idle session: reason %q, want %q", why, ReasonExpired)
	}
	if !tab.KillSession("a") || tab.KillSession("a") {
		t.Error("KillSession must report true once, then false")
	}
	for id, want := range map[string]string{"a": ReasonKilled, "b": ReasonExpired, "zz": ReasonUnknownSession} {
		if _, why := tab.find(id, now); why != want {
			t.Errorf("find(%s): reason %q, want %q", id, why, want)
		}
	}
	if n := tab.KillAll(); n != 1 {
		t.Errorf("KillAll ended %d, want 1", n)
	}
	if !slices.Equal(ended, []string{"b", "a", "c"}) {
		t.Errorf("onEnd saw %v, want [b a c]", ended)
	}
	if got := sorted(tab.Secrets()); !slices.Equal(got, []string{"a", "b", "c", "pw"}) {
		t.Errorf("Secrets %v", got)
	}
}

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }
