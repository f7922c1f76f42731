package runtime

import (
	"bytes"
	"reflect"
	"sync"
	"sync/atomic"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
	"github.com/wsdlsess/wsdlsess/runtime/internal/xmlenc"
)

// writeFast writes the envelope with xmlenc, which declares each
// namespace the headers and the body use once, on the envelope (xmlenc's
// Compact and Shared: the body's namespace as the default namespace, a
// prefix for each other one), or, where that could change what the
// content means (Unsure, Clash), each default namespace where it changes.
// The xsi and xt prefixes are declared on the envelope too. Its output
// needs no compactNS pass. It returns false, having written nothing, when
// some type has no plan or encoding fails: write then uses encoding/xml,
// which also reports the error.
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
	bodyEnd, ok := 0, false
	if !noCompact.Load() {
		enc.Compact, enc.Shared = true, true
		bodyEnd, ok = e.encode(enc)
		ok = ok && !enc.Unsure && !enc.Clash()
	}
	if !ok {
		enc.Reset()
		if bodyEnd, ok = e.encode(enc); !ok {
			return false
		}
	}
	if e.writeStart(buf, enc.XSI, enc.RootXT, enc) != nil {
		return false
	}
	if e.hasHeader() {
		buf.Write(enc.Buf[bodyEnd:])
		buf.WriteString("</soap:Header>")
	}
	buf.WriteString("<soap:Body>")
	buf.Write(enc.Buf[:bodyEnd])
	buf.WriteString("</soap:Body></soap:Envelope>")
	return true
}

// encode encodes the body, then the typed headers, into enc.Buf: the
// body first, so that its namespace is the one a Shared encoder leaves
// to the envelope's default namespace.
func (e *envelope) encode(enc *xmlenc.Encoder) (bodyEnd int, ok bool) {
	enc.Fragment = compactFragment11
	if e.version == impl.SOAP12 {
		enc.Fragment = compactFragment12
	}
	if e.body != nil && enc.Encode(e.body) != nil {
		return 0, false
	}
	bodyEnd = len(enc.Buf)
	for _, h := range e.typed {
		if enc.Encode(h) != nil {
			return 0, false
		}
	}
	return bodyEnd, true
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
