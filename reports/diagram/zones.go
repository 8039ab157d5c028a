package diagram

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/model"
)

// noZone stands for the components that sit in no zone of the model.
const noZone = "(no zone)"

// zoneStats counts what sits directly in one zone.
type zoneStats struct {
	components, flows, cde, findings int // flows that stay inside the zone
	verdict                          eval.Verdict
}

// pair is the flows from one zone to another, counted.
type pair struct {
	from, to string
	n        int
	verdict  eval.Verdict
	pan      bool
	first    int // model index of its first flow, for a stable order
}

// zones is the zone overview of a large model: a node per zone with what
// it holds, nested in the zones it sits in, and an arrow per ordered pair
// of zones that flows join, with their count and worst verdict.
func (f *facts) zones() *graph {
	g := newGraph(KindZones, "Zone overview")
	m := &f.r.Model
	zoneOf := func(component string) string {
		if c := f.comp[component]; c != nil && f.zone[c.Zone] != nil {
			return c.Zone
		}
		return noZone
	}
	stats := map[string]*zoneStats{}
	stat := func(z string) *zoneStats {
		if stats[z] == nil {
			stats[z] = &zoneStats{}
		}
		return stats[z]
	}
	for _, c := range m.Components {
		s := stat(zoneOf(c.ID))
		s.components++
		s.verdict = eval.Worst(s.verdict, f.verdicts[c.ID])
		if f.class[c.ID] == model.ScopeCDE {
			s.cde++
		}
		if f.finding[c.ID] {
			s.findings++
		}
	}
	pairs := map[[2]string]*pair{}
	var order []*pair
	for i := range m.Flows {
		fl := &m.Flows[i]
		a, b := zoneOf(fl.Source), zoneOf(fl.Target)
		if a == b {
			stat(a).flows++
			stat(a).verdict = eval.Worst(stat(a).verdict, f.verdicts[fl.ID])
			continue
		}
		k := [2]string{a, b}
		p := pairs[k]
		if p == nil {
			p = &pair{from: a, to: b, first: i}
			pairs[k] = p
			order = append(order, p)
		}
		p.n++
		p.verdict = eval.Worst(p.verdict, f.verdicts[fl.ID])
		p.pan = p.pan || hasAccountData(fl.Classifications)
	}

	var ids []string
	for _, z := range m.Zones {
		ids = append(ids, z.ID)
	}
	if stats[noZone] != nil {
		ids = append(ids, noZone)
	}
	if len(ids) > MaxZones {
		g.notes = append(g.notes, fmt.Sprintf("Shows %d of the %d zones, in model order.", MaxZones, len(ids)))
		ids = ids[:MaxZones]
	}
	shown := map[string]bool{}
	for _, id := range ids {
		shown[id] = true
	}
	hasChild := map[string]bool{}
	for _, id := range ids {
		if p := f.parentOf(id); p != "" && shown[p] {
			hasChild[p] = true
		}
	}
	// A zone with zones inside is a box holding its own node and theirs;
	// a zone without is a node in the box of the zone it sits in.
	f.addZones(g, func(z string) bool { return shown[z] && hasChild[z] })
	at := map[string]int{}
	for _, id := range ids {
		s := stats[id]
		if s == nil {
			s = &zoneStats{}
		}
		name, parent := id, f.parentOf(id)
		if z := f.zone[id]; z != nil {
			name = z.Name
		}
		n := node{id: id, verdict: s.verdict, finding: s.findings > 0, class: ""}
		n.lines = []string{name, id, plural(s.components, "component") + ", " + plural(s.flows, "flow") + " inside"}
		var marks []string
		if s.cde > 0 {
			marks = append(marks, fmt.Sprintf("%d in the CDE", s.cde))
			n.class = model.ScopeCDE
		}
		if s.findings > 0 {
			marks = append(marks, plural(s.findings, "scope finding"))
		}
		if len(marks) > 0 {
			n.lines = append(n.lines, joinMarks(marks))
		}
		n.title = fmt.Sprintf("zone %s: worst verdict %s", id, verdictLabel(s.verdict))
		cluster := parent
		if hasChild[id] {
			cluster = id
		}
		if !shown[cluster] {
			cluster = ""
		}
		at[id] = g.addNode(n, cluster)
	}

	var drawn []*pair
	for _, p := range order {
		if shown[p.from] && shown[p.to] {
			drawn = append(drawn, p)
		}
	}
	slices.SortStableFunc(drawn, func(a, b *pair) int {
		if c := cmp.Compare(eval.Rank(b.verdict), eval.Rank(a.verdict)); c != 0 {
			return c
		}
		return cmp.Compare(b.n, a.n)
	})
	if len(drawn) > MaxZonePairs {
		g.notes = append(g.notes, fmt.Sprintf("Draws %d of the %d pairs of zones joined by flows, worst verdicts and most flows first.", MaxZonePairs, len(drawn)))
		drawn = drawn[:MaxZonePairs]
	}
	// Back in model order, so that the layout does not depend on how the
	// pairs were ranked.
	slices.SortFunc(drawn, func(a, b *pair) int { return cmp.Compare(a.first, b.first) })
	for _, p := range drawn {
		e := edge{id: p.from + "->" + p.to, from: at[p.from], to: at[p.to], verdict: p.verdict}
		e.lines = []string{plural(p.n, "flow")}
		if p.pan {
			e.lines = append(e.lines, "account data")
		}
		e.title = fmt.Sprintf("%s from %s to %s: worst verdict %s", plural(p.n, "flow"), p.from, p.to, verdictLabel(p.verdict))
		g.addEdge(e)
	}
	g.notes = append(g.notes, fmt.Sprintf("The model has %d components and %d flows, more than one page can show (%d components or %d flows): zones are drawn as nodes, and the CDE detail follows.",
		len(m.Components), len(m.Flows), MaxComponents, MaxFlows))
	return g
}

func hasAccountData(classes []string) bool {
	return slices.ContainsFunc(classes, func(c string) bool { return slices.Contains(model.AccountData, c) })
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
