package otm

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
)

// Trust-rating thresholds (OTM rates zones 0–100, higher is more trusted).
const (
	trustedFrom     = 80
	semiTrustedFrom = 50
)

// converterRating is the trust rating StartLeft writes on every zone it
// converts, whatever the source said (its TMT, Visio, Lucidchart and IaC
// converters alike); other OTM producers fed by it pass the 10 on.
const converterRating = 10

// trustOf maps a zone to a trust level. A zone named or typed "internet" is
// public whatever its rating (StartLeft rates the Internet 10). Otherwise
// the rating decides: ≥ 80 trusted, ≥ 50 semi-trusted, > 0 untrusted, 0
// public. "Public Cloud" and similar names say where a zone is hosted, not
// who can reach it, so they are not read as public. With constant set the
// rating is a producer's filler (see [constantRating]) and says nothing.
func trustOf(name, typ string, risk map[string]any, constant bool) (string, bool) {
	if strings.EqualFold(importer.Clean(name), "internet") || strings.EqualFold(importer.Clean(typ), "internet") {
		return model.TrustPublic, true
	}
	if constant {
		return "", true
	}
	r, ok := importer.Number(risk["trustRating"])
	switch {
	case !ok:
		return "", risk["trustRating"] == nil
	case r < 0 || r > 100:
		return "", false
	case r >= trustedFrom:
		return model.TrustTrusted, true
	case r >= semiTrustedFrom:
		return model.TrustSemiTrusted, true
	case r > 0:
		return model.TrustUntrusted, true
	}
	return model.TrustPublic, true
}

// constantRating reports whether the zones' ratings distinguish nothing:
// every zone carries the same rating and there are at least two zones, or
// the one rating is StartLeft's constant 10. A rating every zone shares is
// what a converter fills in when its source has none; read as trust it
// would, for instance, make a private cloud "untrusted". The rating, the
// number of zones and whether it is constant are returned.
func constantRating(list []any) (float64, int, bool) {
	var first float64
	n := 0
	for _, v := range list {
		r, ok := importer.Number(obj(obj(v)["risk"])["trustRating"])
		if !ok || (n > 0 && r != first) {
			return 0, 0, false
		}
		first = r
		n++
	}
	return first, n, n >= 2 || (n == 1 && first == converterRating)
}

func (d *decoder) trustZones(list []any) {
	rating, n, constant := constantRating(list)
	if constant {
		d.warn("/trustZones", "all %d trust zones are rated %v, the constant a converter writes when the source states no trust; "+
			"their trust is left unknown (a zone named Internet stays public)", n, rating)
	}
	type pending struct {
		idx    int
		ref    string
		parent map[string]any
	}
	var parents []pending
	for i, v := range list {
		ref := fmt.Sprintf("/trustZones/%d", i)
		z := obj(v)
		id, ok := d.register(str(z["id"]), "trust zone", ref, d.zones)
		if !ok {
			continue
		}
		trust, ok := trustOf(str(z["name"]), str(z["type"]), obj(z["risk"]), constant)
		if !ok {
			d.warn(ref+"/risk/trustRating", "trust rating %v is not a number from 0 to 100; trust left unknown", obj(z["risk"])["trustRating"])
		}
		d.m.Zones = append(d.m.Zones, model.Zone{
			ID: id, Name: importer.Clean(str(z["name"])), Trust: trust, Description: str(z["description"]), Ref: ref,
		})
		if p := obj(z["parent"]); p != nil {
			parents = append(parents, pending{len(d.m.Zones) - 1, ref + "/parent", p})
		}
	}
	// Parents are resolved once every zone is known: they may be listed later.
	parentRef := map[string]string{}
	for _, p := range parents {
		z := &d.m.Zones[p.idx]
		native := str(p.parent["trustZone"])
		parent, ok := d.zones[native]
		switch {
		case native == "":
			d.warn(p.ref, "trust zone %q: only a trustZone parent is supported; parent ignored", z.ID)
		case !ok:
			d.warn(p.ref, "trust zone %q: parent trust zone %q does not exist; parent ignored", z.ID, native)
		default:
			z.Parent, parentRef[z.ID] = parent, p.ref
		}
	}
	d.breakZoneCycles(parentRef)
}

