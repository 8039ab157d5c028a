package eval

import (
	"fmt"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/mappings"
)

// places returns the element ids where a capability may sit for a scoped
// element, in a stable order. Only self and path include the element itself:
// a host firewall on a service is not a control at its zone's boundary. A
// system target (empty id) is handled by the caller: every mitigation counts.
func places(x *model.Index, id, loc string) []string {
	if id == "" {
		return nil
	}
	var out []string
	seen := map[string]bool{} // a hub with thousands of inbound flows must not make this quadratic
	add := func(ids ...string) {
		for _, i := range ids {
			if i != "" && !seen[i] {
				seen[i] = true
				out = append(out, i)
			}
		}
	}
	f := x.Flow(id)
	switch loc {
	case mappings.AtSelf:
		add(id)
	case mappings.AtSource:
		add(f.Source)
	case mappings.AtDestination:
		add(f.Target)
	case mappings.AtPath:
		add(id)
		if f != nil {
			add(f.Source, f.Target)
			add(x.Crossing(id).Boundaries()...)
		} else {
			for _, in := range x.Inbound(id) {
				fl := x.Flow(in)
				add(in, fl.Source, fl.Target)
				add(x.Crossing(in).Boundaries()...)
			}
		}
	case mappings.AtBoundary:
		if f != nil {
			add(x.Crossing(id).Boundaries()...)
		} else {
			if c := x.Component(id); c != nil {
				add(x.ZoneChain(c.Zone)...)
			}
			for _, in := range x.Inbound(id) {
				add(x.Crossing(in).Boundaries()...)
			}
		}
	case mappings.AtEntry:
		if f != nil {
			entered, _ := x.CDECrossing(f)
			add(entered...)
			add(x.Crossing(id).Lines...)
		} else {
			for _, in := range x.Inbound(id) {
				c := x.Crossing(in)
				add(c.Entered...)
				add(c.Lines...)
			}
		}
	case mappings.AtExit:
		if f != nil {
			_, left := x.CDECrossing(f)
			add(left...)
			add(x.Crossing(id).Lines...)
		}
	case mappings.AtHost:
		if c := x.Component(id); c != nil {
			add(id)
			add(x.ZoneChain(c.Zone)...)
		}
	case mappings.AtUpstream:
		add(id)
		start := id
		if f != nil {
			add(f.Source)
			start = f.Source
		}
		// The route's components and flows, and the zones its flows enter:
		// a WAF stated on the DMZ sits on the way in.
		for _, r := range x.PublicRoute(start) {
			add(r)
			if x.Flow(r) != nil {
				add(x.Crossing(r).Entered...)
			}
		}
		if f != nil {
			add(x.Crossing(id).Entered...)
		}
	case mappings.AtZone:
		switch {
		case f != nil:
			add(x.ZoneChain(x.Component(f.Source).Zone)...)
			add(x.ZoneChain(x.Component(f.Target).Zone)...)
		case x.Component(id) != nil:
			add(x.ZoneChain(x.Component(id).Zone)...)
		default:
			add(x.ZoneChain(id)...)
		}
	}
	return out
}

// MitigationUse records a mitigation considered for a capability, and
// whether it counted.
type MitigationUse struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Capability string `json:"capability"`
	Status     string `json:"status"`
	On         string `json:"on"`
	Location   string `json:"location"`
	Counted    bool   `json:"counted"`
	Problem    string `json:"problem,omitempty"`
}

// Placement records where a capability had to sit for one element and what
// was found there, so that a verdict can show the places it looked at.
type Placement struct {
	Capability string       `json:"capability"`
	LocatedAt  string       `json:"located_at"`
	Places     []ElementRef `json:"places"`
	// More counts the places looked at beyond those listed: a component
	// with thousands of inbound flows has as many places on its path.
	More  int      `json:"more,omitempty"`
	Found []string `json:"found"`
}

// maxPlaces is how many places a placement lists.
const maxPlaces = 12

// outcome is the result of checking a requirement tree.
type outcome struct {
	ok         bool
	used       []MitigationUse
	reasons    []Reason
	placements []Placement
}

func (e *evaluator) require(q mappings.Requirement, id string) outcome {
	switch {
	case len(q.All) > 0:
		out := outcome{ok: true}
		for _, c := range q.All {
			o := e.require(c, id)
			out.ok = out.ok && o.ok
			out.used = append(out.used, o.used...)
			out.reasons = append(out.reasons, o.reasons...)
			out.placements = append(out.placements, o.placements...)
		}
		return out
	case len(q.Any) > 0:
		var out outcome
		for _, c := range q.Any {
			o := e.require(c, id)
			out.used = append(out.used, o.used...)
			out.placements = append(out.placements, o.placements...)
			if o.ok {
				out.ok = true
			} else {
				out.reasons = append(out.reasons, o.reasons...)
			}
		}
		if out.ok {
			out.reasons = nil
		}
		return out
	}
	return e.capability(q, id)
}

