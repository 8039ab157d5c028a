package pdf

import (
	"fmt"
	"strings"
)

// Chapter keys and titles, in report order. The titles are also the
// bookmark (outline) titles.
const (
	titleContents   = "Contents"
	titleSummary    = "1 Executive summary"
	titleScope      = "2 Scope and method"
	titleControls   = "3 Control results"
	titleFindings   = "4 Findings"
	titleExceptions = "5 Exceptions and compensating controls"
	titleEvidence   = "6 Evidence index"
	titleRequests   = "7 Evidence requests"
	titleThreats    = "8 Open threats"
	titleAppendix   = "9 Appendix"
)

// chapters lists the chapter titles in order, as they appear in the
// contents and in the PDF outline.
var chapters = []string{titleContents, titleSummary, titleScope, titleControls, titleApplicability, titleFindings,
	titleExceptions, titleEvidence, titleRequests, titleThreats, titleAppendix, titleSamples, titleProcedures, titleSignOff}

var chapterKeys = map[string]string{
	titleContents: "contents", titleSummary: "summary", titleScope: "scope", titleControls: "controls",
	titleFindings: "findings", titleExceptions: "exceptions", titleEvidence: "evidence",
	titleThreats: "threats", titleAppendix: "appendix", titleRequests: "requests", titleSamples: keySamples,
	titleApplicability: keyApplicability, titleProcedures: keyProcedures, titleSignOff: keySignOff,
}

// signerText is what the cover says about the signature.
func (d *doc) signerText() string {
	s := d.line(d.opts.Signer)
	if s == "" {
		s = "unsigned"
	}
	if d.opts.DemoSignature {
		s += " (DEMO SIGNATURE: throwaway key)"
	}
	return s
}

func (d *doc) period() string {
	p := d.r.Project
	switch {
	case p.PeriodStart != "" && p.PeriodEnd != "":
		return d.line(p.PeriodStart + " to " + p.PeriodEnd)
	case p.PeriodStart != "":
		return d.line("from " + p.PeriodStart)
	case p.PeriodEnd != "":
		return d.line("until " + p.PeriodEnd)
	}
	return "not stated"
}

// cover is page 1: who, what, when, which package, who signed.
func (d *doc) cover() {
	p := d.pdf
	d.chapter = ""
	p.AddPage()
	d.fillColor(navy)
	p.Rect(0, 0, pageW, 62, "F")
	d.textColor(rgb{255, 255, 255})
	d.font("B", 11)
	p.SetXY(marginX, 16)
	p.CellFormat(contentW, 6, "AUDIT REPORT", "", 1, "L", false, 0, "")
	d.font("B", 22)
	for i, l := range d.wrap(d.line(d.r.Project.Organisation), contentW-2) {
		if i == 2 {
			break
		}
		p.SetX(marginX)
		p.CellFormat(contentW, 10, l, "", 1, "L", false, 0, "")
	}
	d.font("", 13)
	for i, l := range d.wrap(d.line(d.r.Project.System), contentW-2) {
		if i == 2 {
			break
		}
		p.SetX(marginX)
		p.CellFormat(contentW, 6.5, l, "", 1, "L", false, 0, "")
	}
	d.textColor(black)
	p.SetXY(marginX, 72)

	var fws []string
	for _, f := range d.r.Frameworks {
		fws = append(fws, d.line(fmt.Sprintf("%s (%s version %s)", f.Title, f.ID, f.Version)))
	}
	rows := [][2]string{
		{"Organisation", d.line(d.r.Project.Organisation)},
		{"System", d.line(d.r.Project.System)},
		{"Frameworks", d.orNone(strings.Join(fws, "\n"))},
		{"Audit period", d.period()},
		{"Assessed as of", d.line(d.r.Project.AsOf)},
		{"Threat model", d.line(d.r.Model.Title)},
		{"Package", d.orNone(d.line(d.opts.PackageID))},
		{"Signer", d.signerText()},
	}
	if st := d.opts.SigningTime; !st.IsZero() {
		rows = append(rows, [2]string{"Signed at", st.UTC().Format("2006-01-02 15:04:05") + " UTC (the signer's claim)"})
	}
	rows = append(rows, [2]string{"Produced by", d.line(d.r.Tool.Name + " " + d.r.Tool.Version + ", results schema " + d.r.SchemaVersion)})
	d.keyValues(42, rows...)
	if d.opts.DemoSignature {
		d.demoBox()
	}
	p.Ln(4)
	d.noteBox("What this report claims",
		"auditpack evaluates the technical part of each control against the threat model and the evidence "+
			"bundle. It never claims a full PCI DSS or SOC 2 verdict from a threat model alone: controls marked "+
			"\"partial\" coverage have only their technical part satisfied and still need the auditor's judgement of "+
			"the rest, and \"manual\" controls wait for an auditor: to confirm a scope, to judge a control no automated "+
			"rule covers, or to judge what the rules leave open. \"Excepted\" and \"manual\" are never counted as satisfied. "+
			"Every statement here comes from results.json in the same package.")
}

