package threatdragon

import (
	"fmt"
	"strings"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
)

// Cell kinds, named after the v2 shapes.
const (
	kindActor   = "actor"
	kindProcess = "process"
	kindStore   = "store"
	kindFlow    = "flow"
	kindBox     = "box"
	kindCurve   = "curve"
	kindText    = "text"
)

var shapeKinds = map[string]string{
	"actor": kindActor, "process": kindProcess, "store": kindStore, "flow": kindFlow,
	"trust-boundary-box": kindBox, "trust-boundary-curve": kindCurve, "td-text-block": kindText,
	"tm.Actor": kindActor, "tm.Process": kindProcess, "tm.Store": kindStore, "tm.Flow": kindFlow,
	"tm.BoundaryBox": kindBox, "tm.Boundary": kindCurve, "tm.Text": kindText,
}

var componentKinds = map[string]string{
	kindActor: model.KindExternalEntity, kindProcess: model.KindProcess, kindStore: model.KindDatastore,
}

// cell is one diagram cell with what the importer learned about it.
type cell struct {
	idx    int
	ref    string
	raw    map[string]any
	data   map[string]any
	kind   string
	native string
	id     string // id in the model; empty when the cell was not imported
	rect   importer.Rect
	// hasRect is false for edges and for nodes without usable geometry.
	hasRect bool
}

// prop reads a semantic property: v2 keeps them in cell.data, v1 on the
// cell itself.
func (c *cell) prop(key string) any {
	if v, ok := c.data[key]; ok {
		return v
	}
	return c.raw[key]
}

func (c *cell) name() string {
	if n := importer.Clean(str(c.prop("name"))); n != "" {
		return n
	}
	attrs := obj(c.raw["attrs"])
	for _, k := range []string{"text", "label"} {
		if n := importer.Clean(str(obj(attrs[k])["text"])); n != "" {
			return n
		}
	}
	if labels := arr(c.raw["labels"]); len(labels) > 0 {
		la := obj(obj(labels[0])["attrs"])
		for _, k := range []string{"labelText", "text"} {
			if n := importer.Clean(str(obj(la[k])["text"])); n != "" {
				return n
			}
		}
	}
	return ""
}

func kindOf(raw, data map[string]any) string {
	shape := strings.ReplaceAll(str(raw["shape"]), "broundary", "boundary")
	if k, ok := shapeKinds[shape]; ok {
		return k
	}
	if shape != "" {
		return ""
	}
	typ := str(data["type"])
	if typ == "" {
		typ = str(raw["type"])
	}
	return shapeKinds[typ]
}

// diagram imports the cells of one diagram. Cells refer to each other only
// within their diagram.
func (d *decoder) diagram(di int, dg map[string]any) {
	base := cellsPointer(di, dg)
	title := importer.Clean(str(dg["title"]))
	byNative := map[string]*cell{}
	var cells []*cell
	for ci, v := range cellsOf(dg) {
		c := &cell{idx: ci, ref: fmt.Sprintf("%s/%d", base, ci), raw: obj(v)}
		if c.raw == nil {
			d.warn(c.ref, "cell is not an object; skipped")
			continue
		}
		c.data = obj(c.raw["data"])
		c.kind = kindOf(c.raw, c.data)
		c.native = str(c.raw["id"])
		switch {
		case c.kind == kindText:
			continue // free text on the canvas, not a model element
		case c.kind == "":
			d.warn(c.ref, "cell %q has unknown shape %q; skipped", c.native, str(c.raw["shape"])+str(c.raw["type"]))
			continue
		case c.native != "" && byNative[c.native] != nil:
			d.warn(c.ref, "cell id %q is used twice in diagram %d; this cell is skipped", c.native, di)
			continue
		}
		if c.native != "" {
			byNative[c.native] = c
		}
		c.rect, c.hasRect = rectOf(c.raw)
		c.id = d.cellID(di, c)
		cells = append(cells, c)
	}
	for _, c := range cells {
		switch c.kind {
		case kindBox, kindCurve:
			d.zone(c)
		case kindActor, kindProcess, kindStore:
			d.component(c, title)
		}
	}
	d.placeComponents(cells)
	curves := curvesOf(cells, byNative)
	for _, c := range cells {
		if c.kind == kindFlow {
			d.flow(c, title, curves, byNative)
		}
	}
	for _, c := range cells {
		var targets []string
		if c.id != "" {
			targets = []string{c.id}
		}
		d.threats(c, targets)
	}
}

func (d *decoder) cellID(di int, c *cell) string {
	id := c.native
	switch {
	case id == "":
		id = fmt.Sprintf("d%d:cell-%d", di, c.idx)
	case d.shared[id]:
		id = fmt.Sprintf("d%d:%s", di, id)
	}
	return d.ids.Claim(id)
}

func (d *decoder) zone(c *cell) {
	z := model.Zone{ID: c.id, Name: c.name(), Description: strings.TrimSpace(str(c.prop("description"))), Ref: c.ref}
	if c.kind == kindCurve {
		z.Tags = []string{"line-boundary"}
	}
	d.m.Zones = append(d.m.Zones, z)
}

