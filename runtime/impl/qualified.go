package impl

import (
	"encoding/xml"
	"fmt"
	"reflect"
	"sync"
)

// EncodeQualifiedStruct is EncodeQualified for v, a pointer to the
// generated struct whose MarshalXML calls it. The struct is encoded as a
// value of an unnamed struct type with the same fields (made once per
// type with reflect.StructOf; a pointer to the one converts to a pointer
// to the other), which has no MarshalXML to call back into.
//
// A "type plain T" declared inside each such method did the same, but a
// type per method cost the Go compiler most of a large package's build:
// vboxweb's 1,994 of them took 10 of its 14 seconds and half its memory.
func EncodeQualifiedStruct(e *xml.Encoder, start xml.StartElement, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("impl.EncodeQualifiedStruct: %T is not a pointer to a struct", v)
	}
	pt, err := plainStruct(rv.Elem().Type())
	if err != nil {
		return err
	}
	return EncodeQualified(e, start, rv.Convert(pt).Interface())
}

// plainTypes maps a struct type to a pointer to its plain twin, or to the
// error that it has none.
var plainTypes sync.Map // reflect.Type → reflect.Type | error

// plainStruct returns the type *struct{…} with t's fields and tags and no
// methods.
func plainStruct(t reflect.Type) (reflect.Type, error) {
	if x, ok := plainTypes.Load(t); ok {
		if err, isErr := x.(error); isErr {
			return nil, err
		}
		return x.(reflect.Type), nil
	}
	pt, err := makePlain(t)
	if err != nil {
		plainTypes.Store(t, err)
		return nil, err
	}
	plainTypes.Store(t, pt)
	return pt, nil
}

func makePlain(t reflect.Type) (pt reflect.Type, err error) {
	fields := make([]reflect.StructField, t.NumField())
	for i := range fields {
		f := t.Field(i)
		if !f.IsExported() || f.Anonymous {
			return nil, fmt.Errorf("impl.EncodeQualifiedStruct: %v has an unexported or embedded field %s", t, f.Name)
		}
		fields[i] = reflect.StructField{Name: f.Name, Type: f.Type, Tag: f.Tag}
	}
	// StructOf panics on what it cannot build; the error says which type.
	defer func() {
		if r := recover(); r != nil {
			pt, err = nil, fmt.Errorf("impl.EncodeQualifiedStruct: %v: %v", t, r)
		}
	}()
	return reflect.PointerTo(reflect.StructOf(fields)), nil
}
