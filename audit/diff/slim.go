package diff

import (
	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
)

// The Slim functions drop from one element of read-back results what
// neither [Compare] nor a build's previous results (the as-of date, the
// scope's element ids and each rule's targets) ever read, so that a reader
// of a large results.json keeps a fraction of it in memory. Compare gives
// the same [Changes] for slimmed results as for whole ones.

// SlimRuleResult keeps a rule result's rule, element and the evidence uses
// that are not ok: only those can make an item too old or explain its
// problem.
func SlimRuleResult(r *eval.Result) {
	// A fresh slice, not r.Evidence's: the uses dropped would stay in
	// memory behind the kept ones for as long as the result.
	var uses []eval.EvidenceUse
	for _, u := range r.Evidence {
		if u.Status != eval.EvidenceOK {
			u.Files, u.Facts, u.Title, u.Kind, u.Requirement = nil, nil, "", "", ""
			uses = append(uses, u)
		}
	}
	*r = eval.Result{Rule: r.Rule, Element: r.Element, Verdict: r.Verdict, Evidence: uses}
}

// SlimControl keeps what a control change shows: its names, verdict,
// reason and findings.
func SlimControl(c *audit.Control) {
	*c = audit.Control{Framework: c.Framework, ID: c.ID, Ref: c.Ref, Name: c.Name, Verdict: c.Verdict,
		Reason: c.Reason, Findings: c.Findings}
	for i := range c.Findings {
		f := &c.Findings[i]
		*f = audit.Finding{Rule: f.Rule, Element: f.Element, Verdict: f.Verdict, Exception: f.Exception}
	}
}

// SlimEvidenceItem keeps an item's id, title, status, file hashes,
// problems and users.
func SlimEvidenceItem(it *audit.EvidenceItem) {
	*it = audit.EvidenceItem{ID: it.ID, Title: it.Title, Status: it.Status, Files: it.Files,
		Problems: it.Problems, UsedBy: it.UsedBy}
}

// SlimFlow keeps a flow's id, by which scope changes tell an element
// that left the model from one that left a rule's scope.
func SlimFlow(f *audit.FlowInfo) {
	id := f.ID
	*f = audit.FlowInfo{}
	f.ID = id
}
