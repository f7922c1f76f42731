package xmldec

import (
	"encoding"
	"encoding/xml"
	"reflect"

	"github.com/wsdlsess/wsdlsess/runtime/internal/typecache"
	"github.com/wsdlsess/wsdlsess/runtime/internal/xmltag"
)

// kind is how a value is decoded.
type kind uint8

const (
	kString kind = iota
	kBytes
	kInt
	kUint
	kFloat
	kBool
	kText        // encoding.TextUnmarshaler
	kName        // xml.Name: the element's name
	kStruct      // fields by tag
	kPtr         // allocate, then elem
	kSlice       // append one, then elem
	kIface       // skipped, as encoding/xml does
	kUnmarshaler // xml.Unmarshaler: the subtree goes to encoding/xml
	kNative      // a Native the runtime registered
	kAttr        // xml.Attr (attribute fields only)
	kAttrUnm     // xml.UnmarshalerAttr (attribute fields only)
)

// plan is how one Go type is decoded.
type plan struct {
	kind   kind
	t      reflect.Type
	elem   *plan
	native Native
	st     *structPlan
}

type structPlan struct {
	xmlname       int // field index, -1 for none
	xmlnameIsName bool
	name, ns      string // expected element name and namespace ("": any)
	attrs         []fieldPlan
	anyAttr       int
	anyAttrPlan   *plan
	chardata      int
	chardataPlan  *plan
	innerxml      int
	innerIsString bool
	elems         []fieldPlan
	anyElem       int
	anyElemPlan   *plan
	unique        bool // no two elems share a local name
}

type fieldPlan struct {
	index    int
	name, ns string
	p        *plan
}

// Native decodes a type of the runtime without encoding/xml. An error
// from the Element's methods must be returned, not handled: the decoder
// does not restore its state (namespace scope, nesting, the slices it
// gathers) after one, since the decode is then abandoned.
type Native func(d *Decoder, v reflect.Value, e *Element) error

var (
	plans   typecache.Cache[*plan]
	natives typecache.Natives[Native]
)

// errNoPlan: a type this package leaves to encoding/xml.
var errNoPlan = typecache.ErrNone

// RegisterNative makes match consulted for every type a plan meets:
// a non-nil Native decodes that type (instead of its UnmarshalXML).
// Register before the first decode.
func RegisterNative(match func(reflect.Type) Native) {
	natives.Register(match)
}

func nativeFor(t reflect.Type) Native { return natives.For(t) }

// Supported reports whether values of type t (a pointer to what is
// decoded) can be decoded.
func Supported(t reflect.Type) bool {
	if t.Kind() != reflect.Pointer {
		return false
	}
	_, err := planFor(t.Elem())
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
	unmarshalerType     = reflect.TypeFor[xml.Unmarshaler]()
	unmarshalerAttrType = reflect.TypeFor[xml.UnmarshalerAttr]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	nameType            = reflect.TypeFor[xml.Name]()
	attrType            = reflect.TypeFor[xml.Attr]()
)

func implements(t, iface reflect.Type) bool {
	return t.Implements(iface) || reflect.PointerTo(t).Implements(iface)
}

