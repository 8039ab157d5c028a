package mappings

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Procedure says, in sentences, what auditpack tests when it runs the rule:
// which elements it selects, which capability it looks for and where, which
// facts the model must show, and which evidence must back the result. It is
// built from the rule's definition alone, so it can never drift from what
// the rule does.
func (r Rule) Procedure() []string {
	var out []string
	if r.EffectiveFrom != "" {
		out = append(out, fmt.Sprintf("Before %s the requirement is not yet in effect and the rule reports not applicable.", r.EffectiveFrom))
	}
	if r.NotApplicableIf != nil {
		out = append(out, "Reports the requirement not applicable when the model shows "+Describe(*r.NotApplicableIf)+".")
	}
	out = append(out, r.selection())
	if !r.Requires.Empty() {
		each := "For each, looks"
		if r.AppliesTo.Element == ElementSystem {
			each = "Looks"
		}
		out = append(out, each+" for an implemented or inherited mitigation providing "+r.Requires.describe(r.AppliesTo.Element)+".")
	}
	if r.Expects != nil {
		out = append(out, "Requires the model to show that "+Describe(*r.Expects)+"; where it leaves the fact unstated, the element is left to an auditor.")
	}
	if r.FailsIf != nil {
		out = append(out, "Fails an element when "+Describe(*r.FailsIf)+".")
	}
	for _, e := range r.Evidence {
		out = append(out, e.describe())
	}
	if len(r.ManualSteps) > 0 {
		out = append(out, fmt.Sprintf("Keeps a result manual until an evidence item attests %s: %s",
			plural(len(r.ManualSteps), "manual step"), strings.Join(r.ManualSteps, " ")))
	}
	switch r.IfNoTargets {
	case NoTargetsNotApplicable:
		out = append(out, "When nothing in the model is in scope, reports the rule not applicable.")
	case NoTargetsNotSatisfied:
		out = append(out, "When nothing in the model is in scope, fails the rule as a gap in the model.")
	default:
		if r.AppliesTo.Element != ElementSystem {
			out = append(out, "When nothing in the model is in scope, asks an auditor to confirm the scope unless an attestation confirms it.")
		}
	}
	return out
}

// Remaining says what an auditor must still do for the rest of the
// requirements the rule maps to: the rule's own auditor_steps when it has
// them, otherwise steps built from what the rule leaves out.
func (r Rule) Remaining() []string {
	if len(r.AuditorSteps) > 0 {
		return slices.Clone(r.AuditorSteps)
	}
	var out []string
	if r.AppliesTo.Element == ElementSystem {
		out = append(out, "Confirm by inquiry and inspection that the activity the requirement describes is defined, assigned and performed as documented.")
	} else {
		out = append(out, "Confirm that the model is complete, so that no "+r.AppliesTo.Element+" that belongs in scope is missing from it.")
		if !r.Requires.Empty() {
			out = append(out, "Inspect a sample of the elements in scope to confirm that the mitigations the model records are in place as described.")
		}
	}
	if len(r.Evidence) > 0 {
		out = append(out, "Read the evidence items themselves for what the rule cannot read from them: their scope, their author and that they describe the system assessed.")
	}
	procedural := false
	for _, s := range r.Satisfies {
		procedural = procedural || s.Coverage != "both"
	}
	if procedural {
		out = append(out, "Test the parts of the requirement the rule does not check (documented policies and procedures, roles, reviews and training) by inquiry, inspection and observation.")
	}
	return out
}

func (r Rule) selection() string {
	kind := r.AppliesTo.Element
	if kind == ElementSystem {
		return "Applies once, to the system as a whole."
	}
	what := "every " + kind + " of the model"
	if kind == ElementComponent {
		what = "every component (process, data store or external entity) of the model"
	}
	if r.AppliesTo.Where == nil {
		return "Selects " + what + "."
	}
	return "Selects " + what + " where " + Describe(*r.AppliesTo.Where) + "."
}

// describe says which capabilities the requirement asks for and where.
func (q Requirement) describe(kind string) string {
	join := func(qs []Requirement, word string) string {
		parts := make([]string, len(qs))
		for i, c := range qs {
			parts[i] = c.describe(kind)
		}
		return word + " of: " + strings.Join(parts, "; ")
	}
	switch {
	case len(q.All) > 0:
		return join(q.All, "all")
	case len(q.Any) > 0:
		return join(q.Any, "one")
	}
	s := "the capability " + q.Capability
	if q.Where != nil {
		s += " with " + Describe(*q.Where)
	}
	return s + " " + placement(q.Location(), kind)
}

func placement(at, kind string) string {
	switch at {
	case AtSelf:
		if kind == ElementSystem {
			return "anywhere in the model"
		}
		return "on the element itself"
	case AtSource:
		return "at the flow's source"
	case AtDestination:
		return "at the flow's destination"
	case AtPath:
		return "on the element or anywhere on its path"
	case AtBoundary:
		return "on a zone boundary it crosses"
	case AtZone:
		return "on a zone it sits in"
	case AtEntry:
		return "at the zone boundaries it enters"
	case AtExit:
		return "at the zone boundaries it leaves"
	case AtHost:
		return "on the component itself or a zone it sits in"
	case AtUpstream:
		return "on the element or on its route from an untrusted network"
	}
	return "at " + at
}

