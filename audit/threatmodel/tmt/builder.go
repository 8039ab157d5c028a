package tmt

import (
	"fmt"
	"strings"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
)

// builder maps the parsed document to a model, one diagram at a time.
type builder struct {
	root *node
	kb   knowledgeBase
	m    *model.Model
	ids  importer.IDs
	// warnings adds m's warnings, a bounded number of each kind.
	warnings importer.Warner

	comps map[string]int // element GUID → index into m.Components
	flows map[string]int // flow GUID → index into m.Flows
	zones map[string]int // boundary GUID → index into m.Zones
}

// diagram collects one drawing surface's geometry for zone placement and
// boundary crossings.
type diagram struct {
	name  string
	boxes []box
	parts []placed // components with their centre
	lines []line   // line boundaries
	flows []line   // data flows
}

type box struct {
	zone int
	r    importer.Rect
}

type placed struct {
	comp   int
	centre importer.Point
	ok     bool
}

type line struct {
	index int // zone index (line boundaries) or flow index (data flows)
	pts   []importer.Point
}

func newBuilder(root *node) *builder {
	meta := root.child("MetaInformation")
	m := &model.Model{
		Title:       meta.get("ThreatModelName"),
		Owner:       meta.get("Owner"),
		Description: description(meta),
	}
	return &builder{
		root:  root,
		kb:    readKnowledgeBase(root),
		m:     m,
		comps: map[string]int{},
		flows: map[string]int{},
		zones: map[string]int{},
	}
}

func description(meta *node) string {
	var parts []string
	for _, f := range []struct{ label, key string }{
		{"", "HighLevelSystemDescription"}, {"Assumptions: ", "Assumptions"},
		{"External dependencies: ", "ExternalDependencies"}, {"Reviewer: ", "Reviewer"}, {"Contributors: ", "Contributors"},
	} {
		if v := meta.get(f.key); v != "" {
			parts = append(parts, f.label+v)
		}
	}
	return strings.Join(parts, "\n")
}

func (b *builder) build() error {
	list := b.root.child("DrawingSurfaceList")
	if list == nil {
		return fmt.Errorf("/ThreatModel: no DrawingSurfaceList element")
	}
	for _, s := range list.children("DrawingSurfaceModel") {
		d := &diagram{name: s.get("Header")}
		if d.name == "" {
			d.name, _ = (element{props: readProps(s)}).find("Name")
		}
		for _, kv := range s.child("Borders").elements() {
			b.readItem(d, kv)
		}
		for _, kv := range s.child("Lines").elements() {
			b.readItem(d, kv)
		}
		if err := b.place(d); err != nil {
			return fmt.Errorf("%s: %w", s.path(), err)
		}
	}
	if b.m.Title == "" && len(b.m.Zones)+len(b.m.Components) > 0 {
		b.m.Title = "Threat model"
	}
	b.readThreats()
	if n := len(b.root.child("Notes").children("Note")); n > 0 {
		b.warn(b.root.child("Notes").path(), "%d notes have no counterpart in the common model and were not imported", n)
	}
	return nil
}

// claim reserves an id; a GUID used twice is reported and the second
// element skipped.
func (b *builder) claim(id, ref string) bool {
	if id == "" {
		b.warn(ref, "element has no GUID and was not imported")
		return false
	}
	if !b.ids.Take(id) {
		b.warn(ref, "GUID %s is used by another element; this one was not imported", id)
		return false
	}
	return true
}

func (b *builder) warn(ref, format string, args ...any) {
	b.warnings.Warn(b.m, ref, format, args...)
}

// readItem maps one a:KeyValueOfguidanyType of Borders or Lines.
func (b *builder) readItem(d *diagram, kv *node) {
	v := kv.child("Value")
	if v == nil {
		b.warn(kv.path(), "dictionary entry without a value was skipped")
		return
	}
	ref := kv.path()
	shape := b.kb.shape(strings.TrimSpace(v.get("GenericTypeId")), v.typ.Local)
	switch shape {
	case shapeNote:
		return // free-text annotations carry no model facts
	case shapeProcess, shapeExternal, shapeStore:
		b.addComponent(d, v, shape, ref)
	case shapeBox:
		b.addBox(d, v, ref)
	case shapeFlow:
		b.addFlow(d, v, ref)
	case shapeLine:
		b.addLine(d, v, ref)
	default:
		b.warn(ref, "element of type %q (%s) is not a process, store, interactor, flow or boundary; it was not imported",
			v.get("GenericTypeId"), v.typ.Local)
	}
}