func (d *decoder) component(c *cell, diagram string) {
	comp := model.Component{
		ID: c.id, Name: c.name(), Kind: componentKinds[c.kind],
		Description: strings.TrimSpace(str(c.prop("description"))),
		Ref:         c.ref,
	}
	comp.OutOfScope, comp.OutOfScopeReason = outOfScope(c)
	props := map[string]string{}
	if diagram != "" {
		props["diagram"] = diagram
	}
	switch c.kind {
	case kindActor:
		comp.Authenticates = importer.Checkbox(c.prop("providesAuthentication"))
	case kindProcess:
		if importer.Flag(c.prop("handlesCardPayment")) == model.True {
			comp.Tags = append(comp.Tags, "handles-card-payment")
			d.card = append(d.card, c.id)
			if d.cardRef == "" {
				d.cardRef = c.ref
			}
		}
		if importer.Flag(c.prop("isWebApplication")) == model.True {
			comp.Tags = append(comp.Tags, "web-application")
			comp.Type = "web-app"
		}
		keepProps(c, props, "privilegeLevel", "handlesGoodsOrServices")
	case kindStore:
		// Threat Dragon writes false for every box nobody ticked, so only
		// a ticked box states a fact (see the package documentation).
		comp.EncryptedAtRest = importer.Checkbox(c.prop("isEncrypted"))
		comp.StoresCredentials = importer.Checkbox(c.prop("storesCredentials"))
		comp.StoresLogs = importer.Checkbox(c.prop("isALog"))
		if comp.StoresCredentials == model.True {
			d.creds = append(d.creds, c.id)
			if d.credsRef == "" {
				d.credsRef = c.ref
			}
		}
		keepProps(c, props, "isSigned", "storesInventory")
	}
	if len(props) > 0 {
		comp.Props = props
	}
	d.m.Components = append(d.m.Components, comp)
}

// keepProps copies native properties the model has no field for. Flags are
// kept only when set: Threat Dragon writes false for every unticked box.
func keepProps(c *cell, props map[string]string, keys ...string) {
	for _, k := range keys {
		switch v := c.prop(k).(type) {
		case bool:
			if v {
				props[k] = "true"
			}
		default:
			if s := importer.Clean(str(v)); s != "" {
				props[k] = s
			}
		}
	}
}

func outOfScope(c *cell) (bool, string) {
	if importer.Flag(c.prop("outOfScope")) != model.True {
		return false, ""
	}
	return true, strings.TrimSpace(str(c.prop("reasonOutOfScope")))
}

// flow imports an edge whose two ends are attached to components of the
// same diagram. Edges with a free end cannot be flows; their threats are
// still imported, without a target.
func (d *decoder) flow(c *cell, diagram string, curves []curve, byNative map[string]*cell) {
	var ends [2]*cell
	for i, side := range []string{"source", "target"} {
		end := obj(c.raw[side])
		ref := str(end["cell"])
		if ref == "" {
			ref = str(end["id"])
		}
		if ref == "" {
			d.warn(c.ref+"/"+side, "flow %q (%s) has a free %s end not attached to an element; not imported as a flow", c.native, c.name(), side)
			c.id = ""
			return
		}
		ends[i] = byNative[ref]
		if ends[i] == nil || componentKinds[ends[i].kind] == "" {
			d.warn(c.ref+"/"+side, "flow %q (%s): %s %q is not an actor, process or store of this diagram; not imported as a flow", c.native, c.name(), side, ref)
			c.id = ""
			return
		}
	}
	f := model.Flow{
		ID: c.id, Name: c.name(), Source: ends[0].id, Target: ends[1].id,
		Bidirectional: importer.Flag(c.prop("isBidirectional")) == model.True,
		Protocol:      importer.Clean(str(c.prop("protocol"))),
		Description:   strings.TrimSpace(str(c.prop("description"))),
		Encrypted:     importer.Checkbox(c.prop("isEncrypted")),
		PublicNetwork: importer.Checkbox(c.prop("isPublicNetwork")),
		Ref:           c.ref,
	}
	if f.Encrypted == model.Unknown && importer.SuggestsTLS(f.Protocol) {
		d.warnUnticked(c, f, "isEncrypted")
	}
	f.OutOfScope, f.OutOfScopeReason = outOfScope(c)
	if diagram != "" {
		f.Props = map[string]string{"diagram": diagram}
	}
	f.Boundaries = d.crossedLines(c, ends, curves, byNative)
	d.m.Flows = append(d.m.Flows, f)
}

// warnUnticked reports a flow whose protocol suggests encryption while its
// checkbox key is not ticked. The protocol label is only a hint, so the fact
// stays unknown; the warning keeps the disagreement from passing silently.
func (d *decoder) warnUnticked(c *cell, f model.Flow, key string) {
	ref := c.ref + "/" + key
	if _, ok := c.data[key]; ok {
		ref = c.ref + "/data/" + key
	}
	v, ok := c.prop(key).(bool)
	switch {
	case ok && !v:
		d.warn(ref, "flow %q (%s): %s false is the editor's default; recorded as unknown although protocol %q suggests encryption",
			c.native, f.Name, key, f.Protocol)
	default:
		d.warn(ref, "flow %q (%s): %s is not ticked; recorded as unknown although protocol %q suggests encryption",
			c.native, f.Name, key, f.Protocol)
	}
}
