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

// decodeAnyTypeNative is XSDAnyType.UnmarshalXML: the scope kept is
// the one nsIndex.scopeOf gives, charged to the same budget. Values with
// the same scope share one map (a Salesforce answer's thousands of record
// fields have two or three scopes between them).
func decodeAnyTypeNative(d *xmldec.Decoder, v reflect.Value, e *xmldec.Element) error {
	a := v.Addr().Interface().(*XSDAnyType)
	a.XMLName = e.Name()
	if attrs := e.Attrs(); attrs != nil {
		if a.Attrs == nil {
			a.Attrs = attrs // Attrs made it: no second copy
		} else {
			a.Attrs = append(a.Attrs, attrs...)
		}
	}
	inner, self, err := e.Inner()
	if err != nil {
		return err
	}
	if self {
		a.Inner = nil
	} else {
		a.Inner = append(make([]byte, 0, len(inner)), inner...)
	}
	st := d.State().(*decodeState)
	// The bindings in scope, innermost first, once each; then the ones
	// the element mentions kept, found in one pass over it.
	cands := st.scopeKept[:0]
	visited := e.Bindings(func(prefix, uri string) {
		for _, k := range cands {
			if k.prefix == prefix {
				return // an inner declaration of it comes first
			}
		}
		cands = append(cands, scopeEntry{prefix: prefix, uri: uri})
	})
	if st.ns.budget -= visited; st.ns.budget < 0 {
		return errScopeBudget
	}
	raw := e.Raw()
	if len(cands) <= 16 {
		markMentioned(raw, cands)
	} else {
		used := prefixSetOf(raw)
		for i := range cands {
			cands[i].used = cands[i].prefix == "" || used.has(cands[i].prefix)
		}
	}
	kept := cands[:0]
	for _, c := range cands {
		if c.used {
			kept = append(kept, c)
		}
	}
	st.scopeKept = kept
	a.Scope = st.sharedScope(kept)
	return nil
}

// scopeEntry is one binding in scope at an XSDAnyType; used when the
// element mentions it (or it is the default namespace).
type scopeEntry struct {
	prefix, uri string
	used        bool
}

// markMentioned sets used on the default namespace's entry and on those
// whose prefix stands before a ':' in b (what prefixesIn collects), in
// one pass over b.
func markMentioned(b []byte, cands []scopeEntry) {
	for i := range cands {
		cands[i].used = cands[i].prefix == ""
	}
	for k := bytes.IndexByte(b, ':'); k >= 0; {
		j := k
		for j > 0 && isNameByte(b[j-1]) {
			j--
		}
		if j < k {
			for i := range cands {
				if !cands[i].used && cands[i].prefix == string(b[j:k]) {
					cands[i].used = true
				}
			}
		}
		n := bytes.IndexByte(b[k+1:], ':')
		if n < 0 {
			return
		}
		k += 1 + n
	}
}

// sharedScope returns a map of exactly the entries kept: one made before
// for the same entries, or a new one, remembered among the last few.
func (st *decodeState) sharedScope(kept []scopeEntry) map[string]string {
	for _, m := range st.scopes {
		if len(m) != len(kept) {
			continue
		}
		same := true
		for _, k := range kept {
			if u, ok := m[k.prefix]; !ok || u != k.uri {
				same = false
				break
			}
		}
		if same {
			return m
		}
	}
	m := make(map[string]string, len(kept))
	for _, k := range kept {
		m[k.prefix] = k.uri
	}
	if len(st.scopes) < 8 {
		st.scopes = append(st.scopes, m)
	} else {
		st.scopes[st.nextScope%8] = m
		st.nextScope++
	}
	return m
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
