// Package xmlenc encodes the values of generated packages as encoding/xml
// does, into a byte slice, with per-type plans built once instead of
// encoding/xml's reflection and writer per element, and with each default
// namespace declared only where it changes. A type it has no plan for
// makes Supported false (the caller then uses encoding/xml for the whole
// message); an xml.Marshaler it has no Native for is encoded by
// encoding/xml as one fragment.
package xmlenc

import (
	"encoding"
	"encoding/xml"
	"reflect"
	"strings"

	"github.com/wsdlsess/wsdlsess/runtime/internal/typecache"
	"github.com/wsdlsess/wsdlsess/runtime/internal/xmltag"
)

// kind is how a value is encoded.
type kind uint8

const (
	kString kind = iota
	kBytes
	kInt
	kUint
	kFloat
	kBool
	kText      // encoding.TextMarshaler (value receiver)
	kStruct    // fields by tag
	kPtr       // nil: nothing; else elem
	kSlice     // each element with the same name
	kIface     // the dynamic value's plan, looked up per value
	kMarshaler // xml.Marshaler without a Native: encoding/xml writes it
	// kPtrMarshaler: only *T is an xml.Marshaler (generated qualified
	// elements); encoding/xml calls it for an addressable value only.
	kPtrMarshaler
	kNative    // a Native the runtime registered
	kAttrMarsh // xml.MarshalerAttr (attribute fields only)
	kAttr      // xml.Attr (attribute fields only)
)

type plan struct {
	kind   kind
	t      reflect.Type
	elem   *plan
	native Native
	st     *structPlan
	// name is the type's name as encoding/xml uses it when nothing else
	// names the element (generic arguments cut off).
	name string
}

type structPlan struct {
	xmlname  int // field index, -1 for none
	name, ns string
	// emptyXMLName: an XMLName field without a name in its tag, whose
	// element encoding/xml moves out of a namespaced parent's default
	// namespace with xmlns="".
	emptyXMLName bool
	innerXML     bool        // a field is ,innerxml
	fields       []fieldPlan // in field order, attributes included
}

// fieldMode is what a field is on the wire, read from its tag.
type fieldMode = xmltag.Mode

const (
	fElem     = xmltag.Elem
	fAttr     = xmltag.Attr
	fAnyAttr  = xmltag.AnyAttr
	fCharData = xmltag.CharData
	fInnerXML = xmltag.InnerXML
	fAny      = xmltag.Any
)

type fieldPlan struct {
	index     int
	mode      fieldMode
	name, ns  string
	omitEmpty bool
	p         *plan
}

// Native encodes a type of the runtime without encoding/xml. start is the
// element encoding/xml would pass to the type's MarshalXML.
type Native func(e *Encoder, v reflect.Value, start *Start) error

var (
	plans   typecache.Cache[*plan]
	natives typecache.Natives[Native]
)

// errNoPlan: a type this package leaves to encoding/xml.
var errNoPlan = typecache.ErrNone

// RegisterNative makes match consulted for every type a plan meets: a
// non-nil Native encodes that type instead of its MarshalXML. Register
// before the first encode.
func RegisterNative(match func(reflect.Type) Native) {
	natives.Register(match)
}

func nativeFor(t reflect.Type) Native { return natives.For(t) }

// Supported reports whether values of type t can be encoded.
func Supported(t reflect.Type) bool {
	if t == nil {
		return false
	}
	_, err := planFor(t)
	return err == nil
}

func planFor(t reflect.Type) (*plan, error) {
	return plans.Get(t, func(t reflect.Type) (*plan, map[reflect.Type]*plan, error) {
		b := builder{building: map[reflect.Type]*plan{}}
		p, err := b.build(t)
		return p, b.building, err
	})
}

type builder struct {
	building map[reflect.Type]*plan
}

var (
	marshalerType     = reflect.TypeFor[xml.Marshaler]()
	marshalerAttrType = reflect.TypeFor[xml.MarshalerAttr]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	nameType          = reflect.TypeFor[xml.Name]()
	attrType          = reflect.TypeFor[xml.Attr]()
)

