package threatdragon

import (
	"cmp"
	"math"
	"slices"

	"github.com/auditpack/auditpack/audit/threatmodel/importer"
)

// rectOf reads a node's position and size (both v1 and v2 use the same keys).
func rectOf(raw map[string]any) (importer.Rect, bool) {
	pos, size := obj(raw["position"]), obj(raw["size"])
	x, ok1 := importer.Number(pos["x"])
	y, ok2 := importer.Number(pos["y"])
	w, ok3 := importer.Number(size["width"])
	h, ok4 := importer.Number(size["height"])
	if !ok1 || !ok2 || !ok3 || !ok4 || w < 0 || h < 0 {
		return importer.Rect{}, false
	}
	return importer.Rect{X: x, Y: y, W: w, H: h}, true
}

func pointOf(v any) (importer.Point, bool) {
	m := obj(v)
	x, ok1 := importer.Number(m["x"])
	y, ok2 := importer.Number(m["y"])
	return importer.Point{X: x, Y: y}, ok1 && ok2
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

// boxArea orders boxes from the innermost out; boxes without geometry sort
// last. It is never NaN (sides are finite and not negative), so cmp.Compare
// orders areas as < and > do.
func boxArea(b *cell) float64 {
	if !b.hasRect {
		return math.Inf(1)
	}
	return b.rect.Area()
}

// byInnermost sorts boxes smallest first; of two equal boxes the one drawn
// later counts as inner.
func byInnermost(a, b *cell) int {
	if c := cmp.Compare(boxArea(a), boxArea(b)); c != 0 {
		return c
	}
	return b.idx - a.idx
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
			return b.rect.ContainsPoint(c.rect.Centre())
		}
		return b.rect.ContainsRect(c.rect) && byInnermost(c, b) < 0
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
	// The rule this importer has always used; see [importer.CrossRule].
	for _, c := range curves {
		if importer.PolylinesCross(path, c.path, importer.StrictSides) {
			out = append(out, c.cell.id)
		}
	}
	return out
}

// curve is a trust-boundary curve with its polyline.
type curve struct {
	cell *cell
	path []importer.Point
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
func edgePath(e *cell, src, dst *cell, byNative map[string]*cell) []importer.Point {
	endPoint := func(side string, n *cell) (importer.Point, bool) {
		end := obj(e.raw[side])
		if n == nil {
			id := str(end["cell"])
			if id == "" {
				id = str(end["id"])
			}
			n = byNative[id]
		}
		if n != nil {
			return n.rect.Centre(), n.hasRect
		}
		return pointOf(end)
	}
	var path []importer.Point
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