// breakZoneCycles walks each parent chain once; a parent that would close a
// cycle is dropped with a warning.
func (d *decoder) breakZoneCycles(parentRef map[string]string) {
	index := map[string]int{}
	for i, z := range d.m.Zones {
		index[z.ID] = i
	}
	const fresh, walking, done = 0, 1, 2
	state := make([]int, len(d.m.Zones))
	for i := range d.m.Zones {
		var path []int
		for j := i; state[j] == fresh; {
			state[j] = walking
			path = append(path, j)
			next, ok := index[d.m.Zones[j].Parent]
			if !ok {
				break
			}
			if state[next] == walking {
				z := &d.m.Zones[j]
				d.warn(parentRef[z.ID], "trust zone %q: parent %q would make zones contain each other; parent ignored", z.ID, z.Parent)
				z.Parent = ""
				break
			}
			j = next
		}
		for _, j := range path {
			state[j] = done
		}
	}
}

// dataAssets imports assets. Classification is derived from the
// confidentiality rating only at its clear ends: ≥ 75 confidential, 0
// public; anything between is left to the scope overlay.
func (d *decoder) dataAssets(list []any) {
	for i, v := range list {
		ref := fmt.Sprintf("/assets/%d", i)
		a := obj(v)
		id, ok := d.register(str(a["id"]), "asset", ref, d.assets)
		if !ok {
			continue
		}
		da := model.DataAsset{ID: id, Name: importer.Clean(str(a["name"])), Description: str(a["description"]), Ref: ref}
		if c, ok := importer.Number(obj(a["risk"])["confidentiality"]); ok {
			switch {
			case c >= 75:
				da.Classifications = []string{"confidential"}
			case c == 0:
				da.Classifications = []string{"public"}
			}
		}
		d.m.DataAssets = append(d.m.DataAssets, da)
	}
}

func (d *decoder) components(list []any) {
	parentOf := map[string]map[string]any{} // model id → parent mapping
	refs := map[string]string{}
	for i, v := range list {
		ref := fmt.Sprintf("/components/%d", i)
		c := obj(v)
		id, ok := d.register(str(c["id"]), "component", ref, d.comps)
		if !ok {
			continue
		}
		typ := str(c["type"])
		comp := model.Component{
			ID: id, Name: importer.Clean(str(c["name"])), Kind: kindOf(typ), Type: typ,
			Description: str(c["description"]), Tags: stringList(c["tags"]), Ref: ref,
		}
		comp.Props = props(c)
		comp.OutOfScope, comp.OutOfScopeReason = outOfScope(comp.Props)
		assets := obj(c["assets"])
		comp.Processes = d.assetRefs(assets["processed"], ref+"/assets/processed")
		comp.Stores = d.assetRefs(assets["stored"], ref+"/assets/stored")
		d.m.Components = append(d.m.Components, comp)
		parentOf[id], refs[id] = obj(c["parent"]), ref+"/parent"
	}
	d.placeComponents(parentOf, refs)
}

