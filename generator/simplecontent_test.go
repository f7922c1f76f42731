package generator

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestSimpleContentRestrictionKeepsAttributes: a simpleContent restriction
// of a complex type inherits the base's attributes (XSD attribute uses are
// inherited), except those it declares prohibited. They used to be dropped,
// losing currency and net of every restricted price on the wire.
func TestSimpleContentRestrictionKeepsAttributes(t *testing.T) {
	const wsdl = `<?xml version="1.0"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:xsd="http://www.w3.org/2001/XMLSchema"
    xmlns:tns="urn:p" targetNamespace="urn:p">
  <types>
    <xsd:schema targetNamespace="urn:p" elementFormDefault="qualified">
      <xsd:complexType name="Price">
        <xsd:simpleContent>
          <xsd:extension base="xsd:decimal">
            <xsd:attribute name="currency" type="xsd:string" use="required"/>
            <xsd:attribute name="net" type="xsd:boolean"/>
            <xsd:attribute name="note" type="xsd:string"/>
          </xsd:extension>
        </xsd:simpleContent>
      </xsd:complexType>
      <xsd:complexType name="SmallPrice">
        <xsd:simpleContent>
          <xsd:restriction base="tns:Price">
            <xsd:maxInclusive value="100"/>
            <xsd:attribute name="note" use="prohibited"/>
          </xsd:restriction>
        </xsd:simpleContent>
      </xsd:complexType>
      <xsd:element name="small" type="tns:SmallPrice"/>
    </xsd:schema>
  </types>
</definitions>`
	path := filepath.Join(t.TempDir(), "p.wsdl")
	if err := os.WriteFile(path, []byte(wsdl), 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := Generate(Options{WSDL: path, Package: "p", Profile: "none"})
	if err != nil {
		t.Fatal(err)
	}
	var types string
	for _, f := range files {
		if f.Name == "types.go" {
			types = string(f.Content)
		}
	}
	m := regexp.MustCompile(`(?s)type SmallPrice struct \{(.*?)\n\}`).FindStringSubmatch(types)
	if m == nil {
		t.Fatalf("no SmallPrice in types.go:\n%s", types)
	}
	for _, want := range []string{`"currency,attr"`, `"net,attr,omitempty"`} {
		if !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(m[1]) {
			t.Errorf("SmallPrice lacks the inherited attribute %s:%s", want, m[1])
		}
	}
	if regexp.MustCompile(`"note,attr`).MatchString(m[1]) {
		t.Errorf("SmallPrice keeps the prohibited attribute note:%s", m[1])
	}
}
