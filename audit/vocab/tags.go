package vocab

import (
	"strings"

	"github.com/auditpack/auditpack/mappings"
)

// Known returns the built-in tags together with every tag the rules read,
// so that a project's own rules extend what counts as a near miss.
func Known(rules []mappings.Rule) Tags {
	return BuiltinTags().merge(RuleTags(rules))
}

// RuleTags returns the tags the rules read: the zone tags of the zone
// functions and of zone.tags fields, and the tags of has_tag and of tags
// fields for the kind of element each rule applies to.
func RuleTags(rules []mappings.Rule) Tags {
	var t Tags
	for _, r := range rules {
		kind := r.AppliesTo.Element
		for _, p := range []*mappings.Predicate{r.AppliesTo.Where, r.FailsIf} {
			if p != nil {
				t.predicate(*p, kind)
			}
		}
	}
	return t.merge(Tags{})
}

func (t *Tags) predicate(p mappings.Predicate, kind string) {
	for _, c := range append(append([]mappings.Predicate(nil), p.All...), p.Any...) {
		t.predicate(c, kind)
	}
	if p.Not != nil {
		t.predicate(*p.Not, kind)
	}
	if p.Field != "" {
		t.field(p.Field, kind, strs(p.Value))
	}
	for _, arg := range []string{"zone_tags", "into_zone_tags", "out_of_zone_tags"} {
		t.Zone = append(t.Zone, strs(p.Args[arg])...)
	}
	if p.Fn == "has_tag" {
		t.field("tags", kind, strs(p.Args["tag"]))
	}
}

// field records the tags a predicate on field compares with. A flow's
// source.tags and destination.tags are those of components.
func (t *Tags) field(field, kind string, values []string) {
	switch {
	case field == "zone.tags" || strings.HasSuffix(field, ".zone.tags"):
		t.Zone = append(t.Zone, values...)
	case field == "source.tags" || field == "destination.tags":
		t.Component = append(t.Component, values...)
	case field == "tags":
		t.of(kind, values)
	}
}

func (t *Tags) of(kind string, values []string) {
	switch kind {
	case "zone":
		t.Zone = append(t.Zone, values...)
	case "dataflow":
		t.Flow = append(t.Flow, values...)
	case mappings.ElementSystem:
	default:
		t.Component = append(t.Component, values...)
	}
}

// strs returns the strings of a rule value: one string or a list.
func strs(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, e := range t {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case []string:
		return t
	}
	return nil
}
