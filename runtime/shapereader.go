package runtime

import "io"

// shapeReader gives a response to encoding/xml checked by checkXMLShape
// a step ahead of what it reads, instead of in a whole pass before: the
// body element xmldec decodes is then never scanned for its shape, xmldec
// bounding it the same way as it reads it (a tenth of decoding a large
// answer was the separate pass). Whatever part of the response decoding
// did not read is checked before the result is given (finish), so every
// byte is checked once by one of them and a response is refused exactly
// when checkXMLShape refuses it.
//
// encoding/xml reads a bytes.Reader a byte at a time (io.ByteReader), so
// it never has bytes this reader has not checked; a charset conversion
// reads through Read, checked the same way.
type shapeReader struct {
	scan    shapeScan
	pos     int
	checked int // bytes before it are checked
	err     error
}

// shapeStep is how far past what it needs the reader checks: few scans
// for the envelope's start, little of the body scanned twice.
const shapeStep = 4 << 10

func newShapeReader(data []byte) *shapeReader {
	return &shapeReader{scan: shapeScan{data: data}}
}

// ensure checks the bytes before end; false once the response is refused.
func (r *shapeReader) ensure(end int) bool {
	if r.err != nil {
		return false
	}
	if end <= r.checked {
		return true
	}
	if err := r.scan.scanTo(end + shapeStep); err != nil {
		r.err = err
		return false
	}
	r.checked = r.scan.i
	if r.scan.done {
		r.checked = len(r.scan.data)
	}
	return true
}

func (r *shapeReader) ReadByte() (byte, error) {
	data := r.scan.data
	if r.pos >= len(data) {
		return 0, io.EOF
	}
	if r.pos >= r.checked && !r.ensure(r.pos+1) {
		return 0, r.err
	}
	b := data[r.pos]
	r.pos++
	return b, nil
}

func (r *shapeReader) Read(p []byte) (int, error) {
	data := r.scan.data
	if r.pos >= len(data) {
		return 0, io.EOF
	}
	end := min(len(data), r.pos+len(p))
	if !r.ensure(end) {
		return 0, r.err
	}
	n := copy(p, data[r.pos:end])
	r.pos += n
	return n, nil
}

// skip records that xmldec read the element that ends at end, open
// elements around it, with checkXMLShape's bounds: the scan resumes
// after it, unless it already went past.
func (r *shapeReader) skip(end, open int) {
	if r.err == nil && !r.scan.done && r.scan.i < end {
		r.scan.i, r.scan.depth = end, open
		r.checked = end
	}
}

// finish checks what the decode did not read.
func (r *shapeReader) finish() error {
	r.ensure(len(r.scan.data))
	return r.err
}
