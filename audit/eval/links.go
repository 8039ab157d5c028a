package eval

import (
	"fmt"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/mappings"
)

// LinkForm is what a support entry of an evidence item names. Each entry
// names one thing, so that a link means exactly what it says: evidence
// filed for one mitigation is never read as evidence of another's
// capability merely because both sit on the same element.
type LinkForm int

// Link forms.
const (
	// LinkAmbiguous names more than one thing (a rule and a control, a
	// mitigation and a rule) or nothing at all; it backs nothing.
	LinkAmbiguous LinkForm = iota
	// LinkMitigation: {mitigation}, the mitigation wherever it sits.
	LinkMitigation
	// LinkMitigationElement: {mitigation, element}, that mitigation's
	// capabilities on that element only.
	LinkMitigationElement
	// LinkMitigationCapability: {mitigation, capability[, element]}, one
	// capability of that mitigation (on that element).
	LinkMitigationCapability
	// LinkElement: {element}, the element as a whole (an attestation of
	// compliance for a service provider); only items of a whole-entity
	// kind ([WholeEntityKind]) may be linked so.
	LinkElement
	// LinkElementCapability: {element, capability}, whichever mitigation
	// provides the capability there.
	LinkElementCapability
	// LinkCapability: {capability}, a rule-wide document of a capability.
	LinkCapability
	// LinkRule: {rule[, element]}.
	LinkRule
	// LinkControl: {control}.
	LinkControl
	// LinkException: {exception}, compensating evidence of an exception,
	// read by the exceptions and never here.
	LinkException
)

// FormOf classifies a support entry.
func FormOf(s evidence.Support) LinkForm {
	m, el, c, r, ct, ex := s.Mitigation != "", s.Element != "", s.Capability != "", s.Rule != "", s.Control != "", s.Exception != ""
	switch {
	case ex:
		if m || el || c || r || ct {
			return LinkAmbiguous
		}
		return LinkException
	case m:
		switch {
		case r || ct:
			return LinkAmbiguous
		case c:
			return LinkMitigationCapability
		case el:
			return LinkMitigationElement
		}
		return LinkMitigation
	case r:
		if c || ct {
			return LinkAmbiguous
		}
		return LinkRule
	case ct:
		if el || c {
			return LinkAmbiguous
		}
		return LinkControl
	case el && c:
		return LinkElementCapability
	case el:
		return LinkElement
	case c:
		return LinkCapability
	}
	return LinkAmbiguous
}

// wholeEntityKinds are the kinds of evidence that speak for an entity as
// a whole, whatever the requirement: an AOC or a SOC report covers every
// requirement its scope names, a contract or a responsibility matrix
// every duty it assigns. Any other item (a configuration export, a scan)
// shows one thing, and a link naming only the element would let it back
// every rule on that element.
var wholeEntityKinds = []string{"aoc", "contract", "responsibility-matrix", "soc-report"}

// WholeEntityKind reports whether an evidence kind (or a synonym of one)
// may be linked to a bare element.
func WholeEntityKind(kind string) bool {
	if k, ok := mappings.KindByID(kind); ok {
		kind = k.ID
	}
	return slices.Contains(wholeEntityKinds, kind)
}

// KindLinkProblem says why a support entry cannot link an item of the
// given kind, or returns "": a bare element link backs only whole-entity
// kinds.
func KindLinkProblem(kind string, s evidence.Support) string {
	if FormOf(s) == LinkElement && !WholeEntityKind(kind) {
		return fmt.Sprintf("supports element %q as a whole, which only an item of kind %s can; a %s item must name what it shows there (a mitigation, the element with a capability, or a rule)",
			s.Element, strings.Join(wholeEntityKinds, ", "), kind)
	}
	return ""
}

