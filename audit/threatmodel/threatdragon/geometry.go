package threatdragon

import (
	"math"
	"slices"
)

type point struct{ x, y float64 }

type rect struct{ x, y, w, h float64 }

func (r rect) centre() point { return point{r.x + r.w/2, r.y + r.h/2} }

func (r rect) area() float64 { return r.w * r.h }

func (r rect) containsPoint(p point) bool {
	return p.x >= r.x && p.x <= r.x+r.w && p.y >= r.y && p.y <= r.y+r.h
}

func (r rect) containsRect(o rect) bool {
	return o.x >= r.x && o.y >= r.y && o.x+o.w <= r.x+r.w && o.y+o.h <= r.y+r.h
}

// rectOf reads a node's position and size (both v1 and v2 use the same keys).
func rectOf(raw map[string]any) (rect, bool) {
	pos, size := obj(raw["position"]), obj(raw["size"])
	x, ok1 := num(pos["x"])
	y, ok2 := num(pos["y"])
	w, ok3 := num(size["width"])
	h, ok4 := num(size["height"])
	if !ok1 || !ok2 || !ok3 || !ok4 || w < 0 || h < 0 {
		return rect{}, false
	}
	return rect{x, y, w, h}, true
}

func pointOf(v any) (point, bool) {
	m := obj(v)
	x, ok1 := num(m["x"])
	y, ok2 := num(m["y"])
	return point{x, y}, ok1 && ok2
}

// contained returns the native ids a box lists in containedElements
// (Threat Dragon 2.6+), and whether the box has such a list at all.
func contained(c *cell) (map[string]bool, bool) {
	list, ok := c.prop("containedElements").([]any)
	if !ok {
		return nil, false
	}
	set := map[string]bool{}
	for _, v := range list {
		if s := str(v); s != "" {
			set[s] = true
		} else if s := str(obj(v)["id"]); s != "" {
			set[s] = true
		}
	}
	return set, true
}

// boxArea orders boxes from the innermost out; boxes without geometry sort last.
func boxArea(b *cell) float64 {
	if !b.hasRect {
		return math.Inf(1)
	}
	return b.rect.area()
}

