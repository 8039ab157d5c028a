package tmt

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/auditpack/auditpack/audit/model"
)

type point struct{ x, y float64 }

type rect struct{ left, top, width, height float64 }

func (r rect) centre() point { return point{r.left + r.width/2, r.top + r.height/2} }

func (r rect) area() float64 { return r.width * r.height }

func (r rect) containsPoint(p point) bool {
	return p.x >= r.left && p.x <= r.left+r.width && p.y >= r.top && p.y <= r.top+r.height
}

func (r rect) containsRect(o rect) bool {
	return o.left >= r.left && o.top >= r.top &&
		o.left+o.width <= r.left+r.width && o.top+o.height <= r.top+r.height
}

// num reads a finite coordinate; anything else counts as absent.
func num(v *node, name string) (float64, bool) {
	s := strings.TrimSpace(v.get(name))
	if s == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e9 {
		return 0, false
	}
	return f, true
}

func readRect(v *node) (rect, bool) {
	l, ok1 := num(v, "Left")
	t, ok2 := num(v, "Top")
	w, ok3 := num(v, "Width")
	h, ok4 := num(v, "Height")
	if !(ok1 && ok2 && ok3 && ok4) || w < 0 || h < 0 {
		return rect{}, false
	}
	return rect{l, t, w, h}, true
}

// readPolyline approximates a connector or line boundary, drawn by the tool
// as a curve through its handle, by the two segments source → handle →
// target. Without a handle it is the straight segment.
func readPolyline(v *node) ([]point, bool) {
	sx, ok1 := num(v, "SourceX")
	sy, ok2 := num(v, "SourceY")
	tx, ok3 := num(v, "TargetX")
	ty, ok4 := num(v, "TargetY")
	if !(ok1 && ok2 && ok3 && ok4) {
		return nil, false
	}
	pts := []point{{sx, sy}}
	hx, okx := num(v, "HandleX")
	hy, oky := num(v, "HandleY")
	if okx && oky {
		pts = append(pts, point{hx, hy})
	}
	return append(pts, point{tx, ty}), true
}

// place derives what the diagram only shows: which box each component and
// box sits in, and which line boundaries each flow crosses.
func (b *builder) place(d *diagram) error {
	if len(d.boxes)*(len(d.boxes)+len(d.parts)) > maxGeometryWork || len(d.flows)*len(d.lines) > maxGeometryWork {
		return fmt.Errorf("diagram %q has too many elements to place (%d boundaries, %d elements, %d flows, %d lines)",
			d.name, len(d.boxes), len(d.parts), len(d.flows), len(d.lines))
	}
	// A box's parent is the smallest other box that wholly contains it;
	// equal rectangles nest in document order, so parents never loop.
	for i, inner := range d.boxes {
		if p := innermost(d.boxes, func(j int, o box) bool {
			return j != i && o.r.containsRect(inner.r) && (o.r.area() > inner.r.area() || j < i)
		}); p >= 0 {
			b.m.Zones[inner.zone].Parent = b.m.Zones[d.boxes[p].zone].ID
		}
	}
	for _, c := range d.parts {
		if !c.ok {
			continue
		}
		if p := innermost(d.boxes, func(_ int, o box) bool { return o.r.containsPoint(c.centre) }); p >= 0 {
			b.m.Components[c.comp].Zone = b.m.Zones[d.boxes[p].zone].ID
		}
	}
	for _, f := range d.flows {
		fl := &b.m.Flows[f.index]
		for _, l := range d.lines {
			if crosses(f.pts, l.pts) {
				fl.Boundaries = append(fl.Boundaries, b.m.Zones[l.index].ID)
				if internet(b.m.Zones[l.index]) {
					fl.PublicNetwork = model.True
				}
			}
		}
	}
	return nil
}

// maxGeometryWork bounds the pairwise geometry tests per diagram; real
// diagrams need a few thousand.
const maxGeometryWork = 20_000_000

// innermost returns the index of the smallest box accepted by ok (the first
// one among equals), or -1.
func innermost(boxes []box, ok func(int, box) bool) int {
	best := -1
	for j, o := range boxes {
		if ok(j, o) && (best < 0 || o.r.area() < boxes[best].r.area()) {
			best = j
		}
	}
	return best
}

func internet(z model.Zone) bool {
	return strings.Contains(strings.ToLower(z.Name+" "+z.Description), "internet")
}

// crosses reports whether two polylines intersect.
func crosses(a, b []point) bool {
	for i := 0; i+1 < len(a); i++ {
		for j := 0; j+1 < len(b); j++ {
			if segmentsIntersect(a[i], a[i+1], b[j], b[j+1]) {
				return true
			}
		}
	}
	return false
}

func orient(p, q, r point) int {
	v := (q.x-p.x)*(r.y-p.y) - (q.y-p.y)*(r.x-p.x)
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

func onSegment(p, q, r point) bool {
	return math.Min(p.x, r.x) <= q.x && q.x <= math.Max(p.x, r.x) &&
		math.Min(p.y, r.y) <= q.y && q.y <= math.Max(p.y, r.y)
}

func segmentsIntersect(p1, p2, q1, q2 point) bool {
	o1, o2 := orient(p1, p2, q1), orient(p1, p2, q2)
	o3, o4 := orient(q1, q2, p1), orient(q1, q2, p2)
	if o1 != o2 && o3 != o4 {
		return true
	}
	return (o1 == 0 && onSegment(p1, q1, p2)) || (o2 == 0 && onSegment(p1, q2, p2)) ||
		(o3 == 0 && onSegment(q1, p1, q2)) || (o4 == 0 && onSegment(q1, p2, q2))
}
