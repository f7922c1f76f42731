package impl

import (
	"reflect"
	"sync"
)

// nilTargets holds the struct types generated packages registered with
// NilTargets.
var nilTargets sync.Map // reflect.Type → struct{}

// NilTargets registers generated structs, given as nil pointers, whose
// UnmarshalXML does only this: an element with xsi:nil is recorded with
// MarkXSINil and skipped, any other decodes the struct's fields. The
// runtime's body decoder then does the same itself instead of handing
// each such element to encoding/xml. A generated package calls it once,
// as "var _ = impl.NilTargets(…)".
func NilTargets(types ...any) struct{} {
	for _, p := range types {
		if t := reflect.TypeOf(p); t != nil && t.Kind() == reflect.Pointer {
			nilTargets.Store(t.Elem(), struct{}{})
		}
	}
	return struct{}{}
}

// IsNilTarget reports whether NilTargets registered struct type t.
func IsNilTarget(t reflect.Type) bool {
	_, ok := nilTargets.Load(t)
	return ok
}