// ptrOnly reports whether only *t implements iface: encoding/xml then
// uses the method only for addressable values, which this package does
// not follow.
func ptrOnly(t, iface reflect.Type) bool {
	return !t.Implements(iface) && reflect.PointerTo(t).Implements(iface)
}

func typeName(t reflect.Type) string {
	name := t.Name()
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i]
	}
	return name
}

// build returns the plan of an element encoded from a value of type t,
// following encoding/xml's marshalValue: pointer, Marshaler,
// TextMarshaler, slice, then the kind.
func (b *builder) build(t reflect.Type) (*plan, error) {
	if p, found, err := plans.Load(t); found {
		return p, err
	}
	if p, ok := b.building[t]; ok {
		return p, nil
	}
	p := &plan{t: t, name: typeName(t)}
	b.building[t] = p
	if t.Kind() == reflect.Pointer {
		e, err := b.build(t.Elem())
		if err != nil {
			return nil, err
		}
		p.kind, p.elem = kPtr, e
		return p, nil
	}
	if ptrOnly(t, textMarshalerType) {
		return nil, errNoPlan
	}
	if ptrOnly(t, marshalerType) && nativeFor(t) == nil {
		p.kind = kPtrMarshaler
		return p, nil
	}
	if n := nativeFor(t); n != nil {
		p.kind, p.native = kNative, n
		return p, nil
	}
	if t.Implements(marshalerType) {
		p.kind = kMarshaler
		return p, nil
	}
	if t.Implements(textMarshalerType) {
		p.kind = kText
		return p, nil
	}
	if k, ok := scalarKind(t.Kind()); ok {
		p.kind = k
		return p, nil
	}
	switch t.Kind() {
	case reflect.Interface:
		p.kind = kIface
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			p.kind = kBytes
			break
		}
		e, err := b.build(t.Elem())
		if err != nil {
			return nil, err
		}
		p.kind, p.elem = kSlice, e
	case reflect.Struct:
		if t == nameType {
			return nil, errNoPlan
		}
		st, err := b.structPlan(t)
		if err != nil {
			return nil, err
		}
		p.kind, p.st = kStruct, st
	default:
		return nil, errNoPlan
	}
	return p, nil
}

// scalarKind is the kind of a string, number or bool, written as
// encoding/xml writes them.
func scalarKind(k reflect.Kind) (kind, bool) {
	switch k {
	case reflect.String:
		return kString, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return kInt, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return kUint, true
	case reflect.Float32, reflect.Float64:
		return kFloat, true
	case reflect.Bool:
		return kBool, true
	}
	return 0, false
}

// structPlan reads t's fields as encoding/xml's getTypeInfo does, for the
// tag forms generated code uses; anything else (embedded structs, a>b
// paths, comments, cdata, conflicting names) gets no plan.
func (b *builder) structPlan(t reflect.Type) (*structPlan, error) {
	sp := &structPlan{xmlname: -1}
	type seen struct {
		mode     fieldMode
		name, ns string
	}
	var modes []seen
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("xml")
		if f.Anonymous {
			return nil, errNoPlan
		}
		if !f.IsExported() || tag == "-" {
			continue
		}
		tg, ok := xmltag.Parse(tag)
		if !ok {
			return nil, errNoPlan
		}
		name, ns := tg.Name, tg.NS
		if strings.IndexByte(name, ':') >= 0 && (tg.Mode == xmltag.Elem || f.Name == "XMLName") {
			// A prefixed element name, literal in the output: not in
			// generated code, and a Compact output would bind it.
			return nil, errNoPlan
		}
		fp := fieldPlan{index: i, omitEmpty: tg.OmitEmpty, mode: tg.Mode}
		if f.Name == "XMLName" {
			if tg.Mode != xmltag.Elem || f.Type != nameType {
				return nil, errNoPlan
			}
			sp.xmlname = i
			sp.name, sp.ns = name, ns
			sp.emptyXMLName = name == "" && ns == ""
			continue
		}
		if name != "" && fp.mode != fElem && fp.mode != fAttr && fp.mode != fAnyAttr {
			return nil, errNoPlan
		}
		if name == "" {
			if xmltag.NamedByType(f.Type) && (fp.mode == fElem || fp.mode == fAny) {
				return nil, errNoPlan // named by the type's XMLName
			}
			name = f.Name
		}
		if fp.mode == fElem && xmltag.NamedByType(f.Type) {
			return nil, errNoPlan // encoding/xml checks the two names agree
		}
		for _, s := range modes {
			if s.mode == fp.mode && s.name == name && s.ns == ns {
				return nil, errNoPlan
			}
		}
		modes = append(modes, seen{fp.mode, name, ns})
		fp.name, fp.ns = name, ns
		var err error
		switch fp.mode {
		case fAttr, fAnyAttr:
			fp.p, err = b.attrPlan(f.Type)
		case fCharData:
			fp.p, err = b.charDataPlan(f.Type)
		case fInnerXML:
			if f.Type != reflect.TypeFor[string]() && f.Type != reflect.TypeFor[[]byte]() {
				return nil, errNoPlan
			}
			sp.innerXML = true
		default:
			fp.p, err = b.build(f.Type)
		}
		if err != nil {
			return nil, err
		}
		sp.fields = append(sp.fields, fp)
	}
	return sp, nil
}

