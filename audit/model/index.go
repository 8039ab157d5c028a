package model

import (
	"fmt"
	"slices"
	"strings"
)

// Index is a [Model] with its derived relations computed once. It is
// read-only after [New]; every slice it returns is sorted or in model order.
type Index struct {
	Model *Model

	components  map[string]*Component
	flows       map[string]*Flow
	zones       map[string]*Zone
	data        map[string]*DataAsset
	mitigations map[string]*Mitigation
	threats     map[string]*Threat

	chains    map[string][]string // zone id → itself and ancestors, innermost first
	crossings map[string]Crossing // flow id → crossing
	inbound   map[string][]string // component id → flows that deliver data to it
	outbound  map[string][]string // component id → flows that carry data from it
	byTarget  map[string][]string // element id → mitigation ids targeting it

	scopes   map[string]Scope    // component or flow id → derived PCI DSS scope
	findings []ScopeFinding      // tags that disagree with the data
	routes   map[string][]string // component id → a route from an untrusted network
	answers  map[string][]string // threat id → mitigations linked to it, in model order
	cdeZones map[string]bool     // zones holding a CDE component, directly or nested
}

// Crossing is what a flow crosses on its way from source to target. Left and
// Entered hold zone ids (innermost first); a bidirectional flow has both sets
// equal to their union. Lines are line boundaries the flow was drawn across.
type Crossing struct {
	Left    []string `json:"left,omitempty"`
	Entered []string `json:"entered,omitempty"`
	Lines   []string `json:"lines,omitempty"`
}

// Crosses reports whether the flow crosses any boundary at all.
func (c Crossing) Crosses() bool {
	return len(c.Left) > 0 || len(c.Entered) > 0 || len(c.Lines) > 0
}

// Boundaries returns every zone whose boundary the flow crosses, sorted.
func (c Crossing) Boundaries() []string {
	return sortedUnion(c.Left, c.Entered, c.Lines)
}

// New validates the references of m and computes its derived relations. The
// error, if any, is an [*InvalidError] listing every broken reference.
func New(m *Model) (*Index, error) {
	x := &Index{
		Model:       m,
		components:  map[string]*Component{},
		flows:       map[string]*Flow{},
		zones:       map[string]*Zone{},
		data:        map[string]*DataAsset{},
		mitigations: map[string]*Mitigation{},
		threats:     map[string]*Threat{},
		chains:      map[string][]string{},
		crossings:   map[string]Crossing{},
		inbound:     map[string][]string{},
		outbound:    map[string][]string{},
		byTarget:    map[string][]string{},
	}
	v := &validator{}
	x.register(v)
	x.checkReferences(v)
	if len(v.issues) > 0 {
		return nil, &InvalidError{Issues: v.issues}
	}
	x.derive()
	return x, nil
}

func (x *Index) register(v *validator) {
	seen := map[string]string{}
	add := func(id, kind, ref string) bool {
		if id == "" {
			v.add(ref, "%s has an empty id", kind)
			return false
		}
		if prev, ok := seen[id]; ok {
			v.add(ref, "duplicate id %q (already used by a %s)", id, prev)
			return false
		}
		seen[id] = kind
		return true
	}
	m := x.Model
	for i := range m.Zones {
		if z := &m.Zones[i]; add(z.ID, "zone", z.Ref) {
			x.zones[z.ID] = z
		}
	}
	for i := range m.Components {
		if c := &m.Components[i]; add(c.ID, "component", c.Ref) {
			x.components[c.ID] = c
		}
	}
	for i := range m.Flows {
		if f := &m.Flows[i]; add(f.ID, "flow", f.Ref) {
			x.flows[f.ID] = f
		}
	}
	for i := range m.DataAssets {
		if d := &m.DataAssets[i]; add(d.ID, "data asset", d.Ref) {
			x.data[d.ID] = d
		}
	}
	for i := range m.Threats {
		if t := &m.Threats[i]; add(t.ID, "threat", t.Ref) {
			x.threats[t.ID] = t
		}
	}
	for i := range m.Mitigations {
		if mi := &m.Mitigations[i]; add(mi.ID, "mitigation", mi.Ref) {
			x.mitigations[mi.ID] = mi
		}
	}
}

