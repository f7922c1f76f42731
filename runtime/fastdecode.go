package runtime

import (
	"bytes"
	"encoding/xml"
	"maps"
	"reflect"
	"strings"
	"sync/atomic"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
	"github.com/wsdlsess/wsdlsess/runtime/internal/xmldec"
)

// The body of a response is decoded by xmldec, which reads the bytes
// once without encoding/xml's per-token allocations, when it can build a
// plan for the type; a value whose type implements xml.Unmarshaler is
// handed to encoding/xml as a subtree, except the types registered here
// (Nillable, the generated nil targets), which xmldec decodes itself.
func init() { xmldec.RegisterNative(nativeDecoder) }

// noXMLDec is set only by tests that compare with encoding/xml.
var noXMLDec atomic.Bool

var (
	anyTypeType = reflect.TypeFor[XSDAnyType]()
	runtimePkg  = anyTypeType.PkgPath()
)

func nativeDecoder(t reflect.Type) xmldec.Native {
	switch {
	case t == anyTypeType:
		return decodeAnyTypeNative
	case t.Kind() == reflect.Struct && t.PkgPath() == runtimePkg && strings.HasPrefix(t.Name(), "Nillable["):
		return decodeNillableNative
	case t.Kind() == reflect.Struct && impl.IsNilTarget(t):
		return decodeNilTargetNative
	}
	return nil
}

// xsiNil is impl.XSINil on an element xmldec reads.
func xsiNil(e *xmldec.Element) bool {
	v, ok := e.Attr(xsiNamespace, "nil")
	if !ok {
		return false
	}
	s := string(bytes.TrimSpace(v))
	return s == "true" || s == "1"
}

// decodeNilTargetNative is the UnmarshalXML generated for a struct some
// nillable element has (see impl.NilTargets).
func decodeNilTargetNative(d *xmldec.Decoder, v reflect.Value, e *xmldec.Element) error {
	if xsiNil(e) {
		st := d.State().(*decodeState)
		if st.nils == nil {
			st.nils = map[any]struct{}{}
		}
		st.nils[v.Addr().Interface()] = struct{}{}
		return e.Skip()
	}
	return e.DecodeStruct(v)
}

// decodeNillableNative is Nillable[T].UnmarshalXML.
func decodeNillableNative(_ *xmldec.Decoder, v reflect.Value, e *xmldec.Element) error {
	if xsiNil(e) {
		v.Field(0).SetZero()
		v.Field(1).SetBool(true)
		return e.Skip()
	}
	v.Field(1).SetBool(false)
	return e.Decode(v.Field(0))
}

// fastDecode decodes the body element whose start tag ends at off into
// out with xmldec, which bounds nesting and attributes as checkXMLShape
// does (the element was not checked: see shapeReader), and returns where
// the element ended. On false out is zeroed again (and what the attempt
// recorded forgotten), for encoding/xml to decode.
func (st *decodeState) fastDecode(data []byte, off int64, out any) (xmldec.Done, bool) {
	if !xmldec.Supported(reflect.TypeOf(out)) {
		return xmldec.Done{}, false
	}
	var budget int64
	var used map[string]bool
	if st.xop != nil {
		budget, used = st.xop.budget, maps.Clone(st.xop.used)
	}
	scopeBudget := st.ns.budget
	st.anyScope.reset() // scope IDs name scopes within one decode
	done, err := xmldec.Decode(data, int(off), out, &xmldec.Options{Fallback: st.subDecoder, State: st, MaxDepth: maxXMLDepth, MaxAttrs: maxXMLAttrs})
	if err == nil {
		return done, true
	}
	reflect.ValueOf(out).Elem().SetZero()
	st.nils = nil
	st.ns.budget = scopeBudget
	if st.xop != nil {
		st.xop.budget, st.xop.used = budget, used
	}
	return xmldec.Done{}, false
}

// subDecoder is the encoding/xml decoder of one subtree xmldec hands
// over, registered like the envelope's so xsi:nil marks, the namespace
// scope of an XSDAnyType and MTOM parts work inside it.
func (st *decodeState) subDecoder(doc []byte) (*xml.Decoder, func()) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.CharsetReader = charsetReader
	sub := beginDecode(d, doc)
	sub.xop = st.xop
	// One scope budget for the whole answer, as when encoding/xml reads it.
	sub.ns.budget = st.ns.budget
	return d, func() {
		endDecode(d)
		st.ns.budget = sub.ns.budget
		if len(sub.nils) > 0 {
			if st.nils == nil {
				st.nils = map[any]struct{}{}
			}
			maps.Copy(st.nils, sub.nils)
		}
	}
}