// charDataPlan accepts what encoding/xml writes as text: a TextMarshaler,
// else a basic kind or []byte through pointers.
func (b *builder) charDataPlan(t reflect.Type) (*plan, error) {
	p := &plan{t: t}
	if ptrOnly(t, textMarshalerType) {
		return nil, errNoPlan
	}
	if t.Implements(textMarshalerType) {
		if t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface {
			return nil, errNoPlan // a nil one would be called
		}
		p.kind = kText
		return p, nil
	}
	if k, ok := scalarKind(t.Kind()); ok {
		p.kind = k
		return p, nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		e, err := b.charDataPlan(t.Elem())
		if err != nil || e.kind == kText {
			return nil, errNoPlan
		}
		p.kind, p.elem = kPtr, e
		return p, nil
	case reflect.Slice:
		if t.Elem() != reflect.TypeFor[byte]() {
			return nil, errNoPlan
		}
		p.kind = kBytes
	default:
		return nil, errNoPlan
	}
	return p, nil
}

// attrPlan follows encoding/xml's marshalAttr.
func (b *builder) attrPlan(t reflect.Type) (*plan, error) {
	p := &plan{t: t}
	if ptrOnly(t, marshalerAttrType) || ptrOnly(t, textMarshalerType) {
		return nil, errNoPlan
	}
	switch {
	case t.Implements(marshalerAttrType):
		if t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface {
			return nil, errNoPlan
		}
		p.kind = kAttrMarsh
		return p, nil
	case t.Implements(textMarshalerType):
		if t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface {
			// A nil pointer's method would be called (and panic):
			// encoding/xml's business.
			if t.Kind() == reflect.Pointer && t.Elem().Implements(textMarshalerType) && t.Elem().Kind() != reflect.Pointer {
				e, err := b.attrPlan(t.Elem())
				if err != nil {
					return nil, err
				}
				p.kind, p.elem = kPtr, e
				return p, nil
			}
			return nil, errNoPlan
		}
		p.kind = kText
		return p, nil
	}
	if k, ok := scalarKind(t.Kind()); ok {
		p.kind = k
		return p, nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		if t.Elem().Kind() == reflect.Pointer || t.Elem().Kind() == reflect.Slice && t.Elem().Elem().Kind() != reflect.Uint8 {
			return nil, errNoPlan
		}
		e, err := b.attrPlan(t.Elem())
		if err != nil || e.kind == kAttrMarsh {
			return nil, errNoPlan
		}
		p.kind, p.elem = kPtr, e
		return p, nil
	case reflect.Slice:
		if t.Elem().Kind() != reflect.Uint8 {
			return nil, errNoPlan // one attribute per item: not in generated code
		}
		p.kind = kBytes
	case reflect.Struct:
		if t != attrType {
			return nil, errNoPlan
		}
		p.kind = kAttr
	default:
		return nil, errNoPlan
	}
	return p, nil
}
