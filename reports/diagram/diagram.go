// Package diagram lays out the scope of a set of results as a picture:
// trust zones as nested boxes, components inside them and flows as arrows
// between them, each coloured by its worst verdict. [Of] decides what is
// drawn and asks graphviz (compiled to WebAssembly, run in process) for
// the coordinates only; the PDF report and the SVG file in the package
// both draw from the same [Diagram], so they can only show the same thing.
//
// A model too large to draw whole (more than [MaxComponents] components or
// [MaxFlows] flows) is drawn as a zone overview, zones as nodes and the
// flows between two zones as one arrow with their count, and a CDE detail
// of at most [DetailComponents] components and [DetailFlows] flows.
//
// Layout is deterministic: the graph handed to graphviz is built in model
// order, and the same graph gives the same coordinates.
package diagram

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/reports/view"
)

// The size above which a model is drawn as a zone overview and a CDE
// detail, and the bounds of each of those.
const (
	MaxComponents = 40
	MaxFlows      = 80
	// MaxZonePairs bounds the arrows of the zone overview; the zone pairs
	// with the worst verdicts and the most flows are drawn first.
	MaxZonePairs = 120
	// MaxZones bounds the zones of the zone overview.
	MaxZones = 150
	// DetailComponents and DetailFlows bound the CDE detail: fewer than a
	// whole model may have, as flows into the CDE tangle more.
	DetailComponents = 30
	DetailFlows      = 50
)

// Kinds of diagram.
const (
	KindScope    = "scope"    // the whole model
	KindZones    = "zones"    // zone overview of a large model
	KindCDE      = "cde"      // CDE detail of a large model
	NoVerdict    = ""         // an element no rule judged
	pointsPerInc = 72.0       // graphviz works in inches and points
	nodeFont     = 7.0        // points, the size nodes are measured for
	labelFont    = 6.5        // points, the size flow labels are measured for
	charWidth    = 0.64       // of the font size, a generous mean advance
	nodeMinWidth = 64.0       // points
	nodeMaxChars = 34         // longer lines are shortened
	lineGap      = 1.3        // line height over font size
	nodePadding  = 8.0        // points, above and below the lines
	zoneFont     = 8.0        // points, for zone titles
	maxLabelData = 3          // data classes named on a flow label
	ellipsis     = "\u2026"   // ends a shortened line
	cdeNote      = "CDE zone" // the legend's name of a highlighted zone
)

// Diagram is one laid-out picture. Coordinates are in points with the
// origin at the top left, y growing downwards.
type Diagram struct {
	Kind  string
	Title string
	// Notes say what the picture leaves out, if anything.
	Notes []string
	W, H  float64
	// Zones are drawn first, outer zones before those nested in them.
	Zones []Zone
	Nodes []Node
	Edges []Edge
}

// Zone is a trust zone drawn as a box.
type Zone struct {
	ID, Name   string
	CDE        bool
	Depth      int
	X, Y, W, H float64
}

// Node is a component, or in a zone overview a zone with its counts.
type Node struct {
	ID string
	// Lines are the text of the box: the name first, then the id and
	// what marks it.
	Lines      []string
	X, Y, W, H float64 // top-left corner and size
	Verdict    eval.Verdict
	// Class is the derived PCI DSS scope class (cde, connected, ...).
	Class string
	// Finding marks an element a scope finding names (account data
	// outside every CDE zone, for example).
	Finding    bool
	OutOfScope bool
	External   bool
	// Title is a longer description for a viewer's tooltip.
	Title string
}

// Point is a position in points.
type Point struct{ X, Y float64 }

// Edge is a flow, or in a zone overview the flows between two zones.
type Edge struct {
	ID    string
	Lines []string
	// Path is a cubic Bézier spline: a start point, then three points per
	// segment. Head and Tail are the arrow tips at its ends, if any.
	Path       []Point
	Head, Tail *Point
	Label      Point // centre of the label
	Verdict    eval.Verdict
	Finding    bool
	OutOfScope bool
	Title      string
}

// Of lays out the scope of r: one diagram of the whole model, or a zone
// overview and a CDE detail when the model is too large for one.
func Of(r *audit.Results) ([]*Diagram, error) {
	f := newFacts(r)
	m := &r.Model
	var gs []*graph
	if len(m.Components) <= MaxComponents && len(m.Flows) <= MaxFlows {
		gs = append(gs, f.whole())
	} else {
		gs = append(gs, f.zones(), f.cde())
	}
	var out []*Diagram
	for _, g := range gs {
		d, err := g.layout()
		if err != nil {
			return nil, fmt.Errorf("lay out %s diagram: %w", g.kind, err)
		}
		out = append(out, d)
	}
	return out, nil
}

