package eval

import (
	"slices"
	"strings"
	"unicode"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/mappings"
)

// elementGetter returns the field accessor of an element, following the
// vocabulary of [mappings.Fields].
func elementGetter(x *model.Index, id string) getter {
	if id == "" {
		return systemGetter(x)
	}
	if f := x.Flow(id); f != nil {
		return flowGetter(x, f)
	}
	if c := x.Component(id); c != nil {
		return componentGetter(x, c)
	}
	if z := x.Zone(id); z != nil {
		return func(field string) any {
			switch field {
			case "id":
				return z.ID
			case "name":
				return z.Name
			case "tags":
				return z.Tags
			case "trust":
				return x.Trust(z.ID)
			case "parent":
				return z.Parent
			}
			return nil
		}
	}
	return func(string) any { return nil }
}

func componentGetter(x *model.Index, c *model.Component) getter {
	return func(field string) any {
		switch field {
		case "id":
			return c.ID
		case "name":
			return c.Name
		case "kind":
			return c.Kind
		case "type":
			return c.Type
		case "tags":
			return c.Tags
		case "zone":
			return c.Zone
		case "zone.tags":
			var tags []string
			for _, z := range x.ZoneChain(c.Zone) {
				tags = append(tags, x.Zone(z).Tags...)
			}
			return tags
		case "zone.trust":
			return x.EndpointTrust(c.ID)
		case "data.ids":
			return x.ComponentData(c.ID)
		case "data.classifications":
			return x.ComponentClassifications(c.ID)
		case "stores.classifications":
			return classesOf(x, c.Stores)
		case "processes.classifications":
			return classesOf(x, c.Processes)
		case "pci.scope":
			return x.ScopeOf(c.ID).Class
		case "exposed":
			return x.PublicRoute(c.ID) != nil
		case "encrypted_at_rest":
			return c.EncryptedAtRest
		case "stores_credentials":
			return c.StoresCredentials
		case "stores_logs":
			return c.StoresLogs
		case "internet_facing":
			return c.InternetFacing
		case "authenticates":
			return c.Authenticates
		}
		return nil
	}
}

func flowGetter(x *model.Index, f *model.Flow) getter {
	return func(field string) any {
		if rest, ok := strings.CutPrefix(field, "source."); ok {
			return componentGetter(x, x.Component(f.Source))(rest)
		}
		if rest, ok := strings.CutPrefix(field, "destination."); ok {
			return componentGetter(x, x.Component(f.Target))(rest)
		}
		switch field {
		case "id":
			return f.ID
		case "name":
			return f.Name
		case "protocol":
			return strings.ToLower(f.Protocol)
		case "tags":
			return f.Tags
		case "bidirectional":
			return f.Bidirectional
		case "encrypted":
			return f.Encrypted
		case "authenticated":
			return f.Authenticated
		case "public_network":
			return f.PublicNetwork
		case "interactive":
			return f.Interactive
		case "admin":
			return f.Admin
		case "data.ids":
			return f.Data
		case "data.classifications":
			// A flow that lists no data but leaves or reaches a CDE element
			// may carry account data: the model does not say it does not.
			if len(f.Data) == 0 && (x.InCDE(f.Source) || x.InCDE(f.Target)) {
				return unstated{}
			}
			return x.FlowClassifications(f.ID)
		case "pci.scope":
			return x.ScopeOf(f.ID).Class
		}
		return nil
	}
}

