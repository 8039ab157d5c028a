package importer

import (
	"testing"
)

func TestPolylinesCross(t *testing.T) {
	line := []Point{{0, 0}, {10, 10}}
	for _, tt := range []struct {
		other []Point
		want  bool
	}{
		{[]Point{{0, 10}, {10, 0}}, true},
		{[]Point{{20, 0}, {20, 10}}, false},
		{[]Point{{5, 5}, {20, 20}}, true},  // collinear overlap
		{[]Point{{10, 10}, {20, 0}}, true}, // touching at an end
		{[]Point{{0, 10}, {4, 20}, {10, 11}}, false},
		{[]Point{{0, 10}, {4, 4}, {10, 11}}, true},
		{[]Point{{0, 10}}, false},
	} {
		for _, rule := range []CrossRule{StrictSides, SideChange} {
			if got := PolylinesCross(line, tt.other, rule); got != tt.want {
				t.Errorf("PolylinesCross(%v, rule %d) = %v, want %v", tt.other, rule, got, tt.want)
			}
		}
	}
}

// The rules part only where rounding makes an orientation exactly zero.
// This case, found by comparing them on random input, is why both exist.
func TestCrossRulesDiffer(t *testing.T) {
	p := Point{6.8310241897146075e-09, 1.4128115554789954e-08}
	q := Point{-2.258173719309566e+08, -1.6833231230920535e+08}
	r := Point{-2.266005392572828e+08, -1.6891611312947977e+08}
	s := Point{-6.083928385685154e-10, -3.709681006393367e-07}
	if SegmentsCross(p, q, r, s, StrictSides) || !SegmentsCross(p, q, r, s, SideChange) {
		t.Error("the rules agree on the borderline case; one of them changed")
	}
}

func TestRect(t *testing.T) {
	r := Rect{10, 20, 100, 50}
	if r.Centre() != (Point{60, 45}) || r.Area() != 5000 {
		t.Errorf("centre %v area %v", r.Centre(), r.Area())
	}
	if !r.ContainsPoint(Point{10, 70}) || r.ContainsPoint(Point{9, 30}) {
		t.Error("ContainsPoint")
	}
	if !r.ContainsRect(r) || !r.ContainsRect(Rect{20, 30, 10, 10}) || r.ContainsRect(Rect{20, 30, 100, 10}) {
		t.Error("ContainsRect")
	}
}
