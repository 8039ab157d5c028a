package model

import "slices"

func (x *Index) derive() {
	m := x.Model
	for _, z := range m.Zones {
		var chain []string
		for id := z.ID; id != ""; id = x.zones[id].Parent {
			chain = append(chain, id)
		}
		x.chains[z.ID] = chain
	}
	for _, f := range m.Flows {
		src := x.chains[x.components[f.Source].Zone]
		dst := x.chains[x.components[f.Target].Zone]
		c := Crossing{Left: minus(src, dst), Entered: minus(dst, src), Lines: sortedUnion(f.Boundaries)}
		if f.Bidirectional {
			both := append(slices.Clone(c.Left), c.Entered...)
			c.Left, c.Entered = both, slices.Clone(both)
		}
		x.crossings[f.ID] = c
		x.outbound[f.Source] = append(x.outbound[f.Source], f.ID)
		x.inbound[f.Target] = append(x.inbound[f.Target], f.ID)
		if f.Bidirectional {
			x.outbound[f.Target] = append(x.outbound[f.Target], f.ID)
			x.inbound[f.Source] = append(x.inbound[f.Source], f.ID)
		}
	}
	for _, mi := range m.Mitigations {
		for _, t := range sortedUnion(mi.Targets) {
			x.byTarget[t] = append(x.byTarget[t], mi.ID)
		}
	}
	x.deriveScope()
	x.deriveRoutes()
	// Threat → linked mitigations, in the mitigations' model order, in one
	// pass over the links: large models have thousands of each.
	x.answers = map[string][]string{}
	namedBy := map[string][]string{} // mitigation id → threats that name it
	for _, t := range m.Threats {
		for _, id := range t.Mitigations {
			namedBy[id] = append(namedBy[id], t.ID)
		}
	}
	seen := map[[2]string]bool{}
	for _, mi := range m.Mitigations {
		for _, t := range append(slices.Clone(mi.Threats), namedBy[mi.ID]...) {
			if k := [2]string{t, mi.ID}; !seen[k] {
				seen[k] = true
				x.answers[t] = append(x.answers[t], mi.ID)
			}
		}
	}
}

// Answers returns the ids of the mitigations linked to a threat: those the
// threat names and those that name it, in model order.
func (x *Index) Answers(threat string) []string { return x.answers[threat] }

// minus returns the elements of a not in b, keeping a's order.
func minus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// Component returns the component with the given id, or nil.
func (x *Index) Component(id string) *Component { return x.components[id] }

// Flow returns the flow with the given id, or nil.
func (x *Index) Flow(id string) *Flow { return x.flows[id] }

// Zone returns the zone with the given id, or nil.
func (x *Index) Zone(id string) *Zone { return x.zones[id] }

// DataAsset returns the data asset with the given id, or nil.
func (x *Index) DataAsset(id string) *DataAsset { return x.data[id] }

// Mitigation returns the mitigation with the given id, or nil.
func (x *Index) Mitigation(id string) *Mitigation { return x.mitigations[id] }

// Threat returns the threat with the given id, or nil.
func (x *Index) Threat(id string) *Threat { return x.threats[id] }

// KindOf returns the element kind of id, or "" when id names no element.
func (x *Index) KindOf(id string) string {
	switch {
	case x.components[id] != nil:
		return x.components[id].Kind
	case x.flows[id] != nil:
		return KindDataflow
	case x.zones[id] != nil:
		return KindZone
	}
	return ""
}

// NameOf returns the display name of an element, or its id.
func (x *Index) NameOf(id string) string {
	switch {
	case x.components[id] != nil:
		return x.components[id].Name
	case x.flows[id] != nil:
		return x.flows[id].Name
	case x.zones[id] != nil:
		return x.zones[id].Name
	}
	return id
}

// ZoneChain returns a zone and its ancestors, innermost first.
func (x *Index) ZoneChain(zone string) []string { return x.chains[zone] }

