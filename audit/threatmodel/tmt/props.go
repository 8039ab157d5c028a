package tmt

import (
	"strconv"
	"strings"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
)

// Stable property keys the tool writes on every element.
const (
	keyOutOfScope = "71f3d9aa-b8ef-4e54-8126-607a1d903103"
	keyOOSReason  = "752473b6-52d4-4776-9a24-202153f7d579"
)

// prop is one element property: its key (b:Name, a word or a GUID), its
// display name and its value (the selected option for lists). def is true
// when the value is the one the tool fills in for a new element, which
// the user may never have looked at (see [prop.readDefault]).
type prop struct {
	key, display, value string
	header              bool
	def                 bool
}

func readProps(el *node) []prop {
	var out []prop
	for _, a := range el.child("Properties").children("anyType") {
		p := prop{key: a.get("Name"), display: a.get("DisplayName")}
		switch t := a.typ.Local; {
		case t == "HeaderDisplayAttribute":
			p.header = true
		case strings.HasSuffix(t, "ListDisplayAttribute"):
			opts := a.child("Value").children("string")
			i, err := strconv.Atoi(a.get("SelectedIndex"))
			if err == nil && i >= 0 && i < len(opts) {
				p.value = opts[i].text
			}
			p.def = readDefault(t, i, err == nil)
		case t == "BooleanDisplayAttribute":
			p.value = a.get("Value")
			p.def = !strings.EqualFold(strings.TrimSpace(p.value), "true")
		default:
			p.value = a.get("Value")
		}
		out = append(out, p)
	}
	return out
}

// readDefault reports whether a list property still holds the template's
// default. The template lists each configurable attribute's options with
// its default first, and the tool selects that first option on every new
// element, so SelectedIndex 0 cannot be told apart from "never changed":
// Encrypted "No", Provides Confidentiality "No" and Not Selected alike.
// A StaticListDisplayAttribute ("Predefined Static Attributes") is
// different: the stencil fixes its one value (an HTTPS flow provides
// confidentiality, an HTTP flow does not) and the user chose that stencil,
// so it is a stated fact.
func readDefault(typ string, index int, ok bool) bool {
	if typ == "StaticListDisplayAttribute" {
		return false
	}
	return !ok || index == 0
}

// element is the common part of every border or line.
type element struct {
	guid, name, typeID, typeName string
	props                        []prop
	outOfScope                   bool
	reason                       string
	ref                          string
}

func (b *builder) readElement(v *node, ref string) element {
	e := element{guid: strings.TrimSpace(v.get("Guid")), typeID: v.get("TypeId"), ref: ref}
	e.props = readProps(v)
	e.typeName = b.kb.typeNames[e.typeID]
	for _, p := range e.props {
		switch {
		case p.header:
			if e.typeName == "" {
				e.typeName = p.display // the first header is the stencil's label
			}
		case p.key == "" && p.display == "Name" && e.name == "":
			e.name = p.value
		case p.key == keyOutOfScope || strings.EqualFold(p.display, "Out Of Scope"):
			e.outOfScope = strings.EqualFold(strings.TrimSpace(p.value), "true")
		case p.key == keyOOSReason || strings.EqualFold(p.display, "Reason For Out Of Scope"):
			e.reason = p.value
		}
	}
	if e.name == "" {
		e.name = e.typeName
	}
	if e.guid == "" {
		e.guid = strings.TrimSpace(v.parent.get("Key"))
	}
	return e
}

// find returns the value of the first property whose key or display name
// matches one of names (case-insensitive).
func (e element) find(names ...string) (string, bool) {
	p, ok := e.prop(names...)
	return p.value, ok
}

func (e element) prop(names ...string) (prop, bool) {
	for _, n := range names {
		for _, p := range e.props {
			if !p.header && (strings.EqualFold(p.key, n) || strings.EqualFold(p.display, n)) {
				return p, true
			}
		}
	}
	return prop{}, false
}

// tri reads a yes/no selection. "Not Selected" and the like stay unknown,
// and so does any value the template filled in that the user may never
// have changed: a default is not a stated fact, whichever way it points.
func (e element) tri(names ...string) model.Tri {
	p, ok := e.prop(names...)
	if !ok || p.def {
		return model.Unknown
	}
	switch strings.ToLower(strings.TrimSpace(p.value)) {
	case "yes", "true", "multiple":
		return model.True
	case "no", "false", "none":
		return model.False
	}
	return model.Unknown
}

// rawProps keeps every property that was not mapped to a field, by display
// name, plus the element's type.
func (e element) rawProps(diagram string) map[string]string {
	out := map[string]string{}
	if e.typeID != "" {
		out["type_id"] = e.typeID
	}
	if e.typeName != "" {
		out["type_name"] = e.typeName
	}
	if diagram != "" {
		out["diagram"] = diagram
	}
	for _, p := range e.props {
		if p.header || p.display == "Name" || p.key == keyOutOfScope || p.key == keyOOSReason {
			continue
		}
		k := p.display
		if k == "" {
			k = p.key
		}
		if _, dup := out[k]; !dup && strings.TrimSpace(p.value) != "" {
			out[k] = strings.TrimSpace(p.value)
		}
	}
	return out
}

var typeWords = []struct{ word, typ string }{
	{"browser", "browser"},
	{"web application", "web-app"}, {"web server", "web-app"}, {"web api", "web-service"},
	{"sql", "database"}, {"database", "database"}, {"cosmos", "database"}, {"documentdb", "database"},
	{"cache", "cache"}, {"key vault", "vault"}, {"storage", "file-storage"}, {"file system", "file-storage"},
}

// componentType normalises a stencil's type name; generic stencils say
// nothing and give "".
func componentType(typeID, typeName string) string {
	if strings.HasPrefix(typeID, "GE.") || typeName == "" {
		return ""
	}
	low := strings.ToLower(typeName)
	for _, w := range typeWords {
		if strings.Contains(low, w.word) {
			return w.typ
		}
	}
	return importer.Slug(typeName)
}

var protocols = map[string]string{
	"https": "https", "http": "http", "ipsec": "ipsec", "smb": "smb", "rpc or dcom": "rpc",
	"named pipe": "named-pipe", "udp": "udp", "alpc": "alpc", "binary": "binary", "ioctl interface": "ioctl",
}
