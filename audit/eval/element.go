package eval

import (
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/mappings"
)

// elementGetter returns the field accessor of an element, following the
// vocabulary of [mappings.Fields].
func elementGetter(x *model.Index, id string) getter {
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
			return x.Trust(c.Zone)
		case "data.ids":
			return x.ComponentData(c.ID)
		case "data.classifications":
			return x.ComponentClassifications(c.ID)
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
			return x.FlowClassifications(f.ID)
		}
		return nil
	}
}

// functions evaluates the built-in functions for one element.
type functions struct {
	x  *model.Index
	id string
}

func (fn functions) call(p mappings.Predicate) bool {
	switch p.Fn {
	case "crosses_boundary":
		return fn.crossesBoundary(p.Args)
	case "in_zone":
		return fn.inZone(p.Args)
	case "exposed_to":
		return len(fn.exposures(p.Args)) > 0
	case "has_tag":
		tag, _ := p.Args["tag"].(string)
		return slices.Contains(asStrings(elementGetter(fn.x, fn.id)("tags")), tag)
	case "connected_to":
		return fn.connectedTo(p.Args)
	}
	return false
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

func (fn functions) crossesBoundary(args map[string]any) bool {
	c := fn.x.Crossing(fn.id)
	if b, _ := args["any"].(bool); b && c.Crosses() {
		return true
	}
	check := func(zones []string, tagsKey, trustKey string) bool {
		m, ok := zoneMatcher(fn.x, args, tagsKey, trustKey)
		return ok && slices.ContainsFunc(zones, m)
	}
	return check(c.Entered, "into_zone_tags", "into_trust") ||
		check(c.Left, "out_of_zone_tags", "out_of_trust") ||
		check(append(append(slices.Clone(c.Entered), c.Left...), c.Lines...), "zone_tags", "trust")
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

// exposures returns the flows through which the element is exposed to the
// zones described by args (or to public networks).
func (fn functions) exposures(args map[string]any) []string {
	m, ok := zoneMatcher(fn.x, args, "zone_tags", "trust")
	if !ok {
		m = func(string) bool { return false }
	}
	pub, _ := args["public_network"].(bool)
	if f := fn.x.Flow(fn.id); f != nil {
		src := fn.x.Component(f.Source)
		if (pub && f.PublicNetwork == model.True) || slices.ContainsFunc(fn.x.ZoneChain(src.Zone), m) {
			return []string{f.ID}
		}
		return nil
	}
	return fn.x.ExposedTo(fn.id, m, pub)
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
