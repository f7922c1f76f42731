package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const remoteTypes = `<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:example:remote">
  <xsd:simpleType name="Size"><xsd:restriction base="xsd:string"/></xsd:simpleType>
</xsd:schema>`

// TestSchemaMap: a remote location resolves to a local file through
// Options.SchemaMap, by its exact URL or by a folder prefix ending in "/"
// (http and https alike), without AllowRemote and without the network;
// inspect says how. Without a mapping inspect lists it as refused and what
// needed it as skipped.
func TestSchemaMap(t *testing.T) {
	wsdl := filepath.Join("..", "testdata", "wsdl-bad", "remote-import", "remote-import.wsdl")
	dir := t.TempDir()
	local := filepath.Join(dir, "types.xsd")
	if err := os.WriteFile(local, []byte(remoteTypes), 0o644); err != nil {
		t.Fatal(err)
	}
	const url = "http://schemas.example.com/remote/types.xsd"
	for _, m := range []map[string]string{
		{url: local},
		{"https://schemas.example.com/remote/types.xsd": local},
		{"http://schemas.example.com/remote/": dir},
		{"http://schemas.example.com/": filepath.Join(dir, "nowhere"), "http://schemas.example.com/remote/": dir},
	} {
		opts := Options{WSDL: wsdl, Package: "p", SchemaMap: m, HTTPClient: offline, Strict: true}
		files, err := Generate(opts)
		if err != nil {
			t.Errorf("SchemaMap %v: %v", m, err)
			continue
		}
		if types := string(files[2].Content); !strings.Contains(types, "type Size string") || !strings.Contains(types, "Size Size") {
			t.Errorf("SchemaMap %v: types.go lacks the mapped Size:\n%s", m, types)
		}
		text, err := Inspect(opts)
		if want := "Remote locations:\n  " + url + ": mapped to " + filepath.ToSlash(local) + "\n"; err != nil || !strings.Contains(text, want) {
			t.Errorf("SchemaMap %v: inspect %v, lacks %q:\n%s", m, err, want, text)
		}
	}

	_, err := Generate(Options{WSDL: wsdl, Package: "p", SchemaMap: map[string]string{url: filepath.Join(dir, "missing.xsd")}})
	want := "remote-import.wsdl:10: xsd:import: remote location " + url + " is mapped to " + filepath.Join(dir, "missing.xsd") + ", which cannot be read: no such file or directory (fix: put the file at that path or correct the -schema-map entry)"
	if err == nil || err.Error() != want {
		t.Errorf("mapped to a missing file: %v\nwant %s", err, want)
	}

	text, err := Inspect(Options{WSDL: wsdl, Package: "p", HTTPClient: offline})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"  " + url + ": refused (not fetched without -allow-remote; -schema-map URL=PATH maps it to a local copy)\n",
		"  element size of Thing: type {urn:example:remote}Size is not defined in any loaded schema (remote-import.wsdl:14)\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("inspect without a mapping lacks %q:\n%s", want, text)
		}
	}
}
