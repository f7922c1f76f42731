//go:build race

package reqsize

const raceEnabled = true
