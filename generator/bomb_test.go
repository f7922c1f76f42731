package generator

import (
	"fmt"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"testing"
)

// TestSchemaBombRefused: groups (or attribute groups) that each reference
// the next one twice, 28 deep, would expand to 2^28 particles; the
// generator refuses them with one clear message, quickly and with memory
// bounded (a fuzz run stalled on such an input before the bound existed).
func TestSchemaBombRefused(t *testing.T) {
	const depth = 28
	for _, kind := range []string{"group", "attributeGroup"} {
		t.Run(kind, func(t *testing.T) {
			var defs strings.Builder
			for i := range depth {
				if kind == "group" {
					fmt.Fprintf(&defs, `<xs:group name="g%d"><xs:sequence><xs:group ref="tns:g%d"/><xs:group ref="tns:g%d"/></xs:sequence></xs:group>`+"\n", i, i+1, i+1)
				} else {
					fmt.Fprintf(&defs, `<xs:attributeGroup name="g%d"><xs:attributeGroup ref="tns:g%d"/><xs:attributeGroup ref="tns:g%d"/></xs:attributeGroup>`+"\n", i, i+1, i+1)
				}
			}
			use := `<xs:sequence><xs:group ref="tns:g0"/></xs:sequence>`
			if kind == "group" {
				fmt.Fprintf(&defs, `<xs:group name="g%d"><xs:sequence><xs:element name="x" type="xs:string"/></xs:sequence></xs:group>`, depth)
			} else {
				fmt.Fprintf(&defs, `<xs:attributeGroup name="g%d"><xs:attribute name="x" type="xs:string"/></xs:attributeGroup>`, depth)
				use = `<xs:attributeGroup ref="tns:g0"/>`
			}
			wsdl := `<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:b" targetNamespace="urn:b">
<types><xs:schema targetNamespace="urn:b">
` + defs.String() + `
<xs:complexType name="T">` + use + `</xs:complexType></xs:schema></types></definitions>`
			path := filepath.Join(t.TempDir(), "bomb.wsdl")
			if err := os.WriteFile(path, []byte(wsdl), 0o644); err != nil {
				t.Fatal(err)
			}
			var before, after goruntime.MemStats
			goruntime.ReadMemStats(&before)
			_, err := Generate(Options{WSDL: path, Package: "p"})
			goruntime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), "expands to more than 20000 particles and attributes") || !strings.HasPrefix(err.Error(), "bomb.wsdl:") {
				t.Fatalf("err = %v", err)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 256<<20 {
				t.Errorf("refusing the bomb allocated %d MiB", alloc>>20)
			}
		})
	}
}
