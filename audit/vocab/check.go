package vocab

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/overlay"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
	"github.com/auditpack/auditpack/mappings"
)

// Problem is a value outside its vocabulary, located by the JSON pointer of
// the value (or, for a model imported from a format without pointers, the
// place of its element).
type Problem struct {
	Pointer string
	Message string
}

// tagDistance is how far a tag may be from a known one to be a near miss.
// Tags are free, so only a near miss is worth a warning. A value of a closed
// vocabulary is an error anyway, and the suggestion only a hint: see
// [Hint].
const tagDistance = 1

// Model checks the closed vocabularies of a threat model (classifications,
// trust levels, capabilities and their parameters) and returns the values
// outside them as errors. Tags close to one of known but not in it are
// returned as warnings.
func Model(m *model.Model, known Tags) (errs, warns []Problem) {
	c := &checker{}
	for _, z := range m.Zones {
		c.trust(z.Trust, place(z.Ref, "/trust"))
		c.tags("zone", z.Tags, known.Zone, place(z.Ref, "/tags"))
	}
	for _, x := range m.Components {
		c.tags("component", x.Tags, known.Component, place(x.Ref, "/tags"))
	}
	for _, f := range m.Flows {
		c.tags("flow", f.Tags, known.Flow, place(f.Ref, "/tags"))
	}
	for _, d := range m.DataAssets {
		c.classifications(d.Classifications, place(d.Ref, "/classifications"))
	}
	for _, mi := range m.Mitigations {
		c.provisions(mi.Provides, place(mi.Ref, "/provides"))
	}
	return c.errs, c.warns
}

// Overlay checks a scope overlay as [Model] checks a model. Pointers start
// with /overlay, where the overlay sits in the project configuration.
func Overlay(o *overlay.Overlay, known Tags) (errs, warns []Problem) {
	if o == nil {
		return nil, nil
	}
	c := &checker{}
	for i, d := range o.AddDataAssets {
		c.classifications(d.Classifications, fmt.Sprintf("/overlay/add_data_assets/%d/classifications", i))
	}
	for i, mi := range o.AddMitigations {
		c.provisions(mi.Provides, fmt.Sprintf("/overlay/add_mitigations/%d/provides", i))
	}
	for i, e := range o.DataAssets {
		c.classifications(e.Classifications, fmt.Sprintf("/overlay/data_assets/%d/classifications", i))
	}
	for i, e := range o.Zones {
		c.trust(e.Trust, fmt.Sprintf("/overlay/zones/%d/trust", i))
		c.tags("zone", e.Tags, known.Zone, fmt.Sprintf("/overlay/zones/%d/tags", i))
	}
	for i, e := range o.Components {
		c.tags("component", e.Tags, known.Component, fmt.Sprintf("/overlay/components/%d/tags", i))
	}
	for i, e := range o.Flows {
		c.tags("flow", e.Tags, known.Flow, fmt.Sprintf("/overlay/flows/%d/tags", i))
	}
	for i, e := range o.Mitigations {
		c.provisions(e.Provides, fmt.Sprintf("/overlay/mitigations/%d/provides", i))
	}
	return c.errs, c.warns
}

// place locates a field of an element: below its JSON pointer when the
// element has one, else at the element itself.
func place(ref, field string) string {
	return sub(ref, strings.TrimPrefix(field, "/"))
}

type checker struct {
	errs, warns []Problem
}

