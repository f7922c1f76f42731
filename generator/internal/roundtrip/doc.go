// Package roundtrip holds tests that drive the committed golden packages:
// marshal → unmarshal of populated values, and decoding of hand-written
// vendor response samples. It has no code of its own.
package roundtrip
