package audit

import (
	"fmt"
	"strings"

	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/exception"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/frameworks"
	"github.com/auditpack/auditpack/mappings"
)

// referenceWarnings names every support entry of the evidence manifest
// that resolves to nothing: an unknown mitigation, element, capability,
// rule, control or exception, a mitigation that does not target the
// element named with it or does not provide the capability, a capability
// no mitigation provides on the element, or an entry naming more than one
// thing. Such an entry backs no result, and a typo would otherwise make
// evidence count silently for nothing. Each warning names the manifest,
// the item and the entry's JSON pointer. A rule that a rule set defines
// but this run does not select is not a dangling reference: one bundle
// serves every framework a project audits.
func referenceWarnings(ev *evidence.Index, x *model.Index, sets []*mappings.RuleSet, cats []*frameworks.Catalog, exc *exception.File) []Warning {
	if ev == nil {
		return nil
	}
	rules, controls := map[string]bool{}, map[string]bool{}
	for _, rs := range sets {
		for _, r := range rs.Rules {
			rules[r.ID] = true
			for _, s := range r.Satisfies {
				controls[s.Control] = true
			}
		}
	}
	// A control of a selected framework is checked against its catalog;
	// one of a framework this run does not select can be checked only
	// against the controls the rule sets name, and one of a framework no
	// rule set or catalog knows is a typo.
	catalogs := map[string]*frameworks.Catalog{}
	for _, c := range cats {
		catalogs[c.Ref()] = c
	}
	known := map[string]bool{}
	for c := range controls {
		fw, _, _ := strings.Cut(c, ":")
		known[fw] = true
	}
	control := func(ref string) bool {
		fw, id, _ := strings.Cut(ref, ":")
		if c, ok := catalogs[fw]; ok {
			_, found := c.Node(id)
			return found || controls[ref]
		}
		return controls[ref] || (known[fw] && id != "")
	}
	exceptions := map[string]bool{}
	if exc != nil {
		for _, e := range exc.Exceptions {
			exceptions[e.ID] = true
		}
	}
	var out []Warning
	for i, it := range ev.Manifest.Items {
		for j, s := range it.Supports {
			msg := eval.LinkProblem(x, s, func(id string) bool { return rules[id] }, control)
			if msg == "" && s.Exception != "" && exc != nil && !exceptions[s.Exception] {
				msg = fmt.Sprintf("supports exception %q, which the exceptions file does not define", s.Exception)
			}
			if msg == "" {
				msg = eval.KindLinkProblem(it.Kind, s)
			}
			if msg != "" {
				src := fmt.Sprintf("%s: item %s at /items/%d/supports/%d", ev.Manifest.File, it.ID, i, j)
				out = append(out, Warning{src, msg + "; it backs nothing"})
			}
		}
	}
	return out
}
