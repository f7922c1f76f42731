package generator

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// writeCycle copies the cycle case into a temp dir with the remote import
// pointed at url.
func writeCycle(t *testing.T, url string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"a.xsd", "b.xsd", "cycle.wsdl"} {
		b, err := os.ReadFile(filepath.Join("testdata", "loader", "cycle", f))
		if err != nil {
			t.Fatal(err)
		}
		b = []byte(strings.ReplaceAll(string(b), "REMOTE", url))
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "cycle.wsdl")
}

// TestLoaderCycleAndRemote: schemas importing each other load once each
// (a path spelled two ways is one file), and a remote import is fetched
// only with AllowRemote.
func TestLoaderCycleAndRemote(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:remote"><xs:simpleType name="R"><xs:restriction base="xs:string"/></xs:simpleType></xs:schema>`))
	}))
	defer srv.Close()
	wsdl := writeCycle(t, srv.URL)

	_, err := Generate(Options{WSDL: wsdl, Package: "p"})
	want := "cycle.wsdl:7: xsd:import: remote location " + srv.URL + "/r.xsd is not fetched without -allow-remote"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("without AllowRemote: %v, want prefix %s", err, want)
	}
	if hits.Load() != 0 {
		t.Fatalf("fetched %d times without AllowRemote", hits.Load())
	}

	l := newLoader(Options{AllowRemote: true, HTTPClient: srv.Client()})
	if err := l.load(wsdl); err != nil {
		t.Fatal(err)
	}
	if len(l.files) != 4 {
		var names []string
		for _, f := range l.files {
			names = append(names, f.name)
		}
		t.Errorf("loaded %d files %q, want 4 (wsdl, a, b, remote)", len(l.files), names)
	}
	if hits.Load() != 1 {
		t.Errorf("remote fetched %d times, want 1", hits.Load())
	}
	files, err := Generate(Options{WSDL: wsdl, Package: "p", AllowRemote: true, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	var types string
	for _, f := range files {
		if f.Name == "types.go" {
			types = string(f.Content)
		}
	}
	for _, want := range []string{"type A struct", "type B struct", "type R string"} {
		if !strings.Contains(types, want) {
			t.Errorf("types.go lacks %q", want)
		}
	}
}

// TestWellKnownNeverFetched: xml.xsd by URL resolves from the embedded
// copy even with AllowRemote and a client that fails every request.
func TestWellKnownNeverFetched(t *testing.T) {
	failing := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		t.Errorf("network request to %s", r.URL)
		return nil, http.ErrHandlerTimeout
	})}
	_, err := Generate(Options{WSDL: filepath.Join("..", "testdata", "wsdl", "gen-constructs", "constructs.wsdl"), Package: "p", AllowRemote: true, HTTPClient: failing})
	if err != nil {
		t.Fatal(err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
