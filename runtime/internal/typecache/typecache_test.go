package typecache

import (
	"errors"
	"reflect"
	"testing"
)

// A plan is built once, with the plans built on the way; a type without
// one is remembered as such.
func TestCache(t *testing.T) {
	var c Cache[string]
	builds := 0
	build := func(t reflect.Type) (string, map[reflect.Type]string, error) {
		builds++
		if t.Kind() == reflect.Chan {
			return "", nil, errors.New("no channels")
		}
		return t.String(), map[reflect.Type]string{reflect.TypeFor[int](): "int, on the way"}, nil
	}
	for range 2 {
		if p, err := c.Get(reflect.TypeFor[string](), build); p != "string" || err != nil {
			t.Fatalf("Get = %q, %v", p, err)
		}
	}
	if p, found, err := c.Load(reflect.TypeFor[int]()); !found || err != nil || p != "int, on the way" {
		t.Fatalf("plan built on the way: %q %v %v", p, found, err)
	}
	if _, err := c.Get(reflect.TypeFor[chan int](), build); err == nil || errors.Is(err, ErrNone) {
		t.Fatalf("first failure = %v, want the build's error", err)
	}
	if _, err := c.Get(reflect.TypeFor[chan int](), build); !errors.Is(err, ErrNone) {
		t.Fatalf("second failure = %v, want ErrNone", err)
	}
	if builds != 2 {
		t.Fatalf("%d builds, want 2", builds)
	}
}

func TestNatives(t *testing.T) {
	var r Natives[func() string]
	if r.For(reflect.TypeFor[int]()) != nil {
		t.Fatal("a native with nothing registered")
	}
	r.Register(func(t reflect.Type) func() string { return nil })
	r.Register(func(t reflect.Type) func() string {
		if t.Kind() == reflect.Int {
			return func() string { return "int" }
		}
		return nil
	})
	if n := r.For(reflect.TypeFor[int]()); n == nil || n() != "int" {
		t.Fatal("the second matcher was not consulted")
	}
	if r.For(reflect.TypeFor[string]()) != nil {
		t.Fatal("a native for a type no matcher takes")
	}
}
