package pdf

import (
	"fmt"
	"strings"

	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/reports/view"
)

// evidence is chapter 6: every item of the bundle with its files, hashes,
// dates and status, then files nobody declared.
func (d *doc) evidence() {
	d.chapterStart("evidence", titleEvidence)
	ev := &d.r.Evidence
	if ev.Manifest == "" && len(ev.Items) == 0 {
		d.paragraph("No evidence bundle was given: every rule that needs evidence needs evidence.", 9, black)
		return
	}
	n := d.v.Evidence
	d.paragraph(d.line(fmt.Sprintf("Manifest %s: %d items, %d without problems, %d with problems; %d undeclared files. "+
		"Every file was hashed with SHA-256 (shortened here to 12 digits; the full values are in results.json and "+
		"SHA256SUMS). Age is counted in days up to the as-of date %s.",
		d.orDash(ev.Manifest), n.Items, n.OK, n.WithProblems, n.Undeclared, d.r.Project.AsOf)), 8.5, grey)
	t := d.newTable(7, column{"Item", 60}, column{"Files (SHA-256)", 44}, column{"Collected", 17},
		column{"Age", 12}, column{"Valid until", 17}, column{"Status", 30})
	for _, it := range ev.Items {
		item := d.line(it.ID) + "\n" + d.line(it.Title)
		meta := it.Kind
		if it.Owner != "" {
			meta += ", owner " + it.Owner
		}
		item += "\n" + d.line(meta) + fmt.Sprintf("; used by %d findings", len(it.UsedBy))
		var files []string
		for _, f := range it.Files {
			s := d.line(f.Path) + "\n  " + d.line(shortHash(f.SHA256))
			if format := readFormat(it.Reads, f.Path); format != "" {
				s += "\n  " + d.line(format)
			}
			if !f.OK {
				s += d.line(" (actual " + shortHash(f.Actual) + ")")
			}
			files = append(files, s)
		}
		status := cell{text: d.line(it.Status), head: true, fg: green}
		if it.Status != view.EvidenceOK {
			status.fg, status.bg = red, paleRed
			var probs []string
			for _, p := range it.Problems {
				probs = append(probs, d.line(p.Message))
			}
			if len(probs) > 0 {
				status.text += "\n" + strings.Join(probs, "\n")
			}
		}
		if uses := d.v.EvidenceFlags(it.ID); len(uses) > 0 {
			if it.Status == view.EvidenceOK {
				status.fg, status.bg = rgb{170, 85, 0}, rgb{254, 238, 214}
			}
			status.text += "\n" + d.line(view.EvidenceFlagText(uses))
		}
		t.row(cell{text: item, head: true}, plain(d.orDash(strings.Join(files, "\n"))), plain(d.orDash(d.line(it.CollectedAt))),
			plain(fmt.Sprintf("%d d", it.AgeDays)), plain(d.orDash(d.line(it.ExpiresOn))), status)
	}
	t.end()
	d.evidenceFacts()
	d.undeclared()
}

// readFormat is the format a file of an item was read as, or "" when no
// format claims it.
func readFormat(reads []evidence.FileRead, path string) string {
	for _, fr := range reads {
		switch {
		case fr.Path != path:
		case fr.Error != "":
			return "unreadable"
		case fr.Read != nil:
			return fr.Read.Format
		}
	}
	return ""
}

// undeclared lists files in the bundle that no item declares, and other
// problems of the bundle as a whole.
func (d *doc) undeclared() {
	ev := &d.r.Evidence
	d.heading("Undeclared files", 11)
	if len(ev.Undeclared) == 0 {
		d.paragraph("Every file in the bundle is declared by an item.", 9, black)
	} else {
		d.paragraph("These files are in the bundle but in no manifest item, so no verdict relies on them:", 8.5, black)
		t := d.newTable(7.5, column{"File", contentW})
		for _, f := range ev.Undeclared {
			t.row(cell{text: d.line(f), fg: rgb{170, 85, 0}})
		}
		t.end()
	}
	var other []evidence.Problem
	for _, p := range ev.Problems {
		if p.Item == "" && p.Type != evidence.UndeclaredFile {
			other = append(other, p)
		}
	}
	if len(other) > 0 {
		d.heading("Other bundle problems", 11)
		t := d.newTable(7.5, column{"Type", 36}, column{"File", 60}, column{"Problem", 84})
		for _, p := range other {
			t.row(cell{text: d.line(string(p.Type)), fg: red, bold: true}, plain(d.orDash(d.line(p.File))), plain(d.line(p.Message)))
		}
		t.end()
	}
}
