package pdf

import (
	"fmt"
	"strings"

	"github.com/auditpack/auditpack/reports/procedure"
)

// appendix is chapter 8: inputs, versions, licences, verification and
// notes on how the report itself was printed.
func (d *doc) appendix() {
	d.chapterStart("appendix", titleAppendix)
	d.section("A.1 Inputs")
	d.paragraph("Every input as read, with its SHA-256. The package's inputs/ directory holds these files unchanged.", 8.5, grey)
	t := d.newTable(7.5, column{"Role", 28}, column{"File", 46}, column{"Format", 22}, column{"Bytes", 16}, column{"SHA-256", 68})
	for _, in := range d.r.Inputs {
		t.row(cell{text: d.line(in.Role), bold: true}, plain(d.line(in.Name)), plain(d.orDash(d.line(in.Format))),
			plain(fmt.Sprint(in.Size)), plain(d.line(in.SHA256)))
	}
	t.end()

	d.section("A.2 Tool, rule sets and catalogs")
	d.keyValues(40,
		[2]string{"Tool", d.line(d.r.Tool.Name + " " + d.r.Tool.Version)},
		[2]string{"Results schema", d.line(d.r.SchemaVersion)},
	)
	if len(d.r.RuleSets) > 0 {
		rt := d.newTable(7.5, column{"Rule set", 46}, column{"Version", 22}, column{"File", 52}, column{"Rules", 14}, column{"Title", 46})
		for _, rs := range d.r.RuleSets {
			rt.row(cell{text: d.line(rs.ID), bold: true}, plain(d.line(rs.Version)), plain(d.line(rs.File)),
				plain(fmt.Sprint(rs.Rules)), plain(d.line(rs.Title)))
		}
		rt.end()
	}
	for _, f := range d.r.Frameworks {
		d.heading(d.line(f.Title), 9.5)
		d.keyValues(40,
			[2]string{"Catalog", d.line(f.Ref)},
			[2]string{"Publisher", d.orNone(d.line(f.Publisher))},
			[2]string{"Content", d.orNone(d.line(f.ContentPolicy))},
			[2]string{"Licence notice", d.orNone(d.para(f.LicenseNotice))},
		)
	}
	d.paragraph("The catalogs hold control identifiers, their hierarchy and short labels written for auditpack. "+
		"The text of PCI DSS (PCI Security Standards Council) and of the Trust Services Criteria (AICPA) is not "+
		"included; read it in your own licensed copy.", 8.5, black)

	d.section("A.3 How to verify this package")
	if d.opts.DemoSignature {
		d.paragraph("This is a DEMO package: its signature uses a throwaway key, so verification proves integrity only, "+
			"not who produced it.", 9, red)
	} else if d.opts.Signer == "" {
		d.paragraph("This report is unsigned: the steps below apply once the package is signed.", 9, red)
	}
	d.paragraph(strings.Join(procedure.Intro, " "), 8.5, black)
	for n, st := range procedure.Steps(d.opts.Verification, &procedure.Report{}) {
		d.paragraph(fmt.Sprintf("%d. %s", n+1, st.Title), 8.5, black)
		for _, bl := range st.Blocks {
			if len(bl.Command) > 0 {
				d.codeBlock(strings.Join(bl.Command, "\n"))
			} else {
				d.paragraph(strings.Join(bl.Text, " "), 8.5, black)
			}
		}
	}

	d.section("A.4 Fonts and characters")
	d.paragraph("Text is set in DejaVu Sans (Bitstream Vera licence; DejaVu changes in the public domain), embedded "+
		"in this file. Characters the font lacks, and invisible control or formatting characters from the inputs, "+
		"are printed as a marked substitute [U+XXXX] (the Unicode code point) instead of an empty box.", 8.5, black)
	if subs := d.prev.subs; len(subs) > 0 {
		var codes []string
		for _, r := range subs {
			codes = append(codes, substitute(r))
		}
		d.paragraph(d.line(fmt.Sprintf("Substitution happened in this report for %d distinct characters: %s.",
			len(subs), strings.Join(codes, " "))), 8.5, red)
	} else {
		d.paragraph("No substitution was needed in this report.", 8.5, black)
	}

	d.section("A.5 Warnings of the run")
	if len(d.r.Warnings) == 0 {
		d.paragraph("The run reported no warnings.", 8.5, black)
		return
	}
	wt := d.newTable(7.5, column{"Source", 60}, column{"Warning", 120})
	for _, w := range d.r.Warnings {
		wt.row(plain(d.line(w.Source)), plain(d.line(w.Message)))
	}
	wt.end()
}

// section is an appendix section with its own bookmark.
func (d *doc) section(title string) {
	d.need(30)
	d.pdf.Ln(2)
	d.pdf.Bookmark(title, 1, -1)
	d.heading(title, 11)
}

// codeBlock prints commands (one per line) on a grey background. A command
// too long for a line continues with a shell line continuation, so it can be
// copied as it stands.
func (d *doc) codeBlock(text string) {
	p := d.pdf
	d.font("", 7.5)
	h := lineHeight(7.5)
	var lines []string
	for _, cmd := range strings.Split(text, "\n") {
		parts := d.wrap(cmd, contentW-10-d.width(" \\"))
		for i, l := range parts {
			if i < len(parts)-1 {
				l += " \\"
			}
			lines = append(lines, l)
		}
	}
	boxH := float64(len(lines))*h + 2
	d.need(boxH)
	y := p.GetY()
	d.fillColor(paleGrey)
	p.Rect(marginX+3, y, contentW-3, boxH, "F")
	for i, l := range lines {
		p.SetXY(marginX+5, y+1+float64(i)*h)
		p.CellFormat(contentW-7, h, l, "", 0, "L", false, 0, "")
	}
	p.SetXY(marginX, y+boxH+2)
	d.font("", 9)
}
