package profile

import "testing"

func TestDidYouMean(t *testing.T) {
	ops := []string{"convertLead", "create", "invalidateSessions", "login", "logout", "query", "queryAll"}
	for _, c := range []struct {
		got  string
		want string
		ok   bool
	}{
		{"logon", "login", true}, // substitution
		{"Login", "login", true}, // case only
		{"qeury", "query", true}, // swapped neighbours
		{"invalidateSession", "invalidateSessions", true},
		{"querAll", "queryAll", true}, // deletion
		{"delete", "", false},         // too far from everything
		{"login", "", false},          // exact: nothing to suggest
		{"", "", false},
		{"x", "", false},
	} {
		got, ok := DidYouMean(c.got, ops)
		if got != c.want || ok != c.ok {
			t.Errorf("DidYouMean(%q) = %q, %v; want %q, %v", c.got, got, ok, c.want, c.ok)
		}
	}
	// Ties go to the earlier candidate.
	if got, _ := DidYouMean("cat", []string{"bat", "cap"}); got != "bat" {
		t.Errorf("tie: got %q, want bat", got)
	}
}

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{
		{"", "", 0}, {"", "abc", 3}, {"abc", "", 3}, {"kitten", "sitting", 3},
		{"ab", "ba", 1}, {"nmae", "name", 1}, {"héllo", "hello", 1},
	} {
		if d := distance(c.a, c.b); d != c.d {
			t.Errorf("distance(%q, %q) = %d, want %d", c.a, c.b, d, c.d)
		}
	}
}
