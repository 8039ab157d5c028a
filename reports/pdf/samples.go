package pdf

import (
	"fmt"

	"github.com/auditpack/auditpack/audit"
)

// The samples chapter follows the appendix.
const (
	titleSamples = "10 Appendix: samples"
	keySamples   = "samples"
)

// samples lists every sample the results record: what it is drawn from,
// the population's size, the seed, the size and the members in draw
// order, with how to draw them again.
func (d *doc) samples() {
	d.chapterStart(keySamples, titleSamples)
	d.paragraph("For each control whose population is two or more model elements (the flows, components or stores its rules "+
		"judged) or occurrences (the items of a periodic evidence requirement: scans, reviews), auditpack draws a sample that "+
		"anyone can draw again. The seed is the SHA-256 of the text \"auditpack-sample-v1\", the SHA-256 of every input "+
		"(A.1) sorted, the control and the population, one a line; each member's key is HMAC-SHA256 of its id under the seed, "+
		"and the sample is the members with the smallest keys. A larger sample keeps every member of this one. The size comes "+
		"from the table below, never more than the population.", 8.5, black)
	d.codeBlock("auditpack sample PACKAGE --control CONTROL\nauditpack sample PACKAGE --control CONTROL --sample-size N\n" +
		"printf %s MEMBER-ID | openssl dgst -sha256 -mac HMAC -macopt hexkey:SEED")
	t := d.newTable(7.5, column{"Row (frequency)", 36}, column{"Population by size", 40}, column{"Spacing of occurrences (days)", 70}, column{"Sample size", 34})
	for i, row := range audit.SizeTable {
		pop, every := audit.SizeRanges(i)
		t.row(cell{text: row.Frequency, bold: true}, plain(pop), plain(every), plain(fmt.Sprint(row.Size)))
	}
	t.end()
	if len(d.r.Samples) == 0 {
		d.paragraph("No control has a population to sample, or the results were written before auditpack drew samples.", 9, grey)
		return
	}
	for _, s := range d.r.Samples {
		// A sample's heading stays with its seed and first rows.
		d.need(lineHeight(9.5) + 2*lineHeight(8) + float64(min(len(s.Members), 6)+1)*(lineHeight(7.5)+2) + 4)
		d.heading(d.line(s.Control+": "+s.Of()), 9.5)
		d.paragraph(d.line(fmt.Sprintf("Population %d; sample size %d (%s).", s.PopulationSize, s.Size, s.SizeBasis())), 8, black)
		d.paragraph(d.line("Seed "+s.Seed), 8, grey)
		mt := d.newTable(7.5, column{"#", 8}, column{"Member", 54}, column{"Kind", 18}, column{"Name", 52}, column{"Date", 18}, column{"Key (first 16)", 30})
		for i, m := range s.Members {
			key := m.Key
			if len(key) > 16 {
				key = key[:16]
			}
			mt.row(plain(fmt.Sprint(i+1)), cell{text: d.line(m.ID), bold: true}, plain(d.line(m.Kind)), plain(d.orDash(d.line(m.Name))),
				plain(d.orDash(d.line(m.Date))), plain(d.line(key)))
		}
		mt.end()
	}
}
