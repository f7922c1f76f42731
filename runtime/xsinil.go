package runtime

import (
	"encoding/xml"
	"reflect"

	"github.com/wsdlsess/wsdlsess/runtime/internal/hook"
)

func init() { hook.MarkXSINil = markXSINil }

// markXSINil implements impl.MarkXSINil.
func markXSINil(d *xml.Decoder, v any) {
	st := stateOf(d)
	if st == nil {
		return
	}
	if st.nils == nil {
		st.nils = map[any]struct{}{}
	}
	st.nils[v] = struct{}{}
}

// clearNils sets every pointer in v's tree that MarkXSINil recorded back
// to nil. Nothing to do costs nothing: no walk without a mark. An xsi:nil
// item of a slice of structs stays a zero item (a slice element has no
// nil).
func (st *decodeState) clearNils(v any) {
	if len(st.nils) == 0 {
		return
	}
	left := len(st.nils)
	clearNilsIn(reflect.ValueOf(v), st.nils, &left)
	st.nils = nil
}

func clearNilsIn(v reflect.Value, nils map[any]struct{}, left *int) {
	if *left == 0 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			clearNilsIn(v.Elem(), nils, left)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField() && *left > 0; i++ {
			if f := v.Field(i); f.CanSet() {
				clearNilsAt(f, nils, left)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len() && *left > 0; i++ {
			clearNilsAt(v.Index(i), nils, left)
		}
	}
}

// clearNilsAt clears f if it holds a marked pointer, else looks inside.
func clearNilsAt(f reflect.Value, nils map[any]struct{}, left *int) {
	k := f.Kind()
	if (k == reflect.Pointer || k == reflect.Interface && f.Elem().Kind() == reflect.Pointer) && !f.IsNil() && f.CanSet() {
		if _, marked := nils[f.Interface()]; marked {
			f.SetZero()
			*left--
			return
		}
	}
	clearNilsIn(f, nils, left)
}
