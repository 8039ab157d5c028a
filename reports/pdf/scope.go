package pdf

import (
	"fmt"
	"strings"

	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/reports/view"
)

// verdictMeaning is the definition of each verdict printed in the report,
// the same as in the README and SPEC, so auditors read them where they
// use them.
func verdictMeaning(v eval.Verdict) string {
	switch v {
	case eval.Satisfied:
		return "The capability is implemented where the rule requires it, and its evidence is present, intact (hash matches) and fresh."
	case eval.NotSatisfied:
		return "The capability is missing or not implemented, or the model or the evidence contradicts it."
	case eval.NeedsEvidence:
		return "The capability is claimed, but its evidence is missing, too old, outside the audit period or damaged."
	case eval.Excepted:
		return "Not satisfied, but covered by an approved, unexpired exception whose compensating evidence is valid. Not counted as satisfied."
	case eval.NotApplicable:
		return "Nothing in the model is in the rule's scope, where the rule allows that."
	case eval.Manual:
		return "No automated rule covers the control, a rule has open manual steps, or an auditor must confirm the scope. Not counted as satisfied."
	}
	return ""
}

// scope is chapter 2: what was evaluated and how.
func (d *doc) scope() {
	d.chapterStart("scope", titleScope)
	m := &d.r.Model
	d.heading("Threat model", 11)
	format := m.Source.Format
	if m.Source.FormatVersion != "" {
		format += " (" + m.Source.FormatVersion + ")"
	}
	d.keyValues(32,
		[2]string{"Title", d.orNone(d.line(m.Title))},
		[2]string{"Format", d.orNone(d.line(format))},
		[2]string{"File", d.orNone(d.line(m.Source.File))},
		[2]string{"SHA-256", d.orNone(d.line(m.Source.SHA256))},
		[2]string{"Elements", fmt.Sprintf("%d zones, %d components, %d data flows, %d data assets, %d threats, %d mitigations",
			len(m.Zones), len(m.Components), len(m.Flows), len(m.DataAssets), len(m.Threats), len(m.Mitigations))},
	)
	d.zones()
	d.dataAssets()
	d.components()
	d.flows()
	d.method()
	d.verdictDefinitions()
}

func (d *doc) zones() {
	d.heading("Zones", 11)
	if len(d.r.Model.Zones) == 0 {
		d.paragraph("The model has no zones.", 9, black)
		return
	}
	t := d.newTable(7.5, column{"Zone id", 36}, column{"Name", 52}, column{"Trust", 26}, column{"Parent", 30}, column{"Tags", 36})
	for _, z := range d.r.Model.Zones {
		t.row(cell{text: d.line(z.ID), bold: true}, plain(d.line(z.Name)), plain(d.orDash(d.line(z.Trust))),
			plain(d.orDash(d.line(z.Parent))), plain(d.orDash(d.line(strings.Join(z.Tags, ", ")))))
	}
	t.end()
}

func (d *doc) dataAssets() {
	d.heading("Data and classifications", 11)
	if len(d.r.Model.DataAssets) == 0 {
		d.paragraph("The model has no data assets.", 9, black)
		return
	}
	t := d.newTable(7.5, column{"Data asset id", 40}, column{"Name", 70}, column{"Classifications", 70})
	for _, a := range d.r.Model.DataAssets {
		t.row(cell{text: d.line(a.ID), bold: true}, plain(d.line(a.Name)), plain(d.orDash(d.line(strings.Join(a.Classifications, ", ")))))
	}
	t.end()
}

func (d *doc) components() {
	d.heading("Components in scope", 11)
	t := d.newTable(7.5, column{"Component id", 36}, column{"Name", 46}, column{"Kind", 26}, column{"Zone", 28}, column{"Data", 44})
	var out []string
	for _, c := range d.v.Scope.ComponentsOut {
		out = append(out, d.line(fmt.Sprintf("%s (%s): %s", c.Name, c.ID, d.orDash(c.OutOfScopeReason))))
	}
	for _, c := range d.v.Scope.Components {
		data := append(append([]string{}, c.Stores...), c.Processes...)
		t.row(cell{text: d.line(c.ID), bold: true}, plain(d.line(c.Name)), plain(d.line(c.Kind)),
			plain(d.orDash(d.line(c.Zone))), plain(d.orDash(d.line(strings.Join(data, ", ")))))
	}
	t.end()
	if len(d.v.Scope.Components) == 0 {
		d.paragraph("No component is in scope.", 9, black)
	}
	if len(out) > 0 {
		d.paragraph("Out of scope: "+strings.Join(out, "; "), 8.5, grey)
	}
}

