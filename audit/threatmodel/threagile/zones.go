package threagile

import (
	"strings"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
)

type rawBoundary struct {
	ID                    string   `yaml:"id"`
	Description           string   `yaml:"description"`
	Type                  string   `yaml:"type"`
	Tags                  []string `yaml:"tags"`
	TechnicalAssetsInside []string `yaml:"technical_assets_inside"`
	TrustBoundariesNested []string `yaml:"trust_boundaries_nested"`
}

type rawRuntime struct {
	ID                     string   `yaml:"id"`
	Description            string   `yaml:"description"`
	Tags                   []string `yaml:"tags"`
	TechnicalAssetsRunning []string `yaml:"technical_assets_running"`
}

type boundary struct {
	zone  int // index into m.Zones
	raw   rawBoundary
	entry entry
}

// readBoundaries turns trust boundaries into zones, nests them, places
// components in their innermost boundary and adds the internet zone.
func (b *builder) readBoundaries() error {
	var bs []*boundary
	byID := map[string]*boundary{}
	for _, e := range b.doc.sections[secBounds] {
		var r rawBoundary
		if err := decode(e, secBounds, &r); err != nil {
			return err
		}
		id, err := entryID(e, secBounds, r.ID)
		if err != nil {
			return err
		}
		if byID[id] != nil {
			return importer.Errorf(e.file, "line %d: trust boundary id %q is used twice", e.key.Line, id)
		}
		r.ID = id
		z := model.Zone{
			ID:          b.claim(id, "zone:"),
			Name:        e.title,
			Tags:        appendUnique(cleanTags(r.Tags), strings.ToLower(strings.TrimSpace(r.Type))),
			Description: strings.TrimSpace(r.Description),
			Ref:         e.ref(secBounds),
		}
		b.m.Zones = append(b.m.Zones, z)
		bd := &boundary{zone: len(b.m.Zones) - 1, raw: r, entry: e}
		bs = append(bs, bd)
		byID[id] = bd
		b.zones[id] = z.ID
	}
	parent := b.nest(bs, byID)
	b.placeAssets(bs, parent)
	for _, bd := range bs {
		b.m.Zones[bd.zone].Trust = b.trust(bd)
	}
	b.internetZone()
	return nil
}

// nest sets zone parents from trust_boundaries_nested and returns the parent
// of each boundary id. A second parent or a loop is reported and ignored.
func (b *builder) nest(bs []*boundary, byID map[string]*boundary) map[string]string {
	parent := map[string]string{}
	for _, bd := range bs {
		ref := bd.entry.ref(secBounds, "trust_boundaries_nested")
		for _, child := range nonEmpty(bd.raw.TrustBoundariesNested) {
			c := byID[child]
			switch {
			case c == nil:
				b.warn(ref, "nested trust boundary %q is not defined", child)
			case parent[child] != "":
				b.warn(ref, "trust boundary %q is already nested in %q; this nesting was ignored", child, parent[child])
			case isAncestor(parent, child, bd.raw.ID):
				b.warn(ref, "nesting %q in %q would make a loop; it was ignored", child, bd.raw.ID)
			default:
				parent[child] = bd.raw.ID
				b.m.Zones[c.zone].Parent = b.zones[bd.raw.ID]
			}
		}
	}
	return parent
}

// isAncestor reports whether a is b or one of b's ancestors.
func isAncestor(parent map[string]string, a, b string) bool {
	for i := 0; b != "" && i <= len(parent); i++ {
		if a == b {
			return true
		}
		b = parent[b]
	}
	return false
}

func depth(parent map[string]string, id string) int {
	d := 0
	for ; parent[id] != "" && d <= len(parent); d++ {
		id = parent[id]
	}
	return d
}

// placeAssets puts every component in the innermost boundary that lists it.
func (b *builder) placeAssets(bs []*boundary, parent map[string]string) {
	placed := map[string]string{} // asset id → boundary id
	for _, bd := range bs {
		ref := bd.entry.ref(secBounds, "technical_assets_inside")
		for _, id := range nonEmpty(bd.raw.TechnicalAssetsInside) {
			as := b.assets[id]
			if as == nil {
				b.warn(ref, "technical asset %q is not defined", id)
				continue
			}
			prev, ok := placed[id]
			if ok && prev != bd.raw.ID {
				b.warn(ref, "technical asset %q is also inside %q; the innermost boundary was kept", id, prev)
				if depth(parent, bd.raw.ID) <= depth(parent, prev) {
					continue
				}
			}
			placed[id] = bd.raw.ID
			b.m.Components[as.comp].Zone = b.zones[bd.raw.ID]
		}
	}
}

// trust rates a boundary: network boundaries are trusted unless an asset
// directly inside faces the internet; execution environments inherit.
func (b *builder) trust(bd *boundary) string {
	if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(bd.raw.Type)), "network") {
		return ""
	}
	for _, id := range bd.raw.TechnicalAssetsInside {
		if as := b.assets[strings.TrimSpace(id)]; as != nil && as.internet &&
			b.m.Components[as.comp].Zone == b.zones[bd.raw.ID] {
			return model.TrustSemiTrusted
		}
	}
	return model.TrustTrusted
}

// internetZone collects internet-facing assets outside every boundary.
func (b *builder) internetZone() {
	var members []int
	for _, as := range b.order {
		if as.internet && b.m.Components[as.comp].Zone == "" {
			members = append(members, as.comp)
		}
	}
	if len(members) == 0 {
		return
	}
	id := b.claim("internet", "zone:")
	b.m.Zones = append(b.m.Zones, model.Zone{
		ID:          id,
		Name:        "Internet",
		Trust:       model.TrustPublic,
		Description: "Technical assets with internet: true that no trust boundary contains.",
		Ref:         secAssets + ".*.internet",
	})
	for _, i := range members {
		b.m.Components[i].Zone = id
	}
}

// readRuntimes tags the components running on each shared runtime.
func (b *builder) readRuntimes() error {
	for _, e := range b.doc.sections[secRuntimes] {
		var r rawRuntime
		if err := decode(e, secRuntimes, &r); err != nil {
			return err
		}
		id, err := entryID(e, secRuntimes, r.ID)
		if err != nil {
			return err
		}
		b.runtimes[id] = true
		ref := e.ref(secRuntimes, "technical_assets_running")
		for _, a := range nonEmpty(r.TechnicalAssetsRunning) {
			as := b.assets[a]
			if as == nil {
				b.warn(ref, "technical asset %q is not defined", a)
				continue
			}
			c := &b.m.Components[as.comp]
			c.Tags = appendUnique(c.Tags, "shared-runtime:"+strings.ToLower(id))
		}
	}
	return nil
}