// LinkProblem says why a support entry resolves to nothing in this model,
// or returns "". rule and control say whether a rule id or a control
// reference is known; they may be nil, and what they would check is then
// taken as known.
func LinkProblem(x *model.Index, s evidence.Support, rule, control func(string) bool) string {
	form := FormOf(s)
	if form == LinkAmbiguous {
		return "names more than one thing, or nothing: a support entry names a mitigation (optionally with an element or capability), an element with a capability, a capability, a rule (optionally with an element), a control or an exception"
	}
	var mi *model.Mitigation
	if s.Mitigation != "" {
		if mi = x.Mitigation(s.Mitigation); mi == nil {
			return fmt.Sprintf("supports mitigation %q, which is not in the model", s.Mitigation)
		}
	}
	if s.Element != "" && x.KindOf(s.Element) == "" {
		return fmt.Sprintf("supports element %q, which is not in the model", s.Element)
	}
	if s.Capability != "" {
		if _, ok := mappings.CapabilityByID(s.Capability); !ok {
			return fmt.Sprintf("supports capability %q, which auditpack does not know", s.Capability)
		}
	}
	if s.Rule != "" && rule != nil && !rule(s.Rule) {
		return fmt.Sprintf("supports rule %q, which no rule set defines", s.Rule)
	}
	if s.Control != "" && control != nil && !control(s.Control) {
		return fmt.Sprintf("supports control %q, which no framework defines", s.Control)
	}
	if mi != nil && s.Element != "" && !slices.Contains(mi.Targets, s.Element) {
		return fmt.Sprintf("supports mitigation %q on element %q, but the mitigation does not target that element", s.Mitigation, s.Element)
	}
	if mi != nil && s.Capability != "" && !slices.ContainsFunc(mi.Provides, func(p model.Provision) bool { return p.Capability == s.Capability }) {
		return fmt.Sprintf("supports capability %q of mitigation %q, which it does not provide", s.Capability, s.Mitigation)
	}
	if form == LinkElementCapability && !providedOn(x, s.Element, s.Capability) {
		return fmt.Sprintf("supports capability %q on element %q, which no mitigation of the model provides there", s.Capability, s.Element)
	}
	return ""
}

// providedOn reports whether some mitigation targeting the element (or
// its zone) provides the capability.
func providedOn(x *model.Index, id, capability string) bool {
	places := []string{id}
	if c := x.Component(id); c != nil && c.Zone != "" {
		places = append(places, c.Zone)
	}
	for _, mi := range x.Model.Mitigations {
		if !slices.ContainsFunc(mi.Provides, func(p model.Provision) bool { return p.Capability == capability }) {
			continue
		}
		if slices.ContainsFunc(mi.Targets, func(t string) bool { return slices.Contains(places, t) }) {
			return true
		}
	}
	return false
}

// counted is what the mitigations counted for one (rule, element) provide.
type counted map[string][]string // mitigation id → capabilities counted

func countedOf(used []MitigationUse) counted {
	out := counted{}
	for _, u := range used {
		if u.Counted && !slices.Contains(out[u.ID], u.Capability) {
			out[u.ID] = append(out[u.ID], u.Capability)
		}
	}
	return out
}

// backs reports whether one support entry of an item of the given kind
// links it to this (rule, element, requirement). speaks says whether a mitigation-wide link speaks
// for this element.
func backs(s evidence.Support, kind string, r *mappings.Rule, id string, perElement bool, caps []string, mits counted, speaks func(string) bool) bool {
	switch FormOf(s) {
	case LinkMitigation:
		_, ok := mits[s.Mitigation]
		return ok && speaks(s.Mitigation)
	case LinkMitigationElement:
		_, ok := mits[s.Mitigation]
		return ok && s.Element == id
	case LinkMitigationCapability:
		if !slices.Contains(mits[s.Mitigation], s.Capability) {
			return false
		}
		if s.Element != "" {
			return s.Element == id
		}
		return speaks(s.Mitigation)
	case LinkElement:
		return s.Element == id && WholeEntityKind(kind)
	case LinkElementCapability:
		return s.Element == id && slices.Contains(caps, s.Capability)
	case LinkCapability:
		return !perElement && slices.Contains(caps, s.Capability)
	case LinkRule:
		// Evidence required per element must name the element: one item
		// filed against the rule does not back every element.
		return s.Rule == r.ID && ((s.Element == "" && !perElement) || s.Element == id)
	case LinkControl:
		return !perElement && slices.ContainsFunc(r.Satisfies, func(c mappings.Satisfies) bool { return c.Control == s.Control })
	}
	return false
}
