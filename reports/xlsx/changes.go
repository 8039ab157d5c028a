package xlsx

import (
	"fmt"
	"github.com/auditpack/auditpack/reports/view"
	"strings"

	"github.com/auditpack/auditpack/audit/diff"
	"github.com/auditpack/auditpack/audit/eval"
)

// Kinds of row on the Changes sheet, as the Kind column spells them.
const (
	ChangeRegression  = "regression"
	ChangeImprovement = "improvement"
	ChangeControl     = "control" // a control added or removed
	ChangeScope       = "scope"
	ChangeEvidence    = "evidence"
	ChangeException   = "exception"
	ChangeVersion     = "version"
)

var changeColumns = []column{
	{"Kind", 13, plain},
	{"Change", 13, plain},
	{"Subject", 26, wrapped},
	{"Name", 36, wrapped},
	{"Old", 24, wrapped},
	{"New", 24, wrapped},
	{"Detail", 80, wrapped},
}

// noteChanges explains the Changes sheet on the Summary sheet.
const noteChanges = "Changes: one row per change since the previous package, regressions first, then improvements, " +
	"controls added or removed, scope, evidence, exceptions and versions; filter on Kind to see one list."

// changes writes one row per change, in the order of [diff.Changes]:
// regressions first, because they are what a quarterly review must see.
// Verdicts keep their colours, and a regression, an evidence item that
// went stale, invalid or changed, and an exception that expired or was
// removed are flagged.
func (wb *workbook) changes() error {
	c := wb.opts.Changes
	t, err := newTable(wb.f, wb.st, SheetChanges, 0, changeColumns)
	if err != nil {
		return err
	}
	for _, cc := range c.Controls {
		kind, change := any(ChangeControl), cc.Direction
		switch cc.Direction {
		case diff.Regression:
			kind, change = styled{ChangeRegression, wb.st.flag}, "verdict"
		case diff.Improvement:
			kind, change = ChangeImprovement, "verdict"
		}
		if err := t.add(kind, change, cc.Ref, cc.Name, verdictOrNil(cc.From), verdictOrNil(cc.To), controlDetail(cc)); err != nil {
			return err
		}
	}
	for _, sc := range c.Scope {
		name := strings.Join(nonEmpty(sc.Element.Name, prefixed("", sc.Element.Kind)), ", ")
		if err := t.add(ChangeScope, sc.Change, sc.Element.ID, name, "", "", scopeDetail(sc)); err != nil {
			return err
		}
	}
	for _, e := range c.Evidence {
		change := any(e.Change)
		if view.EvidenceChangeFlagged(e) {
			change = styled{e.Change, wb.st.flag}
		}
		old, new := e.From, e.To
		if e.Change == diff.EvidenceHashChanged {
			old, new = e.OldSHA256, e.NewSHA256
		}
		if err := t.add(ChangeEvidence, change, e.Item, e.Title, old, new, evidenceDetail(e)); err != nil {
			return err
		}
	}
	for _, x := range c.Exceptions {
		change := any(x.Change)
		if x.Change == diff.ExceptionExpired || x.Change == diff.ExceptionRemoved {
			change = styled{x.Change, wb.st.flag}
		}
		covers := strings.Join(nonEmpty(prefixed("control ", x.Control), prefixed("rule ", x.Rule), prefixed("element ", x.Element)), "; ")
		if err := t.add(ChangeException, change, x.ID, covers, x.From, x.To, prefixed("expires ", x.ExpiresOn)); err != nil {
			return err
		}
	}
	for _, v := range c.Versions {
		change := "changed"
		switch {
		case v.From == "":
			change = "added"
		case v.To == "":
			change = "removed"
		}
		if err := t.add(ChangeVersion, change, v.ID, v.Kind, v.From, v.To, ""); err != nil {
			return err
		}
	}
	return t.close()
}

// verdictOrNil is a verdict cell, or a blank one for a control that was
// not there.
func verdictOrNil(v eval.Verdict) any {
	if v == "" {
		return nil
	}
	return v
}

// controlDetail is the control's reason now, then every finding whose
// verdict moved.
func controlDetail(cc diff.ControlChange) string {
	out := []string{cc.Reason}
	for _, f := range cc.Findings {
		el := f.Element.ID
		if el == "" {
			el = "system"
		}
		s := fmt.Sprintf("%s on %s: %s → %s", f.Rule, el, orDash(string(f.From)), orDash(string(f.To)))
		if f.Exception != "" {
			s += " (exception " + f.Exception + ")"
		}
		out = append(out, s)
	}
	return lines(nonEmpty(out...))
}

func scopeDetail(sc diff.ScopeChange) string {
	var out []string
	if len(sc.RulesAdded) > 0 {
		out = append(out, "brought into scope of "+strings.Join(sc.RulesAdded, ", "))
	}
	if len(sc.RulesRemoved) > 0 {
		out = append(out, "taken out of scope of "+strings.Join(sc.RulesRemoved, ", "))
	}
	return lines(out)
}

func evidenceDetail(e diff.EvidenceChange) string {
	return lines(view.EvidenceChangeDetail(e, 0))
}

// prefixed labels a value, or gives nothing when there is none.
func prefixed(label, value string) string {
	if value == "" {
		return ""
	}
	return label + value
}

// changesSummary is the Summary sheet's line about the comparison.
func changesSummary(c *diff.Changes) string {
	if c.Empty() {
		return "No changes: every control has the verdict it had, and the scope, evidence, exceptions and versions are the same"
	}
	s := c.Summary
	return fmt.Sprintf("%d regression(s), %d improvement(s), %d control(s) added and %d removed; %d scope, %d evidence, "+
		"%d exception and %d version change(s)", s.Regressions, s.Improvements, s.ControlsAdded, s.ControlsRemoved,
		s.Scope, s.Evidence, s.Exceptions, s.Versions)
}