// systemGetter reads the facts of the model as a whole, for system rules.
func systemGetter(x *model.Index) getter {
	m := x.Model
	return func(field string) any {
		switch field {
		case "scope.findings":
			return float64(len(x.ScopeFindings()))
		case "zones.cde_tagged":
			n := 0
			for _, z := range m.Zones {
				if slices.Contains(z.Tags, model.CDETag) {
					n++
				}
			}
			return float64(n)
		case "zones.tags":
			var tags []string
			for _, z := range m.Zones {
				tags = append(tags, z.Tags...)
			}
			slices.Sort(tags)
			return slices.Compact(tags)
		case "cde.components":
			// No CDE component is not a fact the model states: it may
			// classify no data at all. Absent, so that a rule expecting a
			// CDE asks for the scope to be confirmed.
			n := 0
			for _, c := range m.Components {
				if x.InCDE(c.ID) {
					n++
				}
			}
			if n == 0 {
				return nil
			}
			return float64(n)
		case "scope.account_data_outside_cde":
			n := 0
			for _, f := range x.ScopeFindings() {
				switch f.Code {
				case model.FindingAccountDataOutsideCDE, model.FindingNoCDEZone, model.FindingExternalInCDE:
					n++
				case model.FindingDeclaredOutOfScope:
					// A connected system declared out of scope leaves the
					// documented scope short too.
					n++
				}
			}
			return float64(n)
		case "components.separated_from_cde":
			// Components outside the CDE that sit in a zone holding no CDE
			// component: what a segmentation boundary would keep out of
			// scope. None means a flat network, all of it in scope.
			cdeZones := map[string]bool{}
			for _, c := range m.Components {
				if x.InCDE(c.ID) {
					cdeZones[c.Zone] = true
				}
			}
			n := 0
			for _, c := range m.Components {
				if c.Kind != model.KindExternalEntity && !x.InCDE(c.ID) && (c.Zone == "" || !cdeZones[c.Zone]) {
					n++
				}
			}
			return float64(n)
		case "zones.names":
			var names []string
			for _, z := range m.Zones {
				names = append(names, z.Name)
			}
			return names
		case "capabilities":
			var caps []string
			for _, mi := range m.Mitigations {
				if mi.Implemented() {
					for _, p := range mi.Provides {
						caps = append(caps, p.Capability)
					}
				}
			}
			slices.Sort(caps)
			return slices.Compact(caps)
		case "components.types":
			var types []string
			for _, c := range m.Components {
				if c.Type != "" {
					types = append(types, strings.ToLower(c.Type))
				}
			}
			slices.Sort(types)
			return slices.Compact(types)
		case "threats.count":
			return float64(len(m.Threats))
		case "threats.without_owner":
			n := 0
			for _, t := range m.Threats {
				if !namesOwner(t.Owner) {
					n++
				}
			}
			return float64(n)
		case "threats.without_status":
			n := 0
			for _, t := range m.Threats {
				if t.Status == "" || t.Status == "unknown" {
					n++
				}
			}
			return float64(n)
		}
		return nil
	}
}

// placeholderOwners are owner values that name nobody.
var placeholderOwners = []string{"tbd", "tba", "n/a", "na", "none", "unassigned", "unknown", "nobody", "owner", "-", "--", "?", "todo", "xxx"}

// namesOwner reports whether an owner field names someone: blank text,
// invisible characters and placeholders such as "TBD" do not.
func namesOwner(s string) bool {
	s = strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.In(r, unicode.Cf) })
	s = strings.Map(func(r rune) rune {
		if unicode.In(r, unicode.Cf) {
			return -1
		}
		return r
	}, s)
	return s != "" && !slices.Contains(placeholderOwners, strings.ToLower(s))
}