var shapeKinds = map[string]string{
	shapeProcess: model.KindProcess, shapeExternal: model.KindExternalEntity, shapeStore: model.KindDatastore,
}

func (b *builder) addComponent(d *diagram, v *node, shape, ref string) {
	e := b.readElement(v, ref)
	if !b.claim(e.guid, ref) {
		return
	}
	c := model.Component{
		ID:               e.guid,
		Name:             e.name,
		Kind:             shapeKinds[shape],
		Type:             componentType(e.typeID, e.typeName),
		OutOfScope:       e.outOfScope,
		OutOfScopeReason: reasonIf(e),
		Props:            e.rawProps(d.name),
		Ref:              ref,
	}
	c.Authenticates = e.tri("authenticatesItself", "implementsAuthenticationScheme")
	if shape == shapeStore {
		c.EncryptedAtRest = e.tri("Encrypted")
		c.StoresCredentials = e.tri("storesCredentials", "Creds")
		c.StoresLogs = e.tri("storesLogData")
	}
	if t, ok := e.find("type"); ok && strings.EqualFold(t, "Human") {
		c.Tags = []string{"human"}
	}
	b.m.Components = append(b.m.Components, c)
	i := len(b.m.Components) - 1
	b.comps[e.guid] = i
	r, ok := readRect(v)
	d.parts = append(d.parts, placed{comp: i, centre: r.Centre(), ok: ok})
}

func reasonIf(e element) string {
	if !e.outOfScope {
		return ""
	}
	return strings.TrimSpace(e.reason)
}

func (b *builder) addBox(d *diagram, v *node, ref string) {
	e := b.readElement(v, ref)
	if !b.claim(e.guid, ref) {
		return
	}
	b.m.Zones = append(b.m.Zones, b.zone(e, ref))
	i := len(b.m.Zones) - 1
	b.zones[e.guid] = i
	r, ok := readRect(v)
	if !ok {
		b.warn(ref, "boundary %q has no usable geometry; nothing is placed inside it", e.name)
		return
	}
	d.boxes = append(d.boxes, box{zone: i, r: r})
}

func (b *builder) zone(e element, ref string) model.Zone {
	z := model.Zone{ID: e.guid, Name: e.name, Description: e.typeName, Ref: ref}
	if t := componentType(e.typeID, e.typeName); t != "" {
		z.Tags = []string{t}
	}
	return z
}

func (b *builder) addLine(d *diagram, v *node, ref string) {
	e := b.readElement(v, ref)
	if !b.claim(e.guid, ref) {
		return
	}
	b.m.Zones = append(b.m.Zones, b.zone(e, ref))
	i := len(b.m.Zones) - 1
	b.zones[e.guid] = i
	if pts, ok := readPolyline(v); ok {
		d.lines = append(d.lines, line{index: i, pts: pts})
	} else {
		b.warn(ref, "line boundary %q has no usable geometry; no flow is counted as crossing it", e.name)
	}
}

func (b *builder) addFlow(d *diagram, v *node, ref string) {
	e := b.readElement(v, ref)
	src, okS := b.comps[strings.TrimSpace(v.get("SourceGuid"))]
	dst, okT := b.comps[strings.TrimSpace(v.get("TargetGuid"))]
	if !okS || !okT {
		b.warn(ref, "data flow %q is not connected to an element at both ends; it was not imported", e.name)
		return
	}
	if !b.claim(e.guid, ref) {
		return
	}
	f := model.Flow{
		ID:               e.guid,
		Name:             e.name,
		Source:           b.m.Components[src].ID,
		Target:           b.m.Components[dst].ID,
		Protocol:         protocols[strings.ToLower(e.typeName)],
		Encrypted:        e.tri("providesConfidentiality"),
		Authenticated:    e.tri("authenticatesSource", "has authentication"),
		OutOfScope:       e.outOfScope,
		OutOfScopeReason: reasonIf(e),
		Props:            e.rawProps(d.name),
		Ref:              ref,
	}
	if contains(b.m.Components[src].Tags, "human") {
		f.Interactive = model.True
	}
	b.m.Flows = append(b.m.Flows, f)
	i := len(b.m.Flows) - 1
	b.flows[e.guid] = i
	if pts, ok := readPolyline(v); ok {
		d.flows = append(d.flows, line{index: i, pts: pts})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
