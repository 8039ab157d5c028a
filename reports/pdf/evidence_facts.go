package pdf

import (
	"fmt"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/evidence"
)

// evidenceFacts lists, for every item whose files auditpack read or whose
// manifest entry states facts, what each file was read as, the hosts it
// covered, each fact with its source (read from a file, at a place in it,
// or stated, not read), where the two disagreed, and the rules the item
// served. A read fact decides over a stated one, so a reader sees here
// which verdicts rest on what a tool wrote and which on what a person
// typed.
func (d *doc) evidenceFacts() {
	var items []*audit.EvidenceItem
	for i := range d.r.Evidence.Items {
		if it := &d.r.Evidence.Items[i]; readSomething(it) || len(it.Facts) > 0 {
			items = append(items, it)
		}
	}
	d.heading("What the evidence files say", 11)
	if len(items) == 0 {
		d.paragraph("No item states facts and no evidence file is of a format auditpack reads.", 9, black)
		return
	}
	d.paragraph("Facts read from a file give the file and the place in it (a JSON pointer or an XML path); "+
		"a read fact replaces a stated one, and a disagreement between them is shown. Facts marked "+
		"\"stated, not read\" rest on the manifest alone.", 8.5, grey)
	t := d.newTable(7, column{"Item", 32}, column{"Files read, coverage", 42}, column{"Facts", 74}, column{"Disagreements, served", 32})
	for _, it := range items {
		item := d.line(it.ID) + "\n" + d.line(it.Kind)
		var files []string
		for _, fr := range it.Reads {
			switch {
			case fr.Error != "":
				files = append(files, d.line(fr.Path)+"\n  "+d.line("unreadable: "+fr.Error))
			case fr.Read != nil:
				files = append(files, d.line(fr.Path)+"\n  "+d.line(fr.Read.Format+" ("+fr.Read.Tool+")"))
			}
		}
		if len(it.Targets) > 0 {
			files = append(files, d.line("covers: "+strings.Join(it.Targets, ", ")))
		}
		var read, stated []string
		for _, f := range it.Facts {
			if f.Source == evidence.SourceRead {
				read = append(read, d.line(f.Describe()))
			} else {
				stated = append(stated, d.line(f.Describe()))
			}
		}
		facts := strings.Join(append(read, stated...), "\n")
		disagree := cell{text: "none", fg: green}
		var probs []string
		for _, p := range it.Problems {
			if p.Type == evidence.FactsDisagree || p.Type == evidence.DateDisagree {
				probs = append(probs, d.line(p.Message))
			}
		}
		if len(probs) > 0 {
			disagree = cell{text: strings.Join(probs, "\n"), fg: red, bg: paleRed}
		}
		for _, sup := range supersededBy(it.SupersededBy) {
			disagree.text += "\n" + d.line(sup)
		}
		disagree.text += "\n" + d.line(served(it.UsedBy))
		t.row(cell{text: item, head: true}, plain(d.orDash(strings.Join(files, "\n"))), plain(d.orDash(facts)), disagree)
	}
	t.end()
}

// served says which rules an item served, from its uses ("RULE ELEMENT").
func served(usedBy []string) string {
	var rules []string
	for _, u := range usedBy {
		r, _, _ := strings.Cut(u, " ")
		rules = append(rules, r)
	}
	slices.Sort(rules)
	rules = slices.Compact(rules)
	if len(rules) == 0 {
		return "served no finding"
	}
	return fmt.Sprintf("served %d finding(s) of %s", len(usedBy), strings.Join(rules, ", "))
}

// readSomething reports whether a format was recognised in any of the
// item's files: a file none claims says nothing this section could show.
func readSomething(it *audit.EvidenceItem) bool {
	return slices.ContainsFunc(it.Reads, func(fr evidence.FileRead) bool { return fr.Read != nil || fr.Error != "" })
}

// supersededBy condenses an item's "NEWER for RULE ELEMENT (REQUIREMENT)"
// lines to one per newer item with the number of findings, which is what
// fits a column; results.json and the workbook keep every line.
func supersededBy(lines []string) []string {
	count := map[string]int{}
	var order []string
	for _, l := range lines {
		newer, _, _ := strings.Cut(l, " for ")
		if count[newer] == 0 {
			order = append(order, newer)
		}
		count[newer]++
	}
	out := make([]string, len(order))
	for i, n := range order {
		out[i] = fmt.Sprintf("superseded by %s (%d finding(s))", n, count[n])
	}
	return out
}