func (x *Index) checkReferences(v *validator) {
	m := x.Model
	isZone := func(id string) bool { return x.zones[id] != nil }
	isData := func(id string) bool { return x.data[id] != nil }
	isComponent := func(id string) bool { return x.components[id] != nil }
	isMitigation := func(id string) bool { return x.mitigations[id] != nil }
	isThreat := func(id string) bool { return x.threats[id] != nil }
	for _, z := range m.Zones {
		if z.Parent != "" {
			v.refs(z.Ref, "zone", z.ID, []string{z.Parent}, isZone, "parent zone %q does not exist")
		}
	}
	x.checkZoneCycles(v)
	for _, c := range m.Components {
		if c.Kind != KindProcess && c.Kind != KindDatastore && c.Kind != KindExternalEntity {
			v.add(c.Ref, "component %q: kind %q is not process, datastore or external-entity", c.ID, c.Kind)
		}
		if c.Zone != "" {
			v.refs(c.Ref, "component", c.ID, []string{c.Zone}, isZone, "zone %q does not exist")
		}
		v.refs(c.Ref, "component", c.ID, append(slices.Clone(c.Stores), c.Processes...), isData, "data asset %q does not exist")
	}
	for _, f := range m.Flows {
		v.refs(f.Ref, "flow", f.ID, []string{f.Source, f.Target}, isComponent, "endpoint %q is not a component")
		v.refs(f.Ref, "flow", f.ID, f.Data, isData, "data asset %q does not exist")
		v.refs(f.Ref, "flow", f.ID, f.Boundaries, isZone, "boundary %q is not a zone")
	}
	for _, t := range m.Threats {
		v.refs(t.Ref, "threat", t.ID, t.Targets, x.isElement, "target %q is not a component, flow or zone")
		v.refs(t.Ref, "threat", t.ID, t.Mitigations, isMitigation, "mitigation %q does not exist")
	}
	for _, mi := range m.Mitigations {
		v.refs(mi.Ref, "mitigation", mi.ID, mi.Targets, x.isElement, "target %q is not a component, flow or zone")
		v.refs(mi.Ref, "mitigation", mi.ID, mi.Threats, isThreat, "threat %q does not exist")
		for i, p := range mi.Provides {
			if p.Capability == "" {
				v.add(mi.Ref, "mitigation %q: provides[%d] has no capability", mi.ID, i)
			}
		}
	}
}

// MaxZoneDepth bounds zone nesting. Real models nest a handful of levels;
// a deeper chain is hostile input, and every zone's ancestry is kept, so
// depth multiplies memory.
const MaxZoneDepth = 64

func (x *Index) checkZoneCycles(v *validator) {
	for _, z := range x.Model.Zones {
		seen := map[string]bool{}
		for id := z.ID; id != ""; {
			if seen[id] {
				v.add(z.Ref, "zone %q: parent chain loops through %q", z.ID, id)
				break
			}
			if len(seen) == MaxZoneDepth {
				v.add(z.Ref, "zone %q: nested more than %d levels deep", z.ID, MaxZoneDepth)
				break
			}
			seen[id] = true
			p := x.zones[id]
			if p == nil {
				break
			}
			id = p.Parent
		}
	}
}

func (x *Index) isElement(id string) bool {
	return x.components[id] != nil || x.flows[id] != nil || x.zones[id] != nil
}

// InvalidError lists every broken reference in a model.
type InvalidError struct {
	Issues []Issue
}

// Issue is one problem in a model, located by Ref.
type Issue struct {
	Ref     string
	Message string
}

func (e *InvalidError) Error() string {
	var b strings.Builder
	for i, is := range e.Issues {
		if i > 0 {
			b.WriteString("; ")
		}
		if is.Ref != "" {
			fmt.Fprintf(&b, "at %s: ", is.Ref)
		}
		b.WriteString(is.Message)
	}
	return b.String()
}

type validator struct{ issues []Issue }

// refs reports every id in ids that ok refuses, as "<kind> "<id>": <problem>".
func (v *validator) refs(ref, kind, id string, ids []string, ok func(string) bool, problem string) {
	for _, r := range ids {
		if !ok(r) {
			v.add(ref, "%s %q: "+problem, kind, id, r)
		}
	}
}

func (v *validator) add(ref, format string, args ...any) {
	v.issues = append(v.issues, Issue{Ref: ref, Message: fmt.Sprintf(format, args...)})
}

func sortedUnion(sets ...[]string) []string {
	var out []string
	for _, s := range sets {
		out = append(out, s...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
