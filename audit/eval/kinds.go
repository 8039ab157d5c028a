package eval

import (
	"fmt"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/evidence/facts"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/mappings"
)

// passKind holds an item that met the rule's own checks to the pass facts
// of its kind: an ASV scan that did not pass, a segmentation test that
// found the segmentation ineffective, a posture scan that failed one of
// the rule's controls contradict the rule whatever the rule itself asks.
// A kind's pass fact the item is silent on leaves it facts-missing.
func (e *evaluator) passKind(r *mappings.Rule, req mappings.EvidenceRequirement, st *evidence.ItemStatus, id string, u EvidenceUse) EvidenceUse {
	if u.Status != EvidenceOK && u.Status != FactsMissing {
		return u
	}
	k, ok := mappings.KindByID(st.Item.Kind)
	if !ok {
		return u
	}
	if path, format := wrongFormat(k, st); path != "" {
		u.Status = FactsMissing
		u.Message = fmt.Sprintf("file %s reads as %s, a format the kind %s does not take: the item does not count as one", path, format, k.ID)
		return u
	}
	// The facts that speak for this element (its own host's, where the
	// file scanned several), read only when the rule takes only facts
	// read from files.
	get := factGetter(e.targetFacts(st, id), req.FactsSource == mappings.FactsRead)
	if len(st.Facts) == 0 {
		// An item built without verification (a unit test's) has only
		// the manifest's facts; verification merges those into st.Facts.
		get = mapGetter(st.Item.Facts)
	}
	var unstated *mappings.PassFact
	for i, p := range k.Pass {
		switch holds(p.When, get) {
		case model.False:
			if p.Incomplete {
				u.Status = FactsMissing
				u.Message = fmt.Sprintf("states %s: the evidence is incomplete, and a passing %s needs %s", quoteFacts(p.When, get), k.ID, p.Says)
				return u
			}
			u.Status = FactsContradict
			u.Message = fmt.Sprintf("states %s; a passing %s shows %s", quoteFacts(p.When, get), k.ID, p.Says)
			return u
		case model.Unknown:
			if unstated == nil {
				unstated = &k.Pass[i]
			}
		}
	}
	if k.FailedControls != "" {
		failed, _ := get(k.FailedControls).([]string)
		for _, s := range r.Satisfies {
			if slices.Contains(failed, s.Control) {
				u.Status = FactsContradict
				u.Message = fmt.Sprintf("states %s includes %s, a control of this rule", k.FailedControls, s.Control)
				return u
			}
		}
	}
	if k.PassedControls != "" {
		passed, _ := get(k.PassedControls).([]string)
		if !slices.ContainsFunc(r.Satisfies, func(s mappings.Satisfies) bool { return slices.Contains(passed, s.Control) }) {
			u.Status = FactsMissing
			u.Message = fmt.Sprintf("the %s ran no check mapped to a control of this rule (%s names none of %s)", k.ID, k.PassedControls, strings.Join(controlsOf(r), ", "))
			return u
		}
	}
	if unstated != nil && u.Status == EvidenceOK {
		u.Status = FactsMissing
		u.Message = fmt.Sprintf("does not state whether %s, which a passing %s shows", unstated.Says, k.ID)
	}
	return u
}

// wrongFormat returns the first file of the item read as a format its
// kind does not take, and that format; "" when every file fits. A file no
// parser recognises fits every kind: it is stated-only. Generic kinds say
// too little about their files to refuse any format.
func wrongFormat(k mappings.EvidenceKind, st *evidence.ItemStatus) (path, format string) {
	if k.Generic {
		return "", ""
	}
	if k.SameAs != "" {
		if s, ok := mappings.KindByID(k.SameAs); ok {
			k = s
		}
	}
	for _, fr := range st.Reads {
		if fr.Read != nil && knownFormat(fr.Read.Format) && !slices.Contains(k.Formats, fr.Read.Format) {
			return fr.Path, fr.Read.Format
		}
	}
	return "", ""
}

// knownFormat says whether a format is one of the parsers' (a reader
// installed by tests may name another, which stands for none in
// particular).
func knownFormat(id string) bool {
	return slices.ContainsFunc(facts.Formats(), func(f facts.Format) bool { return f.ID == id })
}

// controlsOf lists the controls a rule satisfies, for messages.
func controlsOf(r *mappings.Rule) []string {
	var out []string
	for _, s := range r.Satisfies {
		out = append(out, s.Control)
	}
	return out
}

// quoteFacts names the facts of p the item gives, with their values, as
// "scan.pass = false": the words a reader checks against the file.
func quoteFacts(p mappings.Predicate, get getter) string {
	var fields []string
	var walk func(p mappings.Predicate)
	walk = func(p mappings.Predicate) {
		for _, c := range append(slices.Clone(p.All), p.Any...) {
			walk(c)
		}
		if p.Not != nil {
			walk(*p.Not)
		}
		if p.Field != "" && !slices.Contains(fields, p.Field) {
			fields = append(fields, p.Field)
		}
	}
	walk(p)
	var parts []string
	for _, f := range fields {
		if v := get(f); present(v) {
			parts = append(parts, fmt.Sprintf("%s = %v", f, v))
		}
	}
	if len(parts) == 0 {
		return "other facts"
	}
	return strings.Join(parts, ", ")
}

// refusedKinds explains, when no item of the kinds a requirement names
// supports the target, which items of other kinds were offered: an
// internal scan filed for the ASV scan requirement is named, with the kind
// it is and the kinds the requirement wants.
func (e *evaluator) refusedKinds(r *mappings.Rule, req mappings.EvidenceRequirement, id string, caps []string, mits counted) *Reason {
	every := req
	every.Kinds = mappings.EvidenceKindIDs()
	var offered []string
	cands, _, _ := e.candidates(r, every, id, caps, mits)
	for _, st := range cands {
		if st.Item.Kind != "attestation" {
			offered = append(offered, fmt.Sprintf("%s (%s)", st.Item.ID, st.Item.Kind))
		}
	}
	if len(offered) == 0 {
		return nil
	}
	return &Reason{"evidence-wrong-kind", fmt.Sprintf("%s accepts only %s; %s offered for it %s not of that kind",
		req.ID, strings.Join(req.Kinds, " or "), strings.Join(offered, ", "), plural(len(offered), "is", "are"))}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