// placeComponents gives each component the zone of its parent trust zone,
// following parent.component links up to the first component whose parent
// is a trust zone. Each link is followed once: resolved chains are remembered.
func (d *decoder) placeComponents(parentOf map[string]map[string]any, refs map[string]string) {
	zoneOf := map[string]string{}
	for i := range d.m.Components {
		c := &d.m.Components[i]
		if next, ok := d.comps[str(parentOf[c.ID]["component"])]; ok {
			if c.Props == nil {
				c.Props = map[string]string{}
			}
			c.Props["parent_component"] = next
		}
		var path []string
		onPath := map[string]bool{}
		zone, id := "", c.ID
		for {
			if z, ok := zoneOf[id]; ok {
				zone = z
				break
			}
			if onPath[id] {
				d.warn(refs[c.ID], "component %q: parent components form a cycle; zone left empty", c.ID)
				break
			}
			onPath[id] = true
			path = append(path, id)
			p := parentOf[id]
			if z := str(p["trustZone"]); z != "" {
				if zone = d.zones[z]; zone == "" {
					d.warn(refs[id], "component %q: trust zone %q does not exist; zone left empty", id, z)
				}
				break
			}
			pc := str(p["component"])
			next, ok := d.comps[pc]
			if !ok {
				if pc == "" {
					d.warn(refs[id], "component %q has no trustZone or component parent; zone left empty", id)
				} else {
					d.warn(refs[id], "component %q: parent component %q does not exist; zone left empty", id, pc)
				}
				break
			}
			id = next
		}
		for _, id := range path {
			zoneOf[id] = zone
		}
		c.Zone = zone
	}
}

func (d *decoder) assetRefs(v any, ref string) []string {
	var out []string
	for i, a := range arr(v) {
		native := str(a)
		if native == "" {
			continue
		}
		id, ok := d.assets[native]
		if !ok {
			d.warn(fmt.Sprintf("%s/%d", ref, i), "asset %q does not exist; reference ignored", native)
			continue
		}
		out = append(out, id)
	}
	return out
}

// dataflows imports flows between components and returns each entry's
// model id ("" when it could not be imported), by position.
func (d *decoder) dataflows(list []any) []string {
	ids := make([]string, len(list))
	flows := map[string]string{}
	for i, v := range list {
		ref := fmt.Sprintf("/dataflows/%d", i)
		f := obj(v)
		src, dst := str(f["source"]), str(f["destination"])
		s, ok1 := d.comps[src]
		t, ok2 := d.comps[dst]
		if !ok1 || !ok2 {
			d.warn(ref, "dataflow %q: source %q or destination %q is not a component; not imported as a flow", str(f["id"]), src, dst)
			continue
		}
		id, ok := d.register(str(f["id"]), "dataflow", ref, flows)
		if !ok {
			continue
		}
		fl := model.Flow{
			ID: id, Name: importer.Clean(str(f["name"])), Source: s, Target: t,
			Bidirectional: importer.Flag(f["bidirectional"]) == model.True,
			Description:   str(f["description"]), Tags: stringList(f["tags"]),
			Data: d.assetRefs(f["assets"], ref+"/assets"), Ref: ref,
		}
		fl.Props = props(f)
		fl.OutOfScope, fl.OutOfScopeReason = outOfScope(fl.Props)
		d.m.Flows = append(d.m.Flows, fl)
		ids[i] = id
	}
	return ids
}

// props flattens attributes (and "properties", which some exporters write
// instead) into strings. Empty values, which StartLeft writes as {}, are dropped.
func props(m map[string]any) map[string]string {
	out := map[string]string{}
	for _, key := range []string{"properties", "attributes"} {
		for k, v := range obj(m[key]) {
			switch t := v.(type) {
			case nil:
			case string:
				if s := strings.TrimSpace(t); s != "" {
					out[k] = s
				}
			case bool:
				out[k] = fmt.Sprint(t)
			case json.Number:
				out[k] = t.String()
			default:
				if b, err := json.Marshal(t); err == nil && string(b) != "{}" && string(b) != "[]" {
					out[k] = string(b)
				}
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// outOfScope reads the "Out Of Scope" attribute StartLeft copies from TMT.
func outOfScope(p map[string]string) (bool, string) {
	if importer.Flag(p["Out Of Scope"]) != model.True {
		return false, ""
	}
	return true, p["Reason For Out Of Scope"]
}

func stringList(v any) []string {
	var out []string
	for _, s := range arr(v) {
		if s := str(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