// Trust returns the effective trust level of a zone: its own, or the nearest
// ancestor's, or "" when no zone in the chain states one.
func (x *Index) Trust(zone string) string {
	for _, id := range x.chains[zone] {
		if t := x.zones[id].Trust; t != "" {
			return t
		}
	}
	return ""
}

// ZoneHasTag reports whether the zone itself carries tag.
func (x *Index) ZoneHasTag(zone, tag string) bool {
	z := x.zones[zone]
	return z != nil && slices.Contains(z.Tags, tag)
}

// InZoneTagged reports whether the component sits in a zone, or inside a
// zone nested in one, that carries tag.
func (x *Index) InZoneTagged(component, tag string) bool {
	c := x.components[component]
	if c == nil {
		return false
	}
	for _, z := range x.chains[c.Zone] {
		if x.ZoneHasTag(z, tag) {
			return true
		}
	}
	return false
}

// ComponentTrust returns the effective trust of the component's zone.
func (x *Index) ComponentTrust(component string) string {
	if c := x.components[component]; c != nil {
		return x.Trust(c.Zone)
	}
	return ""
}

// Crossing returns the boundaries a flow crosses.
func (x *Index) Crossing(flow string) Crossing { return x.crossings[flow] }

// Inbound returns the flows that deliver data to a component (bidirectional
// flows count both ways), in model order.
func (x *Index) Inbound(component string) []string { return x.inbound[component] }

// Outbound returns the flows that carry data from a component.
func (x *Index) Outbound(component string) []string { return x.outbound[component] }

// MitigationsOn returns the mitigations that target an element, in model order
// of their ids' first appearance.
func (x *Index) MitigationsOn(element string) []*Mitigation {
	var out []*Mitigation
	for _, id := range x.byTarget[element] {
		out = append(out, x.mitigations[id])
	}
	return out
}

// FlowClassifications returns the sorted classifications of the data a flow
// carries.
func (x *Index) FlowClassifications(flow string) []string {
	f := x.flows[flow]
	if f == nil {
		return nil
	}
	return x.classify(f.Data)
}

// ComponentClassifications returns the sorted classifications of the data a
// component stores or processes, or that any of its flows carries.
func (x *Index) ComponentClassifications(component string) []string {
	return x.classify(x.ComponentData(component))
}

// ComponentData returns the sorted ids of every data asset a component
// stores, processes or exchanges over its flows.
func (x *Index) ComponentData(component string) []string {
	c := x.components[component]
	if c == nil {
		return nil
	}
	ids := append(slices.Clone(c.Stores), c.Processes...)
	for _, f := range x.inbound[component] {
		ids = append(ids, x.flows[f].Data...)
	}
	for _, f := range x.outbound[component] {
		ids = append(ids, x.flows[f].Data...)
	}
	return sortedUnion(ids)
}

func (x *Index) classify(ids []string) []string {
	var out []string
	for _, id := range ids {
		if d := x.data[id]; d != nil {
			out = append(out, d.Classifications...)
		}
	}
	return sortedUnion(out)
}

// ExposedTo reports whether a component receives data over a flow whose
// other end sits in a zone matched by match, or over a flow marked as public
// network when publicNetwork is set. It returns the exposing flows.
func (x *Index) ExposedTo(component string, match func(zone string) bool, publicNetwork bool) []string {
	var out []string
	for _, fid := range x.inbound[component] {
		f := x.flows[fid]
		peer := f.Source
		if peer == component {
			peer = f.Target
		}
		pc := x.components[peer]
		if (publicNetwork && f.PublicNetwork == True) || (pc != nil && x.zoneMatches(pc.Zone, match)) {
			out = append(out, fid)
		}
	}
	return out
}

func (x *Index) zoneMatches(zone string, match func(string) bool) bool {
	for _, z := range x.chains[zone] {
		if match(z) {
			return true
		}
	}
	return false
}