// facts are what the diagram says of each element, indexed once.
type facts struct {
	r        *audit.Results
	verdicts map[string]eval.Verdict // element id → worst effective verdict
	class    map[string]string       // element id → derived scope class
	finding  map[string]bool         // element id → named by a scope finding
	zone     map[string]*model.Zone
	comp     map[string]*model.Component
	cdeZone  map[string]bool // zone id → tagged cde, or inside one
}

func newFacts(r *audit.Results) *facts {
	f := &facts{r: r, verdicts: map[string]eval.Verdict{}, class: map[string]string{}, finding: map[string]bool{},
		zone: map[string]*model.Zone{}, comp: map[string]*model.Component{}, cdeZone: map[string]bool{}}
	// A rule result's verdict, but a failing one as the controls count it:
	// excepted where an exception covers it for every control, failing
	// where any control still holds it (the worse of the two wins).
	for i := range r.RuleResults {
		if res := &r.RuleResults[i]; res.Verdict != eval.NotSatisfied {
			f.verdicts[res.Element.ID] = eval.Worst(f.verdicts[res.Element.ID], res.Verdict)
		}
	}
	for i := range r.Controls {
		for _, fd := range r.Controls[i].Findings {
			if fd.Assessed == eval.NotSatisfied || fd.Verdict == eval.NotSatisfied {
				f.verdicts[fd.Element.ID] = eval.Worst(f.verdicts[fd.Element.ID], fd.Verdict)
			}
		}
	}
	for _, e := range r.Scope.Elements {
		f.class[e.ID] = e.Class
	}
	for _, s := range r.Scope.Findings {
		f.finding[s.Element] = true
	}
	m := &r.Model
	for i := range m.Zones {
		f.zone[m.Zones[i].ID] = &m.Zones[i]
	}
	for i := range m.Components {
		f.comp[m.Components[i].ID] = &m.Components[i]
	}
	for _, z := range m.Zones {
		for id, n := z.ID, 0; id != "" && n <= len(m.Zones); n++ {
			p := f.zone[id]
			if p == nil {
				break
			}
			if slices.Contains(p.Tags, model.CDETag) {
				f.cdeZone[z.ID] = true
				break
			}
			id = p.Parent
		}
	}
	return f
}

// parentOf is the zone a zone is nested in, "" at the top or when its
// parent is not a zone of the model.
func (f *facts) parentOf(zone string) string {
	if z := f.zone[zone]; z != nil && f.zone[z.Parent] != nil && z.Parent != zone {
		return z.Parent
	}
	return ""
}

// component turns a model component into a node.
func (f *facts) component(c *model.Component) node {
	n := node{id: c.ID, verdict: f.verdicts[c.ID], class: f.class[c.ID], finding: f.finding[c.ID],
		outOfScope: c.OutOfScope, external: c.Kind == "external-entity" || c.Kind == "external"}
	n.lines = append(n.lines, c.Name, c.ID)
	var marks []string
	if n.class != "" {
		marks = append(marks, classLabel(n.class))
	}
	if n.outOfScope {
		marks = append(marks, "out of scope")
	}
	if n.finding {
		marks = append(marks, "scope finding")
	}
	if len(marks) > 0 {
		n.lines = append(n.lines, joinMarks(marks))
	}
	n.title = fmt.Sprintf("%s (%s, %s): %s", c.Name, c.ID, c.Kind, verdictLabel(n.verdict))
	return n
}

// flow turns a model flow into an edge between the nodes at and bt.
func (f *facts) flow(fl *audit.FlowInfo, at, bt int) edge {
	e := edge{id: fl.ID, from: at, to: bt, both: fl.Bidirectional, verdict: f.verdicts[fl.ID],
		finding: f.finding[fl.ID], outOfScope: fl.OutOfScope}
	e.lines = []string{fl.ID}
	if data := dataLabel(fl.Classifications); data != "" {
		e.lines = append(e.lines, data)
	}
	e.title = fmt.Sprintf("%s (%s): %s; data %s; %s", fl.Name, fl.ID, verdictLabel(e.verdict),
		joinOr(fl.Data, "none"), joinOr(view.Crossings(fl.Crossing), "crosses no zone boundary"))
	return e
}

// whole is the graph of every zone, component and flow of the model.
func (f *facts) whole() *graph {
	g := newGraph(KindScope, "Scope diagram")
	f.addZones(g, func(string) bool { return true })
	m := &f.r.Model
	at := map[string]int{}
	for i := range m.Components {
		c := &m.Components[i]
		at[c.ID] = g.addNode(f.component(c), c.Zone)
	}
	for i := range m.Flows {
		fl := &m.Flows[i]
		a, aok := at[fl.Source]
		b, bok := at[fl.Target]
		if aok && bok {
			g.addEdge(f.flow(fl, a, b))
		}
	}
	return g
}

