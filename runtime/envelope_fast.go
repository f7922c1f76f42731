package runtime

import (
	"bytes"
	"reflect"
	"sync"
	"sync/atomic"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
	"github.com/wsdlsess/wsdlsess/runtime/internal/xmlenc"
)

// writeFast writes the envelope with xmlenc, which names the elements so
// that the envelope declares each namespace once (xmlenc's Compact: the
// body's namespace as the default namespace, a prefix for each other),
// or, where that could change what the content means (Unsure, Clash),
// declares the default namespace only where it changes and the xsi and
// xt prefixes once on the envelope; its output needs no compactNS pass.
// It returns false, having written nothing, when some type has no plan
// or encoding fails: write then uses encoding/xml, which also reports the
// error.
func (e *envelope) writeFast(buf *bytes.Buffer) bool {
	if _, multi := e.body.(impl.MultiPartBody); multi {
		return false
	}
	for _, h := range e.typed {
		if !xmlenc.Supported(reflect.TypeOf(h)) {
			return false
		}
	}
	if e.body != nil && !xmlenc.Supported(reflect.TypeOf(e.body)) {
		return false
	}
	enc := encoders.Get().(*xmlenc.Encoder)
	defer putEncoder(enc)
	var headers, body []byte
	ok := false
	if !noCompact.Load() {
		headers, body, ok = e.encodeCompact(enc)
	}
	if !ok {
		enc.Reset()
		if headers, body, ok = e.encodeParts(enc); !ok {
			return false
		}
	}
	if e.writeStart(buf, enc.XSI, enc.RootXT, enc.Default, enc.Prefixes) != nil {
		return false
	}
	if e.hasHeader() {
		buf.Write(headers)
		buf.WriteString("</soap:Header>")
	}
	buf.WriteString("<soap:Body>")
	buf.Write(body)
	buf.WriteString("</soap:Body></soap:Envelope>")
	return true
}

// encodeCompact encodes the body, then the typed headers, with Compact:
// the body's first element names the default namespace. ok is false
// when encoding fails or Compact is unsure.
func (e *envelope) encodeCompact(enc *xmlenc.Encoder) (headers, body []byte, ok bool) {
	enc.Compact = true
	e.setFragment(enc)
	if e.body != nil && enc.Encode(e.body) != nil {
		return nil, nil, false
	}
	bodyEnd := len(enc.Buf)
	for _, h := range e.typed {
		if enc.Encode(h) != nil {
			return nil, nil, false
		}
	}
	if enc.Unsure || enc.Clash() {
		return nil, nil, false
	}
	return enc.Buf[bodyEnd:], enc.Buf[:bodyEnd], true
}

// encodeParts encodes the typed headers, then the body, each default
// namespace declared where it changes.
func (e *envelope) encodeParts(enc *xmlenc.Encoder) (headers, body []byte, ok bool) {
	e.setFragment(enc)
	for _, h := range e.typed {
		if enc.Encode(h) != nil {
			return nil, nil, false
		}
	}
	headersEnd := len(enc.Buf)
	if e.body != nil && enc.Encode(e.body) != nil {
		return nil, nil, false
	}
	return enc.Buf[:headersEnd], enc.Buf[headersEnd:], true
}

func (e *envelope) setFragment(enc *xmlenc.Encoder) {
	enc.Fragment = compactFragment11
	if e.version == impl.SOAP12 {
		enc.Fragment = compactFragment12
	}
}

// noCompact is set only by tests that compare with the output without
// Compact.
var noCompact atomic.Bool

var encoders = sync.Pool{New: func() any { return new(xmlenc.Encoder) }}

// putEncoder returns enc to the pool, unless a large request grew its
// buffer past what bufPool keeps.
func putEncoder(enc *xmlenc.Encoder) {
	enc.Reset()
	if cap(enc.Buf) <= maxPooledBuffer {
		encoders.Put(enc)
	}
}

func compactFragment11(dst, frag []byte, def, xt string) ([]byte, bool) {
	return compactFragment(dst, frag, soap11NS, def, xt)
}

func compactFragment12(dst, frag []byte, def, xt string) ([]byte, bool) {
	return compactFragment(dst, frag, soap12NS, def, xt)
}

// compactFragment is xmlenc's Fragment: what encoding/xml wrote for a
// Marshaler, with the declarations that repeat the scope (the envelope's
// prefixes, the default namespace and xt where it goes) dropped.
func compactFragment(dst, frag, soapNS []byte, def, xt string) ([]byte, bool) {
	scope := make([]nsBinding, 0, 4)
	scope = append(scope, nsBinding{prefix: soapPrefix, uri: soapNS}, xsiBinding)
	if def != "" {
		scope = append(scope, nsBinding{uri: []byte(def)})
	}
	if xt != "" {
		scope = append(scope, nsBinding{prefix: []byte("xt"), uri: []byte(xt)})
	}
	return compactNS(dst, frag, scope), bytes.Contains(frag, xsiDecl)
}
