package generator

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// Each stage only reads what the earlier ones returned: the planned model
// (every field of it, and the types, fields, enum values, operations,
// ports and bindings it reaches, in their order) is the same after plan,
// bind, name and emit; the bound sessions the same after bind, name and
// emit; the names the same after name and emit. A stage that wrote a
// name, a flag or a session back into an earlier stage's value, or sorted
// the planner's type list in place, would make the dumps differ.
func TestStagesLeaveEarlierValuesAlone(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			opts := Options{WSDL: c.wsdl, Package: pkgName(c.name), Profile: c.profile}
			m, err := planModel(opts, newLoader(opts))
			if err != nil {
				t.Fatal(err)
			}
			planned := dumpStages(m)
			bs, err := bindProfile(m, opts, opts.warn())
			if err != nil {
				t.Fatal(err)
			}
			if d := dumpDiff(planned, dumpStages(m)); d != "" {
				t.Fatalf("binding changed the planned model: %s", d)
			}
			bound := dumpStages(m, bs)
			n := assignNames(m, bs)
			if d := dumpDiff(bound, dumpStages(m, bs)); d != "" {
				t.Fatalf("naming changed the planned model or the sessions: %s", d)
			}
			named := dumpStages(m, bs, n)
			if _, err := emit(m, bs, n, opts); err != nil {
				t.Fatal(err)
			}
			if d := dumpDiff(named, dumpStages(m, bs, n)); d != "" {
				t.Fatalf("emit changed the planned model, the sessions or the names: %s", d)
			}
		})
	}
}

// dumpStages writes the stages' values (*model, *bound, *names) and all
// they reach as text, one field a line. A pointer is written out where it
// is first met and by number after that, so the dump sees shared values
// and cycles (holder and base) as they are, and the order of every slice.
func dumpStages(vs ...any) string {
	d := &dumper{ids: map[dumpKey]int{}}
	for _, v := range vs {
		d.value(reflect.ValueOf(v), 0)
	}
	return d.b.String()
}

// dumpKey is a pointer met in a dump.
type dumpKey struct {
	p uintptr
	t reflect.Type
}

type dumper struct {
	b   strings.Builder
	ids map[dumpKey]int
	// outer, for a scratch dumper that renders a map entry, are the ids
	// of the dumps it renders it for; it only reads them.
	outer []map[dumpKey]int
}

// id returns the number of pointer k and whether it was met before,
// numbering it if not.
func (d *dumper) id(k dumpKey) (int, bool) {
	next := len(d.ids)
	for _, ids := range d.outer {
		if id, ok := ids[k]; ok {
			return id, true
		}
		next += len(ids)
	}
	if id, ok := d.ids[k]; ok {
		return id, true
	}
	d.ids[k] = next
	return next, false
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
		id, seen := d.id(dumpKey{v.Pointer(), v.Type()})
		if seen {
			d.line(depth, "#%d", id)
			return
		}
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
		// Entries are written in the order of their text, which does not
		// depend on the map's order: each is first rendered by a scratch
		// dumper that numbers the pointers it meets first apart from this
		// dump, and only then written here, numbering them for good.
		type entry struct {
			text   string
			key, v reflect.Value
		}
		var entries []entry
		for it := v.MapRange(); it.Next(); {
			sub := &dumper{ids: map[dumpKey]int{}, outer: append(slices.Clip(d.outer), d.ids)}
			sub.value(it.Key(), 0)
			sub.value(it.Value(), 1)
			entries = append(entries, entry{sub.b.String(), it.Key(), it.Value()})
		}
		sort.SliceStable(entries, func(i, j int) bool { return entries[i].text < entries[j].text })
		d.line(depth, "map len %d", v.Len())
		for _, e := range entries {
			d.value(e.key, depth+1)
			d.value(e.v, depth+2)
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
