package impl

import (
	"encoding/xml"
	"fmt"
	"reflect"
	"sync"
)

// XSITypeEntry is one row of a generated package's xsi:type table: an XML
// Schema type and its Go struct, given as a nil pointer ((*T)(nil)) so the
// table is static data the compiler does not turn into code.
type XSITypeEntry struct {
	Name xml.Name
	Type any
}

// XSITypes is a generated package's one table of the types an xsi:type
// attribute may name. Every polymorphic holder of the package looks the
// attribute up here and keeps what its interface accepts: one table
// instead of a switch per holder, which for vSphere (297 holders, 5,441
// cases) was most of the package's compile time and memory.
type XSITypes struct {
	entries []XSITypeEntry
	once    sync.Once
	byName  map[xml.Name]int
	byLocal map[string][]int
	names   map[reflect.Type]xml.Name
}

// NewXSITypes returns the table of entries. Its indexes are built on first
// use, so a program that never meets a polymorphic value pays nothing at
// start-up.
func NewXSITypes(entries []XSITypeEntry) *XSITypes {
	return &XSITypes{entries: entries}
}

func (ts *XSITypes) index() {
	ts.once.Do(func() {
		ts.byName = make(map[xml.Name]int, len(ts.entries))
		ts.byLocal = make(map[string][]int, len(ts.entries))
		ts.names = make(map[reflect.Type]xml.Name, len(ts.entries))
		for i, e := range ts.entries {
			if _, dup := ts.byName[e.Name]; !dup {
				ts.byName[e.Name] = i
			}
			ts.byLocal[e.Name.Local] = append(ts.byLocal[e.Name.Local], i)
			if rt := reflect.TypeOf(e.Type); rt != nil {
				if _, dup := ts.names[rt]; !dup {
					ts.names[rt] = e.Name
				}
			}
		}
	})
}

// New returns a new value (a pointer to a zero struct) of the type named
// by start's xsi:type, if the table has it and accept (the holder's
// interface check, given a nil pointer of the candidate type) takes it;
// otherwise nil, and the holder decodes its base type. When the prefix of
// the attribute could not be resolved (declared on an ancestor, see
// XSIType) the first accepted type of that local name in table order
// wins.
func (ts *XSITypes) New(start xml.StartElement, accept func(any) bool) any {
	t, ok := XSIType(start)
	if !ok {
		return nil
	}
	ts.index()
	if t.Space != "" {
		i, ok := ts.byName[t]
		if !ok || !accept(ts.entries[i].Type) {
			return nil
		}
		return newOf(ts.entries[i].Type)
	}
	for _, i := range ts.byLocal[t.Local] {
		if accept(ts.entries[i].Type) {
			return newOf(ts.entries[i].Type)
		}
	}
	return nil
}

// Name returns the XML Schema type of v, a pointer to a struct in the
// table, for the xsi:type attribute that names it on the wire.
func (ts *XSITypes) Name(v any) (xml.Name, bool) {
	ts.index()
	n, ok := ts.names[reflect.TypeOf(v)]
	return n, ok
}

// newOf allocates the struct that the nil pointer p points to.
func newOf(p any) any {
	rt := reflect.TypeOf(p)
	if rt == nil || rt.Kind() != reflect.Pointer {
		return nil
	}
	return reflect.New(rt.Elem()).Interface()
}

// Encode writes v, a pointer to a struct in the table, as the element
// start with an xsi:type attribute naming its type; nil as xsi:nil.
func (ts *XSITypes) Encode(e *xml.Encoder, start xml.StartElement, v any) error {
	if v == nil {
		return EncodeXSINil(e, start)
	}
	name, ok := ts.Name(v)
	if !ok {
		return fmt.Errorf("runtime: %T is not in the xsi:type table", v)
	}
	return EncodeXSIType(e, start, v, name)
}

// xsiHolders maps each registered polymorphic holder type to its table.
var xsiHolders sync.Map // reflect.Type → *XSITypes

// Holders registers the package's polymorphic holders, given as nil
// pointers: structs whose one field Value holds a pointer to a struct of
// ts, and whose MarshalXML is ts.Encode(e, start, h.Value). The runtime
// then writes them itself instead of calling encoding/xml for each. A
// generated package calls it once, as "var _ = xsiTypes.Holders(…)".
func (ts *XSITypes) Holders(types ...any) struct{} {
	for _, p := range types {
		if t := reflect.TypeOf(p); t != nil && t.Kind() == reflect.Pointer {
			xsiHolders.Store(t.Elem(), ts)
		}
	}
	return struct{}{}
}

// XSIHolder returns the table of holder type t when Holders registered it.
func XSIHolder(t reflect.Type) (*XSITypes, bool) {
	ts, ok := xsiHolders.Load(t)
	if !ok {
		return nil, false
	}
	return ts.(*XSITypes), true
}