func (d *doc) orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "(none)"
	}
	return s
}

// demoBox is the unmistakable marking of a demo package on the cover.
func (d *doc) demoBox() {
	p := d.pdf
	p.Ln(3)
	y := p.GetY()
	d.fillColor(paleRed)
	d.drawColor(red)
	p.SetLineWidth(0.8)
	p.Rect(marginX, y, contentW, 22, "FD")
	d.textColor(red)
	d.font("B", 14)
	p.SetXY(marginX, y+3)
	p.CellFormat(contentW, 7, "DEMO SIGNATURE", "", 1, "C", false, 0, "")
	d.font("", 9)
	p.SetX(marginX)
	p.CellFormat(contentW, 5, "This package is signed with a throwaway demonstration key.", "", 1, "C", false, 0, "")
	p.SetX(marginX)
	p.CellFormat(contentW, 5, "It is not audit evidence and must not be sent to an auditor or a bank.", "", 1, "C", false, 0, "")
	d.textColor(black)
	p.SetXY(marginX, y+25)
}

// noteBox prints a framed explanatory note.
func (d *doc) noteBox(title, text string) {
	p := d.pdf
	d.font("", 8.5)
	lines := d.wrap(text, contentW-8)
	h := lineHeight(8.5)
	boxH := float64(len(lines))*h + lineHeight(9) + 5
	d.need(boxH)
	y := p.GetY()
	d.fillColor(rgb{240, 244, 250})
	d.drawColor(rgb{150, 170, 200})
	p.SetLineWidth(0.3)
	p.Rect(marginX, y, contentW, boxH, "FD")
	d.font("B", 9)
	d.textColor(navy)
	p.SetXY(marginX+3, y+2)
	p.CellFormat(contentW-6, lineHeight(9), title, "", 1, "L", false, 0, "")
	d.font("", 8.5)
	d.textColor(black)
	for _, l := range lines {
		p.SetX(marginX + 3)
		p.CellFormat(contentW-6, h, l, "", 1, "L", false, 0, "")
	}
	p.SetXY(marginX, y+boxH+3)
	d.font("", 9)
}

// contents is the table of contents, with page numbers from the previous
// layout pass and links to every chapter and framework section.
func (d *doc) contents() {
	d.chapterStart("contents", titleContents)
	entry := func(title, key string, indent float64, bold bool) {
		p := d.pdf
		h := lineHeight(10) + 1
		d.need(h)
		d.font(style(bold), 10)
		page := ""
		if n := d.pageOf(key); n > 0 {
			page = fmt.Sprint(n)
		}
		y := p.GetY()
		p.SetX(marginX + indent)
		p.CellFormat(contentW-indent-15, h, d.fit(title, contentW-indent-17), "", 0, "L", false, 0, "")
		p.CellFormat(15, h, page, "", 1, "R", false, 0, "")
		p.Link(marginX, y, contentW, h, d.link(key))
	}
	for _, t := range chapters[1:] {
		entry(t, chapterKeys[t], 0, true)
		if t == titleSummary && d.opts.Changes != nil {
			entry(titleChanges, keyChanges, 0, true)
		}
		if t == titleScope {
			entry(titleDiagram, keyDiagram, 0, true)
		}
		switch t {
		case titleControls:
			for _, f := range d.fws {
				entry(d.line(f.Title), "controls:"+f.Ref, 6, false)
			}
		case titleFindings:
			for _, f := range d.fws {
				entry(d.line(f.Title), "findings:"+f.Ref, 6, false)
			}
		case titleApplicability:
			for _, f := range d.fws {
				entry(d.line(f.Title), keyApplicability+":"+f.Ref, 6, false)
			}
		}
	}
	d.font("", 9)
}
