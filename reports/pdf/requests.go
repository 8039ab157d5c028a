package pdf

import (
	"fmt"
	"strings"
	"time"

	"github.com/auditpack/auditpack/reports/view"
)

// requests is the chapter "Evidence requests": the list of items the
// organisation is asked to provide, one row per request, as requests.csv
// and the workbook's sheet of the same name give it.
func (d *doc) requests() {
	d.chapterStart("requests", titleRequests)
	rs := d.r.Requests
	if len(rs) == 0 {
		d.paragraph("No evidence is requested: no result needs evidence it does not have, and every fact a rule "+
			"reads was read from an evidence file.", 9, black)
		return
	}
	d.paragraph(d.line(fmt.Sprintf("%d requests. Each asks for the evidence one rule still needs: none of an accepted kind "+
		"(missing), one that no longer serves (renew: too old, stale, damaged or silent on the facts), one that does "+
		"not cover an in-scope element's hosts (coverage), too few occurrences over the period (occurrences), no test "+
		"after a change that added scope (after-change), or a fact only stated in the manifest where the tool's own "+
		"output is needed (read-facts). The owner is the evidence item's, else the overlay's owner of the element's "+
		"zone, else the owner of an item of the kind asked for. Each is due %s days after the as-of date. "+
		"Request ids stay the same from one package to the next while the need lasts, so auditpack diff tells "+
		"which requests a new bundle answered; requests.csv holds the same list for a tracker.",
		len(rs), dueDaysText(rs[0].Due, d.asOf))), 8.5, grey)
	owners := d.newTable(8, column{"Owner", 150}, column{"Requests", 30})
	for _, oc := range view.RequestOwners(rs) {
		c := plain(d.line(view.OwnerText(oc.Owner)))
		if oc.Owner == "" {
			c.fg = red
		}
		owners.row(c, plain(fmt.Sprint(oc.N)))
	}
	owners.end()
	d.pdf.Ln(3)
	t := d.newTable(7, column{"Request", 31}, column{"Requirement and elements", 44}, column{"Evidence needed", 57},
		column{"Period", 20}, column{"Owner, due", 28})
	for i := range rs {
		r := &rs[i]
		req := d.line(r.Rule)
		if r.Requirement != "" {
			req += "\n" + d.line("requirement "+r.Requirement)
		}
		req += "\n" + d.line(strings.Join(r.Controls, ", ")) + "\n" + d.line(view.ElementsText(r.Elements))
		need := d.para(r.Shows)
		if len(r.Items) > 0 {
			need += "\n" + d.line("Items: "+strings.Join(r.Items, ", "))
		}
		need += "\n" + d.para("Why: "+r.Reason)
		period := d.line(r.PeriodTo)
		if r.PeriodFrom != "" {
			period = d.line(r.PeriodFrom) + "\nto " + period
		}
		owner := cell{text: d.line(view.OwnerText(r.Owner)) + "\n" + d.line("due "+r.Due), head: true}
		if r.Owner == "" {
			owner.fg = red
		} else if r.OwnerSource != "" {
			owner.text += "\n" + d.line("from "+r.OwnerSource)
		}
		t.row(cell{text: d.line(r.ID) + "\n" + d.line(r.Need), head: true}, plain(req), plain(need), plain(period), owner)
	}
	t.end()
}

// dueDaysText is how many days after asOf the date due is, as text; "?"
// when it does not parse.
func dueDaysText(due string, asOf time.Time) string {
	t, err := time.Parse(time.DateOnly, due)
	if err != nil {
		return "?"
	}
	return fmt.Sprint(int(t.Sub(asOf).Hours() / 24))
}
