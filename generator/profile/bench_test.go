package profile

import "testing"

// BenchmarkParse measures parsing and validating the largest built-in
// (go test ./generator/profile -bench Parse -run XXX).
func BenchmarkParse(b *testing.B) {
	src, _ := BuiltinSource("salesforce")
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("salesforce.yaml", src); err != nil {
			b.Fatal(err)
		}
	}
}