func classesOf(x *model.Index, ids []string) []string {
	var out []string
	for _, id := range ids {
		if d := x.DataAsset(id); d != nil {
			out = append(out, d.Classifications...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// functions evaluates the built-in functions for one element.
type functions struct {
	x  *model.Index
	id string
}

func (fn functions) call(p mappings.Predicate) model.Tri {
	switch p.Fn {
	case "crosses_boundary":
		return model.TriOf(fn.crossesBoundary(p.Args))
	case "in_zone":
		return model.TriOf(fn.inZone(p.Args))
	case "exposed_to":
		return fn.exposed(p.Args)
	case "has_tag":
		tag, _ := p.Args["tag"].(string)
		return model.TriOf(slices.Contains(asStrings(elementGetter(fn.x, fn.id)("tags")), tag))
	case "connected_to":
		return model.TriOf(fn.connectedTo(p.Args))
	}
	return model.False
}

// zoneMatcher matches a zone by tags and/or trust given in args under the
// given keys; a zone matches when every given criterion holds.
func zoneMatcher(x *model.Index, args map[string]any, tagsKey, trustKey string) (func(zone string) bool, bool) {
	tags, trust := strs(args[tagsKey]), strs(args[trustKey])
	if len(tags) == 0 && len(trust) == 0 {
		return nil, false
	}
	return func(zone string) bool {
		if len(trust) > 0 && !slices.Contains(trust, x.Trust(zone)) {
			return false
		}
		if len(tags) > 0 && !slices.ContainsFunc(tags, func(t string) bool { return x.ZoneHasTag(zone, t) }) {
			return false
		}
		return true
	}, true
}

// crossesBoundary tests a flow's crossing. An end drawn outside every zone
// stands in a zone of its own: an external entity's is untrusted (nothing
// vouches for its network), so a flow to or from it crosses into or out of
// untrusted ground; into_cde and out_of_cde follow the derived CDE, not
// the tags.
func (fn functions) crossesBoundary(args map[string]any) bool {
	c := fn.x.Crossing(fn.id)
	f := fn.x.Flow(fn.id)
	if b, _ := args["any"].(bool); b && (c.Crosses() || fn.zonelessEnd(f.Source) || fn.zonelessEnd(f.Target)) {
		return true
	}
	if b, _ := args["into_cde"].(bool); b && fn.entersCDE(f.Source, f.Target, f.Bidirectional) {
		return true
	}
	if b, _ := args["out_of_cde"].(bool); b && fn.entersCDE(f.Target, f.Source, f.Bidirectional) {
		return true
	}
	check := func(zones []string, virtual []string, tagsKey, trustKey string) bool {
		m, ok := zoneMatcher(fn.x, args, tagsKey, trustKey)
		if !ok {
			return false
		}
		if slices.ContainsFunc(zones, m) {
			return true
		}
		// A zoneless external end has no zone to match tags, only its trust.
		trust := strs(args[trustKey])
		return len(strs(args[tagsKey])) == 0 && len(virtual) > 0 && slices.Contains(trust, model.TrustUntrusted)
	}
	var into, outOf []string
	if fn.zonelessEnd(f.Target) {
		into = append(into, f.Target)
	}
	if fn.zonelessEnd(f.Source) {
		outOf = append(outOf, f.Source)
	}
	if f.Bidirectional {
		both := append(slices.Clone(into), outOf...)
		into, outOf = both, both
	}
	return check(c.Entered, into, "into_zone_tags", "into_trust") ||
		check(c.Left, outOf, "out_of_zone_tags", "out_of_trust") ||
		check(append(append(slices.Clone(c.Entered), c.Left...), c.Lines...), append(slices.Clone(into), outOf...), "zone_tags", "trust")
}

// zonelessEnd reports whether a flow end is an external entity outside
// every zone.
func (fn functions) zonelessEnd(id string) bool {
	c := fn.x.Component(id)
	return c != nil && c.Zone == "" && c.Kind == model.KindExternalEntity
}

// entersCDE reports whether a flow from src to dst enters the derived CDE.
func (fn functions) entersCDE(src, dst string, both bool) bool {
	in := func(a, b string) bool { return fn.x.InCDE(b) && !fn.x.InCDE(a) }
	return in(src, dst) || (both && in(dst, src))
}

// endpoints returns the components an element stands for: itself, or a
// flow's two ends.
func (fn functions) endpoints() []string {
	if f := fn.x.Flow(fn.id); f != nil {
		return []string{f.Source, f.Target}
	}
	return []string{fn.id}
}

func (fn functions) inZone(args map[string]any) bool {
	zones := strs(args["zones"])
	m, ok := zoneMatcher(fn.x, args, "zone_tags", "trust")
	for _, e := range fn.endpoints() {
		c := fn.x.Component(e)
		if c == nil {
			continue
		}
		for _, z := range fn.x.ZoneChain(c.Zone) {
			if slices.Contains(zones, z) || (ok && m(z)) {
				return true
			}
		}
	}
	return false
}

// exposed tests exposure: directly, over a flow from a matching zone (or
// one marked public network), or, with reachable: true, through any chain
// of intermediaries (load balancers, gateways) from an untrusted network, or
// because the component is stated internet facing.
func (fn functions) exposed(args map[string]any) model.Tri {
	if len(fn.exposures(args)) > 0 {
		return model.True
	}
	if r, _ := args["reachable"].(bool); r {
		ends := fn.endpoints()
		if fn.x.Flow(fn.id) != nil {
			ends = ends[:1] // a flow is exposed when its source is
		}
		for _, e := range ends {
			if fn.x.PublicRoute(e) != nil {
				return model.True
			}
		}
	}
	// A flow that may cross a public network, from a zone whose trust the
	// model does not state, leaves the exposure undecided.
	if pub, _ := args["public_network"].(bool); pub {
		flows := fn.x.Inbound(fn.id)
		if fn.x.Flow(fn.id) != nil {
			flows = []string{fn.id}
		}
		for _, fid := range flows {
			f := fn.x.Flow(fid)
			peer := f.Source
			if peer == fn.id {
				peer = f.Target
			}
			if !f.PublicNetwork.Known() && fn.x.EndpointTrust(peer) == "" {
				return model.Unknown
			}
		}
	}
	return model.False
}

// exposures returns the flows through which the element is exposed to the
// zones described by args (or to public networks).
func (fn functions) exposures(args map[string]any) []string {
	m, ok := zoneMatcher(fn.x, args, "zone_tags", "trust")
	if !ok {
		m = func(string) bool { return false }
	}
	pub, _ := args["public_network"].(bool)
	untrusted := slices.Contains(strs(args["trust"]), model.TrustUntrusted)
	if f := fn.x.Flow(fn.id); f != nil {
		src := fn.x.Component(f.Source)
		if (pub && f.PublicNetwork == model.True) || slices.ContainsFunc(fn.x.ZoneChain(src.Zone), m) || (untrusted && fn.zonelessEnd(f.Source)) {
			return []string{f.ID}
		}
		return nil
	}
	out := fn.x.ExposedTo(fn.id, m, pub)
	if untrusted {
		for _, fid := range fn.x.Inbound(fn.id) {
			f := fn.x.Flow(fid)
			peer := f.Source
			if peer == fn.id {
				peer = f.Target
			}
			if fn.zonelessEnd(peer) && !slices.Contains(out, fid) {
				out = append(out, fid)
			}
		}
	}
	return out
}

func (fn functions) connectedTo(args map[string]any) bool {
	var peers []string
	if f := fn.x.Flow(fn.id); f != nil {
		peers = []string{f.Source, f.Target}
	} else {
		for _, fid := range append(slices.Clone(fn.x.Inbound(fn.id)), fn.x.Outbound(fn.id)...) {
			f := fn.x.Flow(fid)
			peers = append(peers, f.Source, f.Target)
		}
	}
	kind, _ := args["kind"].(string)
	typ, _ := args["type"].(string)
	classes := strs(args["classifications"])
	m, zoneOK := zoneMatcher(fn.x, args, "zone_tags", "trust")
	for _, p := range peers {
		c := fn.x.Component(p)
		if c == nil || p == fn.id {
			continue
		}
		if (kind != "" && c.Kind != kind) || (typ != "" && c.Type != typ) {
			continue
		}
		if len(classes) > 0 && !intersects(fn.x.ComponentClassifications(p), classes) {
			continue
		}
		if zoneOK && !slices.ContainsFunc(fn.x.ZoneChain(c.Zone), m) {
			continue
		}
		return true
	}
	return false
}

func strs(v any) []string {
	l, ok := v.([]any)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(l))
	for _, e := range l {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func asStrings(v any) []string {
	s, _ := v.([]string)
	return s
}

func intersects(a, b []string) bool {
	return slices.ContainsFunc(a, func(s string) bool { return slices.Contains(b, s) })
}
