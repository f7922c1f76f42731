package profile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The lend and borrowed keys parse into the Go types and survive a round
// trip, and the Salesforce built-ins lend and borrow by the same name.
func TestBorrowedProfiles(t *testing.T) {
	for _, name := range []string{"lender.yaml", "lend-and-borrow.yaml"} {
		p, err := Load(filepath.Join("testdata", "good", name))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(p, roundTrip(t, p), ignorePositions); diff != "" {
			t.Errorf("%s round trip (-parsed +reparsed):\n%s", name, diff)
		}
	}
	b, err := Load("testdata/good/lend-and-borrow.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := &Borrowed{Endpoint: "metadata", Rewrite: []Rewrite{{From: "/services/Soap/m/", To: "/services/Soap/T/"}}}
	if diff := cmp.Diff(want, b.Login.Borrowed); diff != "" {
		t.Errorf("login.borrowed (-want +got):\n%s", diff)
	}
	sf, err := Load("salesforce")
	if err != nil {
		t.Fatal(err)
	}
	md, err := Load("salesforce-metadata")
	if err != nil {
		t.Fatal(err)
	}
	lent := map[string]bool{}
	for _, l := range sf.Login.Operation.Lend {
		lent[l.Name] = true
	}
	if e := md.Login.Borrowed.Endpoint; !lent[e] {
		t.Errorf("salesforce-metadata borrows endpoint %q, salesforce lends %v", e, lent)
	}
}

// The Apex API, like Tooling, is serverUrl under another letter: a profile
// that extends salesforce-tooling and replaces the rewrite rules is all it
// takes; a profile that extends salesforce and borrows instead keeps
// salesforce's own-login keys, and each is named.
func TestBorrowedExtends(t *testing.T) {
	dir := t.TempDir()
	apex := filepath.Join(dir, "apex.yaml")
	if err := os.WriteFile(apex, []byte(`extends: salesforce-tooling
name: salesforce-apex
login:
  borrowed:
    rewrite:
      - {from: /services/Soap/u/, to: /services/Soap/s/}
      - {from: /services/Soap/c/, to: /services/Soap/s/}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Load(apex)
	if err != nil {
		t.Fatal(err)
	}
	want := &Borrowed{Rewrite: []Rewrite{{From: "/services/Soap/u/", To: "/services/Soap/s/"}, {From: "/services/Soap/c/", To: "/services/Soap/s/"}}}
	if diff := cmp.Diff(want, p.Login.Borrowed); diff != "" || p.LoginKind() != "LoginBorrowed" || len(p.Send) != 1 {
		t.Errorf("login.borrowed (-want +got):\n%s\nkind %s, send %v", diff, p.LoginKind(), p.Send)
	}

	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("extends: salesforce\nname: half\nlogin:\n  borrowed:\n    endpoint: metadata\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load(bad)
	var keys []string
	for _, e := range asErrors(err) {
		keys = append(keys, e.Key)
	}
	if diff := cmp.Diff([]string{"tokens", "tokens[0].login", "limits", "limits.refresh-margin", "logout", "invalidate"}, keys); diff != "" {
		t.Errorf("keys of the errors (-want +got):\n%s\nerror: %v", diff, err)
	}
}

func asErrors(err error) Errors {
	var es Errors
	if errors.As(err, &es) {
		return es
	}
	return nil
}
