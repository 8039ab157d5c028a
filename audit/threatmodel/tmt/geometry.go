package tmt

import (
	"fmt"
	"math"
	"strings"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
)

// maxCoordinate bounds a coordinate's magnitude. Real diagrams stay within
// a few thousand units; the bound keeps every product in the crossing test
// finite, which [importer.SideChange] relies on.
const maxCoordinate = 1e9

// num reads a finite, bounded coordinate; anything else counts as absent.
func num(v *node, name string) (float64, bool) {
	f, ok := importer.ParseNumber(strings.TrimSpace(v.get(name)))
	if !ok || math.Abs(f) > maxCoordinate {
		return 0, false
	}
	return f, true
}

func readRect(v *node) (importer.Rect, bool) {
	l, ok1 := num(v, "Left")
	t, ok2 := num(v, "Top")
	w, ok3 := num(v, "Width")
	h, ok4 := num(v, "Height")
	if !(ok1 && ok2 && ok3 && ok4) || w < 0 || h < 0 {
		return importer.Rect{}, false
	}
	return importer.Rect{X: l, Y: t, W: w, H: h}, true
}

// readPolyline approximates a connector or line boundary, drawn by the tool
// as a curve through its handle, by the two segments source → handle →
// target. Without a handle it is the straight segment.
func readPolyline(v *node) ([]importer.Point, bool) {
	sx, ok1 := num(v, "SourceX")
	sy, ok2 := num(v, "SourceY")
	tx, ok3 := num(v, "TargetX")
	ty, ok4 := num(v, "TargetY")
	if !(ok1 && ok2 && ok3 && ok4) {
		return nil, false
	}
	pts := []importer.Point{{X: sx, Y: sy}}
	hx, okx := num(v, "HandleX")
	hy, oky := num(v, "HandleY")
	if okx && oky {
		pts = append(pts, importer.Point{X: hx, Y: hy})
	}
	return append(pts, importer.Point{X: tx, Y: ty}), true
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
			return j != i && o.r.ContainsRect(inner.r) && (o.r.Area() > inner.r.Area() || j < i)
		}); p >= 0 {
			b.m.Zones[inner.zone].Parent = b.m.Zones[d.boxes[p].zone].ID
		}
	}
	for _, c := range d.parts {
		if !c.ok {
			continue
		}
		if p := innermost(d.boxes, func(_ int, o box) bool { return o.r.ContainsPoint(c.centre) }); p >= 0 {
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
		if ok(j, o) && (best < 0 || o.r.Area() < boxes[best].r.Area()) {
			best = j
		}
	}
	return best
}

func internet(z model.Zone) bool {
	return strings.Contains(strings.ToLower(z.Name+" "+z.Description), "internet")
}

// crosses reports whether two polylines meet, by the rule this importer
// has always used; see [importer.CrossRule].
func crosses(a, b []importer.Point) bool {
	return importer.PolylinesCross(a, b, importer.SideChange)
}
