package generator

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// Naming and emit only read the planned model: its types, fields, enum
// values, operations, ports and bindings (and the order of the type list)
// are the same before naming, after it, and after emit. A stage that
// wrote a name or a flag back into them, or sorted the planner's type
// list in place, would make the dumps differ.
func TestNamingLeavesModelAlone(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			opts := Options{WSDL: c.wsdl, Package: pkgName(c.name), Profile: c.profile}
			m, err := planModel(opts, newLoader(opts))
			if err != nil {
				t.Fatal(err)
			}
			planned := dumpPlanned(m)
			m.names = assignNames(m)
			if d := dumpDiff(planned, dumpPlanned(m)); d != "" {
				t.Fatalf("naming changed the planned model: %s", d)
			}
			if _, err := emit(m, opts); err != nil {
				t.Fatal(err)
			}
			if d := dumpDiff(planned, dumpPlanned(m)); d != "" {
				t.Fatalf("emit changed the planned model: %s", d)
			}
		})
	}
}

// dumpPlanned writes the planner's values reachable from the model's type
// list, ports and bindings as text, one field a line. A pointer is
// written out where it is first met and by number after that, so the
// dump sees shared values and cycles (holder and base) as they are, and
// the order of every slice.
func dumpPlanned(m *model) string {
	d := &dumper{ids: map[any]int{}}
	d.value(reflect.ValueOf(m.types), 0)
	d.value(reflect.ValueOf(m.ports), 0)
	d.value(reflect.ValueOf(m.bindings), 0)
	return d.b.String()
}

type dumper struct {
	b   strings.Builder
	ids map[any]int
}

func (d *dumper) line(depth int, format string, args ...any) {
	d.b.WriteString(strings.Repeat(" ", depth))
	fmt.Fprintf(&d.b, format, args...)
	d.b.WriteByte('\n')
}

// value dumps v; it reads unexported fields through reflect, by kind.
func (d *dumper) value(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			d.line(depth, "nil")
			return
		}
		key := struct {
			p uintptr
			t reflect.Type
		}{v.Pointer(), v.Type()}
		if id, ok := d.ids[key]; ok {
			d.line(depth, "#%d", id)
			return
		}
		id := len(d.ids)
		d.ids[key] = id
		d.line(depth, "#%d %s", id, v.Type())
		d.value(v.Elem(), depth+1)
	case reflect.Struct:
		for i := range v.NumField() {
			d.line(depth, "%s:", v.Type().Field(i).Name)
			d.value(v.Field(i), depth+1)
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			d.line(depth, "nil")
			return
		}
		d.line(depth, "len %d", v.Len())
		for i := range v.Len() {
			d.value(v.Index(i), depth+1)
		}
	case reflect.Map:
		// None of the planner's values holds a map today; one that did
		// is dumped sorted by its rendered entries.
		var entries []string
		for it := v.MapRange(); it.Next(); {
			sub := &dumper{ids: d.ids}
			sub.value(it.Key(), 0)
			sub.value(it.Value(), 1)
			entries = append(entries, sub.b.String())
		}
		sort.Strings(entries)
		d.line(depth, "map len %d", v.Len())
		for _, e := range entries {
			d.b.WriteString(e)
		}
	case reflect.Interface:
		if v.IsNil() {
			d.line(depth, "nil")
			return
		}
		d.value(v.Elem(), depth)
	case reflect.String:
		d.line(depth, "%q", v.String())
	case reflect.Bool:
		d.line(depth, "%t", v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		d.line(depth, "%d", v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		d.line(depth, "%d", v.Uint())
	default:
		d.line(depth, "(%s)", v.Kind())
	}
}

// dumpDiff describes where two dumps first differ, "" when they do not.
func dumpDiff(a, b string) string {
	if a == b {
		return ""
	}
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			lo := max(0, i-8)
			return fmt.Sprintf("line %d: %q became %q; before it:\n%s", i+1, la[i], lb[i], strings.Join(la[lo:i], "\n"))
		}
	}
	return fmt.Sprintf("%d lines became %d", len(la), len(lb))
}
