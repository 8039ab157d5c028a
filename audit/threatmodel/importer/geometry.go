package importer

import "math"

// Diagram formats (Threat Dragon, the Threat Modeling Tool) store where a
// shape is drawn but not which trust boundary it sits in or which boundary
// lines a flow crosses; the importers derive both from the drawing with
// the primitives below. Coordinates are screen coordinates: y grows down,
// which changes nothing here.

// Point is a position in a diagram.
type Point struct{ X, Y float64 }

// Rect is an axis-aligned rectangle: its top-left corner, width and height.
type Rect struct{ X, Y, W, H float64 }

// Centre is where a shape counts as standing when boxes are filled: a
// component belongs to the box that holds its centre, even when its edge
// overlaps the box's border.
func (r Rect) Centre() Point { return Point{r.X + r.W/2, r.Y + r.H/2} }

// Area orders nested boxes: the smallest box holding a shape is the one it
// sits in.
func (r Rect) Area() float64 { return r.W * r.H }

// ContainsPoint reports whether p lies in r, border included.
func (r Rect) ContainsPoint(p Point) bool {
	return p.X >= r.X && p.X <= r.X+r.W && p.Y >= r.Y && p.Y <= r.Y+r.H
}

// ContainsRect reports whether o lies wholly in r, borders included.
func (r Rect) ContainsRect(o Rect) bool {
	return o.X >= r.X && o.Y >= r.Y && o.X+o.W <= r.X+r.W && o.Y+o.H <= r.Y+r.H
}

// CrossRule chooses how [SegmentsCross] decides one borderline case. The
// two rules agree whenever the arithmetic is exact; they part only when
// rounding puts an end of one segment exactly on the other segment's line
// but beyond its ends, while the other segment's ends lie on different
// sides. Each importer keeps the rule it shipped with, so that importing
// the same file never changes which boundaries its flows cross.
type CrossRule uint8

const (
	// StrictSides counts a crossing when each segment's ends lie strictly
	// on opposite sides of the other's line, or an end lies on the other
	// segment. The Threat Dragon importer uses it.
	StrictSides CrossRule = iota
	// SideChange counts a crossing when each segment's ends lie on
	// different sides of the other's line, "on the line" counting as a
	// side, or an end lies on the other segment. The Threat Modeling Tool
	// importer uses it; it bounds coordinates, so the products below stay
	// finite.
	SideChange
)

// PolylinesCross reports whether polylines a and b share a point. A
// polyline with fewer than two points has no segment and crosses nothing.
func PolylinesCross(a, b []Point, rule CrossRule) bool {
	for i := 0; i+1 < len(a); i++ {
		for j := 0; j+1 < len(b); j++ {
			if SegmentsCross(a[i], a[i+1], b[j], b[j+1], rule) {
				return true
			}
		}
	}
	return false
}

// SegmentsCross reports whether segments pq and rs share a point, touching
// and collinear overlap included.
func SegmentsCross(p, q, r, s Point, rule CrossRule) bool {
	d1, d2 := orient(r, s, p), orient(r, s, q)
	d3, d4 := orient(p, q, r), orient(p, q, s)
	if rule.apart(d1, d2) && rule.apart(d3, d4) {
		return true
	}
	return (d1 == 0 && onSegment(r, s, p)) || (d2 == 0 && onSegment(r, s, q)) ||
		(d3 == 0 && onSegment(p, q, r)) || (d4 == 0 && onSegment(p, q, s))
}

// apart reports whether two orientations put two points on different
// sides of a line, as the rule defines sides.
func (rule CrossRule) apart(a, b float64) bool {
	if rule == SideChange {
		return side(a) != side(b)
	}
	return (a > 0 && b < 0) || (a < 0 && b > 0)
}

func side(v float64) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// orient is twice the signed area of the triangle abc: positive when c is
// to the left of the line from a to b, negative to the right, zero on it.
func orient(a, b, c Point) float64 {
	return (b.X-a.X)*(c.Y-a.Y) - (b.Y-a.Y)*(c.X-a.X)
}

// onSegment reports whether p, known to lie on the line through a and b,
// lies between them.
func onSegment(a, b, p Point) bool {
	return math.Min(a.X, b.X) <= p.X && p.X <= math.Max(a.X, b.X) &&
		math.Min(a.Y, b.Y) <= p.Y && p.Y <= math.Max(a.Y, b.Y)
}
