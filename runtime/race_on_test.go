//go:build race

package runtime

// allocScale: under the race detector the runtime accounts about twice the
// bytes for the same slice growth (measured: a 4 MiB bytes.Buffer grown by
// ReadFrom shows 8 MiB of TotalAlloc without -race, 16 MiB with it), so
// memory bounds scale with it.
const allocScale = 2