// build returns the plan of an element decoded into a value of type t,
// following encoding/xml's unmarshal: pointer, Unmarshaler,
// TextUnmarshaler, then the kind.
func (b *builder) build(t reflect.Type) (*plan, error) {
	if p, found, err := plans.Load(t); found {
		return p, err
	}
	if p, ok := b.building[t]; ok {
		return p, nil
	}
	p := &plan{t: t}
	b.building[t] = p
	if t.Kind() == reflect.Pointer {
		if t.Elem().Kind() == reflect.Pointer || t.Elem().Kind() == reflect.Interface {
			return nil, errNoPlan
		}
		e, err := b.build(t.Elem())
		if err != nil {
			return nil, err
		}
		p.kind, p.elem = kPtr, e
		return p, nil
	}
	if n := nativeFor(t); n != nil {
		p.kind, p.native = kNative, n
		return p, nil
	}
	if implements(t, unmarshalerType) {
		if t.Implements(unmarshalerType) {
			// A value receiver: encoding/xml calls it on a copy.
			return nil, errNoPlan
		}
		p.kind = kUnmarshaler
		return p, nil
	}
	if implements(t, textUnmarshalerType) {
		if t.Implements(textUnmarshalerType) {
			return nil, errNoPlan
		}
		p.kind = kText
		return p, nil
	}
	switch t.Kind() {
	case reflect.String:
		p.kind = kString
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		p.kind = kInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		p.kind = kUint
	case reflect.Float32, reflect.Float64:
		p.kind = kFloat
	case reflect.Bool:
		p.kind = kBool
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
			p.kind = kName
			break
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

// structPlan reads t's fields as encoding/xml's getTypeInfo does, for the
// tag forms generated code uses; anything else (embedded structs, a>b
// paths, comments, conflicting names) gets no plan.
func (b *builder) structPlan(t reflect.Type) (*structPlan, error) {
	sp := &structPlan{xmlname: -1, anyAttr: -1, chardata: -1, innerxml: -1, anyElem: -1}
	type seen struct {
		mode     xmltag.Mode
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
		name, ns, mode := tg.Name, tg.NS, tg.Mode
		if f.Name == "XMLName" {
			if mode != xmltag.Elem {
				return nil, errNoPlan
			}
			sp.xmlname = i
			sp.name, sp.ns = name, ns
			sp.xmlnameIsName = f.Type == nameType
			continue
		}
		if (mode == xmltag.Elem || mode == xmltag.Attr) && name == "" {
			name = f.Name
			if mode == xmltag.Elem && xmltag.NamedByType(f.Type) {
				return nil, errNoPlan // named by the type's XMLName
			}
		}
		if mode == xmltag.Elem && xmltag.NamedByType(f.Type) {
			return nil, errNoPlan // encoding/xml checks the two names agree
		}
		for _, s := range modes {
			if s.mode == mode && s.name == name && s.ns == ns {
				return nil, errNoPlan // encoding/xml refuses the type
			}
		}
		modes = append(modes, seen{mode, name, ns})
		switch mode {
		case xmltag.Elem, xmltag.Attr:
			var p *plan
			var err error
			if mode == xmltag.Attr {
				p, err = b.attrPlan(f.Type)
			} else {
				p, err = b.build(f.Type)
			}
			if err != nil {
				return nil, err
			}
			fp := fieldPlan{index: i, name: name, ns: ns, p: p}
			if mode == xmltag.Attr {
				sp.attrs = append(sp.attrs, fp)
			} else {
				sp.elems = append(sp.elems, fp)
			}
		default:
			if name != "" && mode != xmltag.Attr {
				return nil, errNoPlan
			}
		}
		switch mode {
		case xmltag.AnyAttr:
			if sp.anyAttr < 0 {
				p, err := b.attrPlan(f.Type)
				if err != nil {
					return nil, err
				}
				sp.anyAttr, sp.anyAttrPlan = i, p
			}
		case xmltag.CharData:
			if sp.chardata < 0 {
				p, err := b.build(f.Type)
				if err != nil {
					return nil, err
				}
				switch p.kind {
				case kString, kBytes, kInt, kUint, kFloat, kBool, kText:
				default:
					return nil, errNoPlan
				}
				sp.chardata, sp.chardataPlan = i, p
			}
		case xmltag.InnerXML:
			if sp.innerxml < 0 {
				switch {
				case f.Type.Kind() == reflect.String:
					sp.innerIsString = true
				case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Uint8:
				default:
					return nil, errNoPlan
				}
				sp.innerxml = i
			}
		case xmltag.Any:
			if sp.anyElem < 0 {
				p, err := b.build(f.Type)
				if err != nil {
					return nil, err
				}
				sp.anyElem, sp.anyElemPlan = i, p
			}
		}
	}
	// With no two element fields of one local name, the first field that
	// matches is the only one, and the search may start anywhere.
	sp.unique = true
	for i := range sp.elems {
		for j := i + 1; j < len(sp.elems); j++ {
			if sp.elems[i].name == sp.elems[j].name {
				sp.unique = false
			}
		}
	}
	if sp.innerxml >= 0 && (len(sp.elems) > 0 || sp.anyElem >= 0) {
		// encoding/xml keeps one buffer for nested inner XML; not
		// worth following.
		return nil, errNoPlan
	}
	return sp, nil
}

// attrPlan follows encoding/xml's unmarshalAttr.
func (b *builder) attrPlan(t reflect.Type) (*plan, error) {
	p := &plan{t: t}
	if t.Kind() == reflect.Pointer {
		if t.Elem().Kind() == reflect.Pointer {
			return nil, errNoPlan
		}
		e, err := b.attrPlan(t.Elem())
		if err != nil {
			return nil, err
		}
		p.kind, p.elem = kPtr, e
		return p, nil
	}
	switch {
	case t.Implements(unmarshalerAttrType) || t.Implements(textUnmarshalerType):
		return nil, errNoPlan
	case reflect.PointerTo(t).Implements(unmarshalerAttrType):
		p.kind = kAttrUnm
		return p, nil
	case reflect.PointerTo(t).Implements(textUnmarshalerType):
		p.kind = kText
		return p, nil
	}
	switch t.Kind() {
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			p.kind = kBytes
			return p, nil
		}
		e, err := b.attrPlan(t.Elem())
		if err != nil {
			return nil, err
		}
		p.kind, p.elem = kSlice, e
		return p, nil
	case reflect.String:
		p.kind = kString
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		p.kind = kInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		p.kind = kUint
	case reflect.Float32, reflect.Float64:
		p.kind = kFloat
	case reflect.Bool:
		p.kind = kBool
	default:
		if t == attrType {
			p.kind = kAttr
			return p, nil
		}
		return nil, errNoPlan
	}
	return p, nil
}

var structPlans typecache.Cache[*structPlan]

// structPlanFor returns the field plan of struct type t, ignoring any
// Unmarshaler t has.
func structPlanFor(t reflect.Type) (*structPlan, error) {
	if t.Kind() != reflect.Struct {
		return nil, errNoPlan
	}
	return structPlans.Get(t, func(t reflect.Type) (*structPlan, map[reflect.Type]*structPlan, error) {
		b := builder{building: map[reflect.Type]*plan{}}
		sp, err := b.structPlan(t)
		if err == nil {
			// The element plans it built on the way serve planFor too.
			for bt, bp := range b.building {
				plans.Set(bt, bp)
			}
		}
		return sp, nil, err
	})
}