func (c *checker) fail(ptr, format string, args ...any) {
	c.errs = append(c.errs, Problem{Pointer: ptr, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) classifications(list []string, ptr string) {
	for i, s := range list {
		if !slices.Contains(classifications, s) {
			c.fail(index(ptr, i), "unknown classification %q (known: %s)%s", s, strings.Join(classifications, ", "),
				Hint(s, classifications))
		}
	}
}

func (c *checker) trust(s, ptr string) {
	if s != "" && !slices.Contains(trustLevels, s) {
		c.fail(ptr, "unknown trust level %q (known: %s)%s", s, strings.Join(trustLevels, ", "), Hint(s, trustLevels))
	}
}

// tags warns about each tag that nothing reads but that is a near miss of
// one that something does.
func (c *checker) tags(kind string, list, known []string, ptr string) {
	for i, t := range list {
		if slices.Contains(known, t) {
			continue
		}
		if k, ok := Closest(t, known, tagDistance); ok {
			c.warns = append(c.warns, Problem{Pointer: index(ptr, i),
				Message: fmt.Sprintf("%s tag %q is not one auditpack reads; did you mean %q?", kind, t, k)})
		}
	}
}

// provisions checks capability names against the capability vocabulary,
// and each parameter's name and type against the capability's.
func (c *checker) provisions(list []model.Provision, ptr string) {
	for i, p := range list {
		at := index(ptr, i)
		capa, ok := mappings.CapabilityByID(p.Capability)
		if !ok {
			ids := capabilityIDs()
			c.fail(sub(at, "capability"), "unknown capability %q (known: %s)%s", p.Capability, strings.Join(ids, ", "),
				Hint(p.Capability, ids))
			continue
		}
		for _, n := range slices.Sorted(maps.Keys(p.Params)) {
			pat := sub(sub(at, "params"), escape(n))
			typ, ok := capa.Params[n]
			if !ok {
				names := slices.Sorted(maps.Keys(capa.Params))
				known := "none"
				if len(names) > 0 {
					known = strings.Join(names, ", ")
				}
				c.fail(pat, "unknown parameter %q of %s (known: %s)%s", n, capa.ID, known, Hint(n, names))
				continue
			}
			if !hasType(p.Params[n], typ) {
				c.fail(pat, "parameter %q of %s must be %s, not %s", n, capa.ID, article(typ), describe(p.Params[n]))
			}
		}
	}
}

func capabilityIDs() []string {
	caps := mappings.Capabilities()
	ids := make([]string, len(caps))
	for i, c := range caps {
		ids[i] = c.ID
	}
	return ids
}

// hasType reports whether v, as decoded from JSON or YAML, has the type a
// capability declares for a parameter.
func hasType(v any, typ string) bool {
	switch typ {
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "number":
		_, ok := mappings.Number(v)
		return ok
	case "list":
		_, ok := v.([]any)
		return ok
	}
	return false
}

func article(typ string) string {
	if typ == "list" {
		return "a list"
	}
	return "a " + typ
}

// describe names a decoded value's type, quoting short strings so that a
// YAML "yes" meant as a boolean is recognisable.
func describe(v any) string {
	if _, ok := mappings.Number(v); ok {
		return fmt.Sprintf("the number %v", v)
	}
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("the string %q", t)
	case bool:
		return fmt.Sprintf("the boolean %v", t)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("a %T", v)
}

// Suggest returns the known value s was probably meant to be, for the
// message refusing s. It allows about one edit in four characters (at least
// two), so that a word typed in full but wrongly ("encrypt-in-transport")
// still finds its match.
func Suggest(s string, known []string) (string, bool) {
	return Closest(s, known, max(2, utf8.RuneCountInString(s)/4))
}

// Hint is [Suggest] as the end of a message refusing s: "; did you mean
// "x"?", or "" when no known value is close.
func Hint(s string, known []string) string {
	if k, ok := Suggest(s, known); ok {
		return fmt.Sprintf("; did you mean %q?", k)
	}
	return ""
}

func index(ptr string, i int) string { return sub(ptr, strconv.Itoa(i)) }

// sub returns the pointer to child below ptr; a place that is not a JSON
// pointer has no children and is returned as it is.
func sub(ptr, child string) string {
	if !strings.HasPrefix(ptr, "/") {
		return ptr
	}
	return ptr + "/" + child
}

// pointerEscaper escapes a key for a JSON pointer (RFC 6901); it is built
// once rather than for every parameter checked.
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// escape escapes a key for use in a JSON pointer.
func escape(key string) string { return pointerEscaper.Replace(key) }

// Error turns problems found in the document name into a [*schemadoc.Error],
// each problem with its line looked up in lines, so that vocabulary errors
// read like the schema's own.
func Error(name string, lines schemadoc.Lines, problems []Problem) *schemadoc.Error {
	e := &schemadoc.Error{File: name}
	for _, p := range problems {
		e.Problems = append(e.Problems, schemadoc.Problem{Line: lines.Line(p.Pointer), Pointer: p.Pointer, Message: p.Message})
	}
	return e
}
