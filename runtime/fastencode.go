package runtime

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"

	"github.com/wsdlsess/wsdlsess/runtime/impl"
	"github.com/wsdlsess/wsdlsess/runtime/internal/xmlenc"
)

// A request's typed headers and body are encoded by xmlenc, which
// follows encoding/xml's output with per-type plans and declares each
// default namespace only where it changes, when it has a plan for every
// type; a value whose type implements xml.Marshaler is written by
// encoding/xml as a fragment, except the types registered here
// (Nillable, XSDAnyType built in Go, the generated polymorphic holders),
// which xmlenc writes itself.
func init() { xmlenc.RegisterNative(nativeEncoder) }

// noXMLEnc is set only by tests and benchmarks that compare with
// encoding/xml.
var noXMLEnc atomic.Bool

func nativeEncoder(t reflect.Type) xmlenc.Native {
	switch {
	case t == anyTypeType:
		return encodeAnyTypeNative
	case t.Kind() == reflect.Struct && t.PkgPath() == runtimePkg && strings.HasPrefix(t.Name(), "Nillable["):
		return encodeNillableNative
	case t.Kind() == reflect.Struct && t.NumField() == 1 && t.Field(0).Type.Kind() == reflect.Interface:
		if ts, ok := impl.XSIHolder(t); ok {
			return holderEncoder(ts)
		}
	}
	return nil
}

// encodeNillableNative is Nillable[T].MarshalXML.
func encodeNillableNative(e *xmlenc.Encoder, v reflect.Value, start *xmlenc.Start) error {
	if v.Field(1).Bool() {
		s := *start
		s.Nil = true
		return e.Element(&s, nil)
	}
	return e.EncodeElement(v.Field(0), start)
}

// encodeAnyTypeNative is XSDAnyType.MarshalXML for a value built in Go
// (no Scope); one from a response, whose prefixes are rewritten to its
// scope, goes to encoding/xml.
func encodeAnyTypeNative(e *xmlenc.Encoder, v reflect.Value, start *xmlenc.Start) error {
	var a *XSDAnyType
	if v.CanAddr() {
		a = v.Addr().Interface().(*XSDAnyType)
	} else {
		c := v.Interface().(XSDAnyType)
		a = &c
	}
	if a.Scope != nil {
		return e.Fallback(v, start)
	}
	s := *start
	if a.XMLName.Local != "" {
		s.Name = a.XMLName
	}
	if err := a.checkNames(s.Name.Local); err != nil {
		return err
	}
	// Raw XML with markup may name elements in the default namespace.
	s.Keep = bytes.IndexByte(a.Inner, '<') >= 0
	if len(a.Attrs) > 0 {
		s.Attr = append(make([]xml.Attr, 0, len(s.Attr)+len(a.Attrs)), s.Attr...)
		for _, at := range a.Attrs {
			switch {
			case at.Name.Space == "xmlns":
				at.Name = xml.Name{Local: "xmlns:" + at.Name.Local}
			case at.Name.Space == "" && at.Name.Local == "xmlns" && s.Name.Space != "":
				continue
			}
			s.Attr = append(s.Attr, at)
		}
	}
	return e.Element(&s, func(e *xmlenc.Encoder) error {
		e.Raw(a.Inner)
		return nil
	})
}

// holderEncoder is the MarshalXML of a generated polymorphic holder:
// ts.Encode(e, start, h.Value).
func holderEncoder(ts *impl.XSITypes) xmlenc.Native {
	return func(e *xmlenc.Encoder, v reflect.Value, start *xmlenc.Start) error {
		val := v.Field(0)
		s := *start
		if val.IsNil() {
			s.Nil = true
			return e.Element(&s, nil)
		}
		concrete := val.Elem()
		name, ok := ts.Name(concrete.Interface())
		if !ok {
			return fmt.Errorf("runtime: %s is not in the xsi:type table", concrete.Type())
		}
		for i, a := range s.Attr {
			if a.Name.Space == xsiNamespace && a.Name.Local == "type" {
				kept := make([]xml.Attr, 0, len(s.Attr))
				kept = append(kept, s.Attr[:i]...)
				for _, a := range s.Attr[i:] {
					if a.Name.Space != xsiNamespace || a.Name.Local != "type" {
						kept = append(kept, a)
					}
				}
				s.Attr = kept
				break
			}
		}
		s.Type = name
		return e.EncodeElement(concrete, &s)
	}
}
