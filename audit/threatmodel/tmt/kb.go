package tmt

import "strings"

// knowledgeBase holds what the embedded template says about the ids used in
// the diagram and the threats: element type names and shapes, threat
// property labels and threat categories.
type knowledgeBase struct {
	typeNames  map[string]string // element type id → name
	shapes     map[string]string // generic element id → Representation
	labels     map[string]string // threat property key → label
	categories map[string]string // threat category id → name
	threatCats map[string]string // threat type id → category id
}

func readKnowledgeBase(root *node) knowledgeBase {
	kb := knowledgeBase{
		typeNames:  map[string]string{},
		shapes:     map[string]string{},
		labels:     map[string]string{},
		categories: map[string]string{},
		threatCats: map[string]string{},
	}
	base := root.child("KnowledgeBase")
	for _, e := range base.child("GenericElements").children("ElementType") {
		id := e.get("Id")
		kb.typeNames[id] = e.get("Name")
		kb.shapes[id] = e.get("Representation")
	}
	for _, e := range base.child("StandardElements").children("ElementType") {
		if id := e.get("Id"); id != "" {
			kb.typeNames[id] = e.get("Name")
		}
	}
	for _, d := range base.child("ThreatMetaData").child("PropertiesMetaData").children("ThreatMetaDatum") {
		if name, label := d.get("Name"), d.get("Label"); name != "" && label != "" {
			kb.labels[name] = label
		}
	}
	for _, c := range base.child("ThreatCategories").elements() {
		kb.categories[c.get("Id")] = c.get("Name")
	}
	for _, t := range base.child("ThreatTypes").elements() {
		kb.threatCats[t.get("Id")] = t.get("Category")
	}
	return kb
}

// Element shapes, from the generic element a stencil derives from.
const (
	shapeProcess  = "process"
	shapeExternal = "external"
	shapeStore    = "store"
	shapeBox      = "box"
	shapeFlow     = "flow"
	shapeLine     = "line"
	shapeNote     = "annotation"
)

var genericShapes = map[string]string{
	"GE.P": shapeProcess, "GE.EI": shapeExternal, "GE.DS": shapeStore, "GE.TB.B": shapeBox,
	"GE.DF": shapeFlow, "GE.TB.L": shapeLine, "GE.A": shapeNote,
}

var representations = map[string]string{
	"ellipse": shapeProcess, "rectangle": shapeExternal, "parallellines": shapeStore,
	"borderboundary": shapeBox, "line": shapeFlow, "lineboundary": shapeLine, "annotation": shapeNote,
}

var stencils = map[string]string{
	"StencilEllipse": shapeProcess, "StencilRectangle": shapeExternal, "StencilParallelLines": shapeStore,
	"BorderBoundary": shapeBox, "Connector": shapeFlow, "LineBoundary": shapeLine,
}

// shape decides what an element is: from its generic type id (the core
// GE.* ids, or a custom template's generic element and its representation),
// falling back to the stencil class named by i:type.
func (kb knowledgeBase) shape(generic, stencil string) string {
	if s, ok := genericShapes[generic]; ok {
		return s
	}
	if rep, ok := kb.shapes[generic]; ok {
		if s, ok := representations[strings.ToLower(rep)]; ok {
			return s
		}
	}
	return stencils[stencil]
}

// label returns the display label of a threat property key.
func (kb knowledgeBase) label(key string) string {
	if l := kb.labels[key]; l != "" {
		return l
	}
	return key
}