// addZones adds the zones keep selects, with every zone they sit in, in
// model order.
func (f *facts) addZones(g *graph, keep func(zone string) bool) {
	want := map[string]bool{}
	for _, z := range f.r.Model.Zones {
		if !keep(z.ID) {
			continue
		}
		for id, n := z.ID, 0; id != "" && n <= len(f.r.Model.Zones) && !want[id]; n++ {
			want[id] = true
			id = f.parentOf(id)
		}
	}
	for _, z := range f.r.Model.Zones {
		if want[z.ID] {
			g.addCluster(z.ID, z.Name, f.parentOf(z.ID), f.cdeZone[z.ID])
		}
	}
}

// cde is the CDE detail of a large model: the components in the derived
// CDE, the flows touching them, worst verdicts first, and the components
// at their other ends, all bounded.
func (f *facts) cde() *graph {
	g := newGraph(KindCDE, "CDE detail")
	m := &f.r.Model
	var cde []*model.Component
	inCDE := map[string]bool{}
	for i := range m.Components {
		if c := &m.Components[i]; f.class[c.ID] == model.ScopeCDE {
			cde = append(cde, c)
			inCDE[c.ID] = true
		}
	}
	var touching []*audit.FlowInfo
	for i := range m.Flows {
		if fl := &m.Flows[i]; inCDE[fl.Source] || inCDE[fl.Target] {
			touching = append(touching, fl)
		}
	}
	// Worst first; the sort is stable, so model order breaks ties.
	slices.SortStableFunc(touching, func(a, b *audit.FlowInfo) int {
		return cmp.Compare(eval.Rank(f.verdicts[b.ID]), eval.Rank(f.verdicts[a.ID]))
	})
	keep := map[string]bool{}
	nodes := 0
	for _, c := range cde {
		if nodes >= DetailComponents/2 {
			break
		}
		keep[c.ID] = true
		nodes++
	}
	var flows []*audit.FlowInfo
	for _, fl := range touching {
		if len(flows) >= DetailFlows {
			break
		}
		extra := 0
		for _, id := range []string{fl.Source, fl.Target} {
			if !keep[id] && f.comp[id] != nil {
				extra++
			}
		}
		if !(keep[fl.Source] || keep[fl.Target]) || nodes+extra > DetailComponents {
			continue
		}
		for _, id := range []string{fl.Source, fl.Target} {
			if !keep[id] && f.comp[id] != nil {
				keep[id] = true
				nodes++
			}
		}
		flows = append(flows, fl)
	}
	shownCDE := 0
	for _, c := range cde {
		if keep[c.ID] {
			shownCDE++
		}
	}
	if shownCDE < len(cde) || len(flows) < len(touching) {
		g.notes = append(g.notes, fmt.Sprintf("Shows %d of the %d components in the CDE and %d of the %d flows touching them, worst verdicts first; results.json and the workbook list every one.",
			shownCDE, len(cde), len(flows), len(touching)))
	}
	zoneUsed := map[string]bool{}
	for _, c := range m.Components {
		if keep[c.ID] {
			zoneUsed[c.Zone] = true
		}
	}
	f.addZones(g, func(z string) bool { return zoneUsed[z] })
	at := map[string]int{}
	for i := range m.Components {
		if c := &m.Components[i]; keep[c.ID] {
			at[c.ID] = g.addNode(f.component(c), c.Zone)
		}
	}
	for _, fl := range flows {
		g.addEdge(f.flow(fl, at[fl.Source], at[fl.Target]))
	}
	return g
}

func classLabel(class string) string {
	switch class {
	case model.ScopeCDE:
		return "CDE"
	case model.ScopeConnected:
		return "connected-to"
	}
	return class
}

func verdictLabel(v eval.Verdict) string {
	if v == NoVerdict {
		return "no rule"
	}
	return string(v)
}

// dataLabel names the data classes of a flow, account data first.
func dataLabel(classes []string) string {
	var first, rest []string
	for _, c := range classes {
		if slices.Contains(model.AccountData, c) {
			first = append(first, c)
		} else {
			rest = append(rest, c)
		}
	}
	all := append(first, rest...)
	if len(all) > maxLabelData {
		all = append(all[:maxLabelData:maxLabelData], fmt.Sprintf("+%d", len(all)-maxLabelData))
	}
	return joinOr(all, "")
}

func joinMarks(marks []string) string { return joinOr(marks, "") }

func joinOr(items []string, none string) string {
	if len(items) == 0 {
		return none
	}
	s := items[0]
	for _, it := range items[1:] {
		s += ", " + it
	}
	return s
}
