package generator

import "testing"

func BenchmarkZZEWS(b *testing.B) {
	for b.Loop() {
		if _, err := Generate(Options{WSDL: "/tmp/vend/ews/Services.wsdl", Package: "p"}); err != nil {
			b.Fatal(err)
		}
	}
}
