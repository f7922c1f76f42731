package generator

import (
	"fmt"
	"testing"
)

// Up to six derived fault details are listed; more are five and a count,
// so vSphere's 54 under every operation do not drown the output.
func TestShortNames(t *testing.T) {
	var ts []*goType
	n := &names{types: map[*goType]string{}}
	for i := range 9 {
		ts = append(ts, &goType{})
		n.types[ts[i]] = fmt.Sprintf("F%d", i)
	}
	for _, tc := range []struct {
		n    int
		want string
	}{
		{0, ""},
		{6, "F0, F1, F2, F3, F4, F5"},
		{7, "F0, F1, F2, F3, F4 and 2 more"},
		{9, "F0, F1, F2, F3, F4 and 4 more"},
	} {
		if got := shortNames(n, ts[:tc.n]); got != tc.want {
			t.Errorf("shortNames(%d names) = %q, want %q", tc.n, got, tc.want)
		}
	}
}