// byInnermost sorts boxes smallest first; of two equal boxes the one drawn
// later counts as inner.
func byInnermost(a, b *cell) int {
	if c := cmpFloat(boxArea(a), boxArea(b)); c != 0 {
		return c
	}
	return b.idx - a.idx
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// placeComponents nests boxes and puts each component in its innermost box.
// A box's containedElements list is authoritative where present; other
// boxes contain what their rectangle contains (a node by its centre, a box
// by its whole rectangle).
func (d *decoder) placeComponents(cells []*cell) {
	var boxes []*cell
	for _, c := range cells {
		if c.kind == kindBox {
			boxes = append(boxes, c)
		}
	}
	if len(boxes) == 0 {
		return
	}
	if !d.spend(len(boxes) * len(cells)) {
		d.warn(boxes[0].ref, "diagram too large to place elements in boxes; components of this diagram are left without a zone")
		return
	}
	lists := map[*cell]map[string]bool{}
	for _, b := range boxes {
		if set, ok := contained(b); ok {
			lists[b] = set
		}
	}
	holds := func(b, c *cell) bool {
		if b == c {
			return false
		}
		if set, ok := lists[b]; ok {
			return set[c.native]
		}
		if !b.hasRect || !c.hasRect {
			return false
		}
		if c.kind != kindBox {
			return b.rect.containsPoint(c.rect.centre())
		}
		return b.rect.containsRect(c.rect) && byInnermost(c, b) < 0
	}
	innermost := func(c *cell) []*cell {
		var in []*cell
		for _, b := range boxes {
			if holds(b, c) {
				in = append(in, b)
			}
		}
		slices.SortStableFunc(in, byInnermost)
		return in
	}
	parent := map[string]string{}
	zoneIdx := map[string]int{}
	for i, z := range d.m.Zones {
		zoneIdx[z.ID] = i
	}
	for _, b := range boxes {
		for _, p := range innermost(b) {
			if loops(parent, p.id, b.id) {
				d.warn(b.ref, "box %q would be nested inside its own descendant %q; nesting ignored", b.native, p.native)
				continue
			}
			parent[b.id] = p.id
			d.m.Zones[zoneIdx[b.id]].Parent = p.id
			break
		}
	}
	compIdx := map[string]int{}
	for i, c := range d.m.Components {
		compIdx[c.ID] = i
	}
	for _, c := range cells {
		if componentKinds[c.kind] == "" {
			continue
		}
		if in := innermost(c); len(in) > 0 {
			d.m.Components[compIdx[c.id]].Zone = in[0].id
		}
	}
}

// loops reports whether making child a child of p would close a cycle.
func loops(parent map[string]string, p, child string) bool {
	for id, n := p, 0; id != "" && n <= len(parent); id, n = parent[id], n+1 {
		if id == child {
			return true
		}
	}
	return false
}

// crossedLines returns the curve boundaries a flow crosses: those named in
// its trustBoundaryIds (Threat Dragon 2.6+), otherwise those whose polyline
// intersects the flow's polyline from source centre through its vertices
// to target centre. Curves are smooth in the drawing; the polyline through
// their control points is the approximation used.
func (d *decoder) crossedLines(f *cell, ends [2]*cell, curves []curve, byNative map[string]*cell) []string {
	var out []string
	if ids, ok := f.prop("trustBoundaryIds").([]any); ok {
		for _, v := range ids {
			b := byNative[str(v)]
			switch {
			case b != nil && b.kind == kindCurve:
				out = append(out, b.id)
			case b != nil && b.kind == kindBox:
				// box crossings follow from the zones of the two ends
			default:
				d.warn(f.ref, "flow %q names trust boundary %q, which is not in its diagram; ignored", f.native, str(v))
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	path := edgePath(f, ends[0], ends[1], byNative)
	if len(path) < 2 || len(curves) == 0 {
		return nil
	}
	cost := 0
	for _, c := range curves {
		cost += len(path) * len(c.path)
	}
	if !d.spend(cost) {
		d.warn(f.ref, "flow %q: diagram too large to intersect flows with trust boundary curves; crossings left out", f.native)
		return nil
	}
	for _, c := range curves {
		if polylinesCross(path, c.path) {
			out = append(out, c.cell.id)
		}
	}
	return out
}

// curve is a trust-boundary curve with its polyline.
type curve struct {
	cell *cell
	path []point
}

func curvesOf(cells []*cell, byNative map[string]*cell) []curve {
	var out []curve
	for _, c := range cells {
		if c.kind == kindCurve {
			out = append(out, curve{c, edgePath(c, nil, nil, byNative)})
		}
	}
	return out
}

// maxGeometryWork bounds the containment tests and segment intersections
// spent on one file, so that hostile geometry cannot stall an import.
const maxGeometryWork = 50_000_000

// spend takes n units of geometry work from the file's budget.
func (d *decoder) spend(n int) bool {
	if n < 0 || n > maxGeometryWork-d.work {
		return false
	}
	d.work += n
	return true
}

// edgePath is an edge's polyline: its source, its vertices, its target.
// An end attached to a node stands at the node's centre.
func edgePath(e *cell, src, dst *cell, byNative map[string]*cell) []point {
	endPoint := func(side string, n *cell) (point, bool) {
		end := obj(e.raw[side])
		if n == nil {
			id := str(end["cell"])
			if id == "" {
				id = str(end["id"])
			}
			n = byNative[id]
		}
		if n != nil {
			return n.rect.centre(), n.hasRect
		}
		return pointOf(end)
	}
	var path []point
	if p, ok := endPoint("source", src); ok {
		path = append(path, p)
	}
	for _, v := range arr(e.raw["vertices"]) {
		if p, ok := pointOf(v); ok {
			path = append(path, p)
		}
	}
	if p, ok := endPoint("target", dst); ok {
		path = append(path, p)
	}
	return path
}

func polylinesCross(a, b []point) bool {
	for i := 0; i+1 < len(a); i++ {
		for j := 0; j+1 < len(b); j++ {
			if segmentsCross(a[i], a[i+1], b[j], b[j+1]) {
				return true
			}
		}
	}
	return false
}

// segmentsCross reports whether segments pq and rs share a point.
func segmentsCross(p, q, r, s point) bool {
	d1, d2 := orient(r, s, p), orient(r, s, q)
	d3, d4 := orient(p, q, r), orient(p, q, s)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		return true
	}
	return (d1 == 0 && onSegment(r, s, p)) || (d2 == 0 && onSegment(r, s, q)) ||
		(d3 == 0 && onSegment(p, q, r)) || (d4 == 0 && onSegment(p, q, s))
}

func orient(a, b, c point) float64 {
	return (b.x-a.x)*(c.y-a.y) - (b.y-a.y)*(c.x-a.x)
}

func onSegment(a, b, p point) bool {
	return math.Min(a.x, b.x) <= p.x && p.x <= math.Max(a.x, b.x) &&
		math.Min(a.y, b.y) <= p.y && p.y <= math.Max(a.y, b.y)
}
