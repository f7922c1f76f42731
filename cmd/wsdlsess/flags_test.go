package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStrictFlag: a vendor mistake in one operation is a warning by
// default and exit 0; -strict makes it the exit-1 error it names.
func TestStrictFlag(t *testing.T) {
	wsdl := "../../testdata/wsdl-bad/undefined-message/undefined-message.wsdl"
	want, err := os.ReadFile("../../testdata/wsdl-bad/undefined-message/want-warnings.txt")
	if err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI("generate", "-wsdl", wsdl, "-profile", "none", "-pkg", "bad", "-out", t.TempDir())
	if code != 0 || errs != "wsdlsess: warning: "+string(want) {
		t.Errorf("lenient: exit %d, stderr %q", code, errs)
	}
	out := t.TempDir()
	code, _, errs = runCLI("generate", "-strict", "-wsdl", wsdl, "-profile", "none", "-pkg", "bad", "-out", out)
	wantErr, _ := os.ReadFile("../../testdata/wsdl-bad/undefined-message/want-error.txt")
	if code != 1 || errs != "wsdlsess: "+strings.TrimSpace(string(wantErr))+"\n" {
		t.Errorf("-strict: exit %d, stderr %q", code, errs)
	}
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		t.Errorf("-strict failed and wrote %d files", len(ents))
	}
}

// TestSchemaMapFlag: -schema-map points a remote schema at a local copy,
// exactly and by folder prefix; without it the import is refused.
func TestSchemaMapFlag(t *testing.T) {
	wsdl := "../../testdata/wsdl-bad/remote-import/remote-import.wsdl"
	local := t.TempDir()
	xsd := `<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:example:remote">
  <xsd:simpleType name="Size"><xsd:restriction base="xsd:int"/></xsd:simpleType>
</xsd:schema>`
	if err := os.WriteFile(filepath.Join(local, "types.xsd"), []byte(xsd), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{
		"http://schemas.example.com/remote/types.xsd=" + filepath.Join(local, "types.xsd"),
		"http://schemas.example.com/remote/=" + local,
	} {
		code, _, errs := runCLI("generate", "-schema-map", m, "-wsdl", wsdl, "-profile", "none", "-pkg", "rem", "-out", t.TempDir())
		if code != 0 || errs != "" {
			t.Errorf("-schema-map %s: exit %d, stderr %q", m, code, errs)
		}
	}
	code, _, errs := runCLI("generate", "-strict", "-wsdl", wsdl, "-profile", "none", "-pkg", "rem", "-out", t.TempDir())
	if code != 1 || !strings.Contains(errs, "pass -schema-map http://schemas.example.com/remote/types.xsd=PATH") {
		t.Errorf("no map: exit %d, stderr %q", code, errs)
	}
	code, _, errs = runCLI("generate", "-schema-map", "no-equals-sign", "-wsdl", wsdl, "-profile", "none", "-pkg", "rem", "-out", t.TempDir())
	if code != 2 || !strings.Contains(errs, "-schema-map") {
		t.Errorf("bad -schema-map value: exit %d, stderr %q", code, errs)
	}
}