func (d *doc) flows() {
	d.heading("Data flows in scope", 11)
	t := d.newTable(7.5, column{"Flow id", 30}, column{"Name and route", 62}, column{"Classifications", 36}, column{"Crosses", 52})
	var out []string
	for _, f := range d.v.Scope.FlowsOut {
		out = append(out, d.line(fmt.Sprintf("%s (%s): %s", f.Name, f.ID, d.orDash(f.OutOfScopeReason))))
	}
	for _, f := range d.v.Scope.Flows {
		arrow := " → "
		if f.Bidirectional {
			arrow = " ↔ "
		}
		route := d.line(f.Name) + "\n" + d.line(d.nameOf(f.Source)+arrow+d.nameOf(f.Target))
		if f.Protocol != "" {
			route += " " + d.line("("+f.Protocol+")")
		}
		cross := view.Crossings(f.Crossing)
		t.row(cell{text: d.line(f.ID), bold: true}, plain(route),
			plain(d.orDash(d.line(strings.Join(f.Classifications, ", ")))), plain(d.orDash(d.line(strings.Join(cross, "; ")))))
	}
	t.end()
	if len(d.v.Scope.Flows) == 0 {
		d.paragraph("No data flow is in scope.", 9, black)
	}
	if len(out) > 0 {
		d.paragraph("Out of scope: "+strings.Join(out, "; "), 8.5, grey)
	}
}

// nameOf names a model element by id, or returns the id.
func (d *doc) nameOf(id string) string {
	if e, ok := d.ix.elements[id]; ok && e.name != "" {
		return e.name
	}
	return id
}

// method says what automated evaluation covers and what it does not.
func (d *doc) method() {
	d.heading("What automated evaluation covers, and what it does not", 11)
	d.paragraph("Mapping rules turn the technical part of a control into checks on the model: which flows carry "+
		"which data, across which zone boundaries, and which implemented mitigation provides the required "+
		"capability there, backed by evidence that is present, hash-valid, fresh and inside the audit period. "+
		"A control satisfied only by such rules has partial coverage: automated rules check the technical part "+
		"only. Policies, people, procedures, physical security, sampling of operating effectiveness and anything "+
		"the model does not describe are not evaluated; controls without a rule are manual and need an auditor.", 9, black)
	t := d.newTable(7.5, column{"Framework", 66}, column{"Partial coverage (technical part)", 40},
		column{"Full coverage", 30}, column{"No rule (manual)", 44})
	for _, f := range d.v.Frameworks {
		n := f.Coverage
		t.row(plain(d.line(f.Info.Title)), plain(fmt.Sprint(n.Partial)), plain(fmt.Sprint(n.Full)), plain(fmt.Sprint(n.None)))
	}
	t.end()
	if len(d.r.RuleSets) > 0 {
		rt := d.newTable(7.5, column{"Rule set", 50}, column{"Version", 24}, column{"Title", 82}, column{"Rules", 24})
		for _, rs := range d.r.RuleSets {
			rt.row(cell{text: d.line(rs.ID), bold: true}, plain(d.line(rs.Version)), plain(d.line(rs.Title)), plain(fmt.Sprint(rs.Rules)))
		}
		rt.end()
	}
}

func (d *doc) verdictDefinitions() {
	d.heading("Verdicts", 11)
	d.paragraph("Each rule gives one verdict per element in its scope; a control takes the worst verdict of its "+
		"findings, in this order. Verdicts are never merged into pass or fail.", 9, black)
	t := d.newTable(8, column{"Verdict", 30}, column{"Meaning", 150})
	for _, v := range eval.Verdicts {
		t.row(d.verdictCell(v), plain(verdictMeaning(v)))
	}
	t.end()
}