func (e EvidenceRequirement) describe() string {
	var b strings.Builder
	b.WriteString("Requires evidence \"" + e.ID + "\"")
	if e.Description != "" {
		b.WriteString(" (" + e.Description + ")")
	}
	per := "one item for the rule as a whole"
	if e.Per == "element" {
		per = "one item for each element in scope"
	}
	fmt.Fprintf(&b, ": %s, of kind %s", per, strings.Join(e.Kinds, " or "))
	if e.MaxAgeDays > 0 {
		fmt.Fprintf(&b, ", at most %d days old at the as-of date", e.MaxAgeDays)
	}
	if len(e.Facts) > 0 {
		parts := make([]string, len(e.Facts))
		for i, f := range e.Facts {
			parts[i] = Describe(f)
		}
		b.WriteString(", showing that " + strings.Join(parts, " and "))
		if e.FactsSource == FactsRead {
			b.WriteString(" as read from its files (a fact only stated in the manifest does not count)")
		}
	}
	if o := e.Occurrences; o != nil {
		if o.SpreadOverPeriod {
			fmt.Fprintf(&b, "; %d or more items, at most %d days apart, spread over the whole audit period", o.Count, o.EveryDays)
		} else {
			within := o.WithinDays
			if within == 0 {
				within = o.Count * o.EveryDays
			}
			fmt.Fprintf(&b, "; %d items at most %d days apart within the last %d days", o.Count, o.EveryDays, within)
		}
		if o.Passing {
			b.WriteString(", each passing")
		}
	}
	if e.AfterSignificantChange {
		b.WriteString("; when compared with a previous package, an item dated after any change that added scope")
	}
	if e.Optional {
		b.WriteString(" (optional: its absence does not fail the rule)")
	}
	b.WriteString(".")
	return b.String()
}

// Describe words a predicate for a reader: "pci.scope is one of cde or
// connected and it crosses a zone boundary into a zone tagged cde".
func Describe(p Predicate) string {
	join := func(ps []Predicate, op string) string {
		parts := make([]string, len(ps))
		for i, c := range ps {
			s := Describe(c)
			if len(c.All) > 0 || len(c.Any) > 0 {
				s = "(" + s + ")"
			}
			parts[i] = s
		}
		return strings.Join(parts, " "+op+" ")
	}
	switch {
	case len(p.All) > 0:
		return join(p.All, "and")
	case len(p.Any) > 0:
		return join(p.Any, "or")
	case p.Not != nil:
		return "not (" + Describe(*p.Not) + ")"
	case p.Fn != "":
		return describeFn(p.Fn, p.Args)
	}
	v := value(p.Value, ", ")
	if _, list := p.Value.([]any); list {
		v = "(" + v + ")"
	}
	switch p.Op {
	case "eq":
		return p.Field + " is " + v
	case "ne":
		return p.Field + " is not " + v
	case "in":
		return p.Field + " is one of " + v
	case "not_in":
		return p.Field + " is none of " + v
	case "contains":
		return p.Field + " includes " + v
	case "intersects":
		return p.Field + " includes any of " + v
	case "exists":
		return p.Field + " is stated"
	case "gte":
		return p.Field + " is at least " + v
	case "lte":
		return p.Field + " is at most " + v
	case "matches":
		return p.Field + " matches the pattern " + v
	}
	return p.Field + " " + p.Op + " " + v
}

// fnWords word each function argument; the function's subject comes first.
var fnWords = map[string]struct {
	subject string
	args    map[string]string
}{
	"crosses_boundary": {"it crosses a zone boundary", map[string]string{
		"any": "(any boundary)", "into_cde": "from outside the derived CDE into it", "out_of_cde": "from inside the derived CDE out of it",
		"into_zone_tags": "into a zone tagged %s", "out_of_zone_tags": "out of a zone tagged %s", "zone_tags": "either way across a zone tagged %s",
		"into_trust": "into a zone of trust %s", "out_of_trust": "out of a zone of trust %s", "trust": "either way across a zone of trust %s"}},
	"in_zone": {"it sits in a zone", map[string]string{
		"zones": "with id %s", "zone_tags": "tagged %s", "trust": "of trust %s"}},
	"exposed_to": {"data reaches it", map[string]string{
		"public_network": "over a flow stated public network", "reachable": "over a route from an untrusted network",
		"trust": "from a zone of trust %s", "zone_tags": "from a zone tagged %s"}},
	"connected_to": {"a neighbour over a flow", map[string]string{
		"kind": "is a %s", "type": "is of type %s", "classifications": "holds %s data", "zone_tags": "sits in a zone tagged %s", "trust": "sits in a zone of trust %s"}},
	"has_tag": {"it carries a tag", map[string]string{"tag": "%s"}},
}

func describeFn(fn string, args map[string]any) string {
	w, ok := fnWords[fn]
	keys := slices.Sorted(maps.Keys(args))
	if !ok {
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + " " + value(args[k], " or ")
		}
		return fn + "(" + strings.Join(parts, ", ") + ")"
	}
	var parts []string
	for _, k := range keys {
		f, known := w.args[k]
		switch {
		case !known:
			parts = append(parts, k+" "+value(args[k], " or "))
		case strings.Contains(f, "%s"):
			parts = append(parts, fmt.Sprintf(f, value(args[k], " or ")))
		case args[k] == false:
			parts = append(parts, "not "+f)
		default:
			parts = append(parts, f)
		}
	}
	// Data reaches an element by any of the ways given; the other
	// functions' criteria must all hold.
	if fn == "exposed_to" && len(parts) > 1 {
		return "(" + w.subject + " " + strings.Join(parts, ", or ") + ")"
	}
	return w.subject + " " + strings.Join(parts, " and ")
}

// value words a predicate value: lists joined by sep, strings bare.
func value(v any, sep string) string {
	switch x := v.(type) {
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = value(e, sep)
		}
		return strings.Join(parts, sep)
	case []string:
		return strings.Join(x, sep)
	case nil:
		return "null"
	}
	return fmt.Sprint(v)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
