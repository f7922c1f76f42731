//go:build !race

package runtime

// allocScale: see race_on_test.go.
const allocScale = 1
