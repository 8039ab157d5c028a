package model

import (
	"slices"
	"strings"
)

// EndpointTrust returns the effective trust of a component's zone. An
// external entity drawn outside every zone is untrusted: nothing in the
// model vouches for the network it sits on.
func (x *Index) EndpointTrust(component string) string {
	c := x.components[component]
	if c == nil {
		return ""
	}
	if t := x.Trust(c.Zone); t != "" {
		return t
	}
	if c.Kind == KindExternalEntity && c.Zone == "" {
		return TrustUntrusted
	}
	return ""
}

// untrustedSource reports whether traffic from a component comes from an
// untrusted or public network.
func (x *Index) untrustedSource(id string) bool {
	t := x.EndpointTrust(id)
	return t == TrustPublic || t == TrustUntrusted
}

// PublicRoute returns a route by which traffic from a public or untrusted
// network reaches a component, as alternating component and flow ids from
// the outside source to the component itself, or nil when the model shows
// none. A component stated internet facing has the one-element route of
// itself. Routes pass on only through processes that forward requests (a
// load balancer, gateway or proxy) or whose type the model does not state:
// an application that calls a backend does not make the backend
// internet facing, but nothing is dropped for want of a type.
func (x *Index) PublicRoute(component string) []string { return x.routes[component] }

func (x *Index) deriveRoutes() {
	x.routes = map[string][]string{}
	var queue []string
	reach := func(id string, route []string) {
		if _, seen := x.routes[id]; seen {
			return
		}
		x.routes[id] = route
		if c := x.components[id]; c != nil && c.Kind == KindProcess && forwards(c) {
			queue = append(queue, id)
		}
	}
	for _, c := range x.Model.Components {
		if c.InternetFacing == True && !x.untrustedSource(c.ID) {
			reach(c.ID, []string{c.ID})
		}
	}
	// Sources in model order, then breadth first: the route kept is a
	// shortest one, and the same for the same model.
	for _, c := range x.Model.Components {
		if !x.untrustedSource(c.ID) {
			continue
		}
		for _, fid := range x.outbound[c.ID] {
			f := x.flows[fid]
			to := f.Target
			if to == c.ID {
				to = f.Source
			}
			if !x.untrustedSource(to) {
				reach(to, []string{c.ID, fid, to})
			}
		}
	}
	for _, f := range x.Model.Flows {
		if f.PublicNetwork == True && !x.untrustedSource(f.Target) {
			reach(f.Target, []string{f.Source, f.ID, f.Target})
		}
	}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		base := x.routes[id]
		for _, fid := range x.outbound[id] {
			f := x.flows[fid]
			to := f.Target
			if to == id {
				to = f.Source
			}
			if x.untrustedSource(to) {
				continue
			}
			route := append(append(make([]string, 0, len(base)+2), base...), fid, to)
			reach(to, route)
		}
	}
}

// forwardingTypes are component types that pass requests on to others.
var forwardingTypes = []string{
	"load-balancer", "lb", "reverse-proxy", "proxy", "api-gateway", "gateway", "ingress", "ingress-controller",
	"cdn", "waf", "edge", "edge-router", "router", "nat", "firewall", "service-mesh-gateway",
}

func forwards(c *Component) bool {
	return c.Type == "" || slices.Contains(forwardingTypes, strings.ToLower(c.Type))
}

// CDECrossing returns the zones a flow enters and leaves. A bidirectional
// flow crosses both ways, but a control guarding the CDE sits on the CDE's
// boundary: when exactly one end belongs to the CDE (by data or by tag),
// traffic enters the CDE through the zones on that end's side and leaves it
// through the same zones, so a filter or MFA on the outside zone counts for
// neither direction.
func (x *Index) CDECrossing(f *Flow) (entered, left []string) {
	c := x.crossings[f.ID]
	if !f.Bidirectional {
		return c.Entered, c.Left
	}
	src, dst := x.chains[x.components[f.Source].Zone], x.chains[x.components[f.Target].Zone]
	toTarget, fromSource := minus(dst, src), minus(src, dst)
	cde := func(id string) bool { return x.InCDE(id) || x.InZoneTagged(id, CDETag) }
	switch {
	case cde(f.Target) && !cde(f.Source):
		return toTarget, toTarget
	case cde(f.Source) && !cde(f.Target):
		return fromSource, fromSource
	}
	return c.Entered, c.Left
}