func (e *evaluator) capability(q mappings.Requirement, id string) (out outcome) {
	loc := q.Location()
	var cands []*model.Mitigation
	var ons []string
	if id == "" {
		for i := range e.x.Model.Mitigations {
			cands = append(cands, &e.x.Model.Mitigations[i])
			ons = append(ons, "")
		}
	} else {
		for _, p := range places(e.x, id, loc) {
			for _, m := range e.x.MitigationsOn(p) {
				cands = append(cands, m)
				ons = append(ons, p)
			}
		}
	}
	pl := Placement{Capability: q.Capability, LocatedAt: loc, Places: []ElementRef{}, Found: []string{}}
	if id == "" {
		pl.Places = append(pl.Places, e.ref(""))
	} else {
		for i, p := range places(e.x, id, loc) {
			if i == maxPlaces {
				pl.More++
				continue
			}
			pl.Places = append(pl.Places, e.ref(p))
		}
	}
	defer func() {
		for _, u := range out.used {
			if u.Counted && !slices.Contains(pl.Found, u.ID) {
				pl.Found = append(pl.Found, u.ID)
			}
		}
		out.placements = append(out.placements, pl)
	}()
	for i, m := range cands {
		for _, pv := range m.Provides {
			if pv.Capability != q.Capability {
				continue
			}
			use := MitigationUse{ID: m.ID, Title: m.Title, Capability: pv.Capability, Status: m.Status, On: ons[i], Location: loc}
			switch {
			case !m.Implemented():
				use.Problem = fmt.Sprintf("status is %s, not implemented", m.Status)
			case q.Where != nil && !test(*q.Where, mitigationGetter(e.x, m, pv), nil):
				use.Problem = "its parameters do not meet the rule: " + describe(*q.Where)
			default:
				use.Counted = true
				out.ok = true
			}
			out.used = append(out.used, use)
		}
	}
	if out.ok {
		return out
	}
	where := "on the element"
	if loc != mappings.AtSelf {
		where = "at its " + loc
	}
	if id == "" {
		where = "anywhere in the model"
	} else if len(pl.Places) == 0 {
		where += " (the model shows no such place: " + noPlace(loc) + ")"
	} else {
		names := make([]string, len(pl.Places))
		for i, p := range pl.Places {
			names[i] = fmt.Sprintf("%q", p.Name)
		}
		if pl.More > 0 {
			names = append(names, fmt.Sprintf("%d more", pl.More))
		}
		where += " (looked at " + strings.Join(names, ", ") + ")"
	}
	if len(out.used) == 0 {
		out.reasons = append(out.reasons, Reason{Code: "capability-missing",
			Message: fmt.Sprintf("no mitigation providing %s %s", q.Capability, where)})
	}
	for _, u := range out.used {
		out.reasons = append(out.reasons, Reason{Code: "capability-inadequate",
			Message: fmt.Sprintf("mitigation %s (%s) provides %s but %s", u.ID, u.Title, u.Capability, u.Problem)})
	}
	return out
}

// noPlace says why a location is empty for an element.
func noPlace(loc string) string {
	switch loc {
	case mappings.AtEntry, mappings.AtExit, mappings.AtBoundary:
		return "it crosses no zone boundary, so nothing separates its ends"
	case mappings.AtZone, mappings.AtHost:
		return "it sits in no zone"
	}
	return "nothing there"
}

func mitigationGetter(x *model.Index, m *model.Mitigation, pv model.Provision) getter {
	params := mapGetter(pv.Params)
	return func(field string) any {
		switch field {
		case "id":
			return m.ID
		case "title":
			return m.Title
		case "status":
			return m.Status
		case "targets.cde":
			return targetsCDE(x, m)
		}
		if len(field) > 7 && field[:7] == "params." {
			return params(field[7:])
		}
		return nil
	}
}

// targetsCDE reports whether a mitigation sits on the CDE: on a CDE
// component or flow, or on a zone that holds a CDE component, directly or
// in a nested zone. A system-wide test or monitoring service counts
// for the CDE only where it reaches it.
func targetsCDE(x *model.Index, m *model.Mitigation) bool {
	return slices.ContainsFunc(m.Targets, func(t string) bool { return x.InCDE(t) || x.ZoneHoldsCDE(t) })
}
