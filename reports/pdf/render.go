package pdf

import (
	"errors"
	"fmt"
	"github.com/auditpack/auditpack/reports/procedure"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/diff"
	"github.com/auditpack/auditpack/reports/diagram"
	"github.com/auditpack/auditpack/reports/view"
)

// Options is what the report says about the package it belongs to. None of
// it is in [audit.Results], because it is decided when the package is
// built, not when controls are evaluated.
type Options struct {
	// View is the view of the results every output shows (see package
	// view); nil builds it from the results.
	View *view.View
	// PackageID identifies the audit package on the cover and in every
	// footer, so a printed page can be traced to its package.
	PackageID string
	// Signer describes who signs the package (for example the certificate
	// subject and SHA-256 fingerprint). Empty means the report is unsigned,
	// and the cover says so.
	Signer string
	// Verification is the signer as the appendix's verification procedure
	// needs it (self-signed or not, fingerprint); the zero value, for an
	// unsigned report, shows the procedure of a CA-issued signer.
	Verification procedure.Signer
	// DemoSignature marks a package signed with a throwaway key (`auditpack
	// demo`), so that nobody mistakes it for real audit evidence: the cover
	// and every footer say DEMO SIGNATURE.
	DemoSignature bool
	// Changes, when set, adds the chapter "Changes since the previous
	// package" after the executive summary, and a line in the summary that
	// leads to it. Nil leaves the report byte for byte as it is without.
	Changes *diff.Changes
	// PreviousPackageID names the package Changes counts from, so a reader
	// can find the report the comparison starts at.
	PreviousPackageID string
	// SigningTime is when the package is signed, the signer's claim, shown
	// on the cover beside the as-of date it is not: the report is assessed
	// as of one date and signed, often days later, at another. The cover is
	// drawn before signing, so the caller passes the time it will sign at;
	// zero leaves the line out. It is the only date the report takes from
	// outside the results, so two reports of the same results differ only
	// when their signing times do.
	SigningTime time.Time
}

// Page geometry in millimetres (A4 portrait).
const (
	pageW, pageH = 210.0, 297.0
	marginX      = 15.0
	marginTop    = 20.0
	bottom       = pageH - 18.0 // nothing but the footer below this
	contentW     = pageW - 2*marginX
)

// maxPasses bounds the layout passes (see [Render]); the layout settles in
// two unless the substitution list in the appendix changes the page count.
const maxPasses = 4

// Render writes the PDF report for r to w. It reads nothing but r and opts,
// never modifies r, and gives identical bytes for identical inputs: dates
// come from the as-of date, but for the signing time the cover shows
// (opts.SigningTime), catalogs are sorted, and no clock or random source
// is used.
//
// The report is laid out more than once: a pass learns the page count, the
// page of every chapter and finding, and which characters needed a
// substitute; the next pass prints them ("page N of M", the contents, the
// page numbers of the top gaps, the appendix note). When two passes agree,
// the last one is written.
func Render(w io.Writer, r *audit.Results, opts Options) error {
	if r == nil {
		return errors.New("render PDF report: no results")
	}
	asOf, err := time.Parse(time.DateOnly, r.Project.AsOf)
	if err != nil {
		return fmt.Errorf("render PDF report: as-of date %q: %w", r.Project.AsOf, err)
	}
	g, err := glyphs()
	if err != nil {
		return fmt.Errorf("render PDF report: embedded font: %w", err)
	}
	m, err := metrics()
	if err != nil {
		return fmt.Errorf("render PDF report: embedded font metrics: %w", err)
	}
	diagrams, err := diagram.Of(r) // laid out once for every pass
	if err != nil {
		return fmt.Errorf("render PDF report: %w", err)
	}
	var prev layout
	for pass := 0; pass < maxPasses; pass++ {
		d := newDoc(r, opts, asOf, g, m, prev)
		d.diagrams = diagrams
		d.draft = pass == 0 // the first pass is never written: see below
		if err := d.build(); err != nil {
			return fmt.Errorf("render PDF report: %w", err)
		}
		cur := d.layout()
		if pass > 0 && cur.equal(prev) {
			if err := d.pdf.Output(w); err != nil {
				return fmt.Errorf("render PDF report: write: %w", err)
			}
			return nil
		}
		prev = cur
	}
	return errors.New("render PDF report: page layout did not settle")
}

// layout is what one pass learns for the next.
type layout struct {
	pages   int
	anchors map[string]int // anchor → page
	subs    []rune
}

func (a layout) equal(b layout) bool {
	return a.pages == b.pages && maps.Equal(a.anchors, b.anchors) && slices.Equal(a.subs, b.subs)
}

// doc is one layout pass over the results.
type doc struct {
	pdf    *fpdf.Fpdf
	r      *audit.Results
	opts   Options
	asOf   time.Time
	glyphs *glyphSet
	m      *fontMetrics
	k      float64 // points per millimetre, fpdf's scale factor
	ix     *index
	v      *view.View             // the counts, scope and states every output shows
	fws    []*audit.FrameworkInfo // see [frameworks]
	// diagrams are the laid-out scope diagrams (see [doc.scopeDiagram]).
	diagrams []*diagram.Diagram

	prev    layout
	anchors map[string]int
	links   map[string]int
	subs    map[rune]bool
	// style and size are fpdf's current font once fontSet; text is its
	// text colour once textSet. They let text be measured without asking
	// fpdf, and textColor skip what would not change anything.
	style   string
	size    float64
	fontSet bool
	text    rgb
	textSet bool
	chapter string
	// draft is set in a pass whose pages are never written, which only
	// learns the layout: table rows take their place on the page but are
	// not typeset, and the current font is not selected again.
	draft bool
	// onBreak redraws a table's header after a page break inside it.
	onBreak func()
}

func newDoc(r *audit.Results, opts Options, asOf time.Time, g *glyphSet, m *fontMetrics, prev layout) *doc {
	p := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	d := &doc{pdf: p, r: r, opts: opts, asOf: asOf, glyphs: g, m: m, prev: prev, ix: newIndex(r), v: view.OrOf(opts.View, r), fws: frameworks(r),
		anchors: map[string]int{}, links: map[string]int{}, subs: map[rune]bool{}}
	d.k = p.GetConversionRatio()
	p.SetCatalogSort(true)
	p.SetCreationDate(asOf)
	p.SetModificationDate(asOf)
	p.SetCompression(true)
	p.SetProducer("auditpack "+d.line(r.Tool.Version), true)
	p.SetCreator("auditpack "+d.line(r.Tool.Version), true)
	p.SetTitle(d.line("Audit report: "+r.Project.Organisation+", "+r.Project.System), true)
	p.SetSubject(d.line("Compliance audit as of "+r.Project.AsOf), true)
	p.SetAuthor(d.line(r.Project.Organisation), true)
	p.SetLang("en")
	p.SetDisplayMode("fullwidth", "single")
	p.SetMargins(marginX, marginTop, marginX)
	p.SetAutoPageBreak(false, 0)
	p.SetCellMargin(1)
	p.AddUTF8FontFromBytes(fontFamily, "", fontRegular)
	p.AddUTF8FontFromBytes(fontFamily, "B", fontBold)
	p.SetHeaderFuncMode(d.header, false)
	p.SetFooterFunc(d.footer)
	d.font("", 9)
	return d
}

// build lays out every chapter in order.
func (d *doc) build() error {
	d.cover()
	d.contents()
	d.summary()
	if d.opts.Changes != nil {
		d.changes()
	}
	d.scope()
	d.scopeDiagram()
	d.controls()
	d.applicability()
	d.findings()
	d.exceptions()
	d.evidence()
	d.requests()
	d.threats()
	d.appendix()
	d.samples()
	d.procedures()
	d.signOff()
	d.danglingLinks()
	if err := d.pdf.Error(); err != nil {
		return fmt.Errorf("layout: %w", err)
	}
	return nil
}

// danglingLinks points links whose target was never printed (a finding of
// a control the report could not place) at the cover rather than at
// nothing, which would make the PDF invalid.
func (d *doc) danglingLinks() {
	for _, name := range slices.Sorted(maps.Keys(d.links)) {
		if _, ok := d.anchors[name]; !ok {
			d.pdf.SetLink(d.links[name], 0, 1)
		}
	}
}

func (d *doc) layout() layout {
	return layout{pages: d.pdf.PageNo(), anchors: d.anchors, subs: d.substitutions()}
}

// font selects the embedded font in style "" or "B" at size points.
//
// fpdf writes a font operator on the page whenever a font is selected, even
// the current one again, and the report's pages are made of exactly those
// calls. A draft pass is never written, so there selecting the current font
// again is skipped.
func (d *doc) font(style string, size float64) {
	if d.draft && d.fontSet && style == d.style && size == d.size {
		return
	}
	d.style, d.size, d.fontSet = style, size, true
	d.pdf.SetFont(fontFamily, style, size)
}

// newPage starts a page of the current chapter and, inside a table,
// repeats its header.
func (d *doc) newPage() {
	d.pdf.AddPage()
	if d.onBreak != nil {
		d.onBreak()
	}
}

// need starts a new page unless h millimetres fit above the footer.
func (d *doc) need(h float64) {
	if d.pdf.GetY()+h > bottom {
		d.newPage()
	}
}

// anchor records where a chapter or finding starts, and makes it the target
// of its internal link.
func (d *doc) anchor(name string) {
	d.anchors[name] = d.pdf.PageNo()
	d.pdf.SetLink(d.link(name), d.pdf.GetY(), -1)
}

// link returns the internal link id for an anchor, creating it on first use
// so that links may point forward.
func (d *doc) link(name string) int {
	if id, ok := d.links[name]; ok {
		return id
	}
	id := d.pdf.AddLink()
	d.links[name] = id
	return id
}

// pageOf is the page of an anchor as laid out by the previous pass, or 0.
func (d *doc) pageOf(name string) int { return d.prev.anchors[name] }

func (d *doc) header() {
	if d.pdf.PageNo() == 1 {
		return
	}
	defer d.restoreAfterPageBreak()()
	p := d.pdf
	d.font("", 7.5)
	d.textColor(rgb{100, 100, 100})
	left := d.fit(d.line(d.r.Project.Organisation+" · "+d.r.Project.System), contentW*0.6)
	p.SetXY(marginX, 9)
	p.CellFormat(contentW*0.6, 4, left, "", 0, "L", false, 0, "")
	p.CellFormat(contentW*0.4, 4, d.fit(d.chapter, contentW*0.4), "", 0, "R", false, 0, "")
	p.SetDrawColor(180, 180, 180)
	p.SetLineWidth(0.2)
	p.Line(marginX, 14, pageW-marginX, 14)
	p.SetXY(marginX, marginTop)
}

func (d *doc) footer() {
	defer d.restoreAfterPageBreak()()
	p := d.pdf
	d.font("", 7.5)
	d.textColor(rgb{100, 100, 100})
	p.SetXY(marginX, pageH-13)
	id := d.opts.PackageID
	if id == "" {
		id = "(none)"
	}
	p.CellFormat(contentW*0.4, 4, d.fit(d.line("Package "+id), contentW*0.4), "", 0, "L", false, 0, "")
	if d.opts.DemoSignature {
		d.font("B", 7.5)
		d.textColor(rgb{180, 0, 0})
		p.CellFormat(contentW*0.35, 4, "DEMO SIGNATURE: not audit evidence", "", 0, "C", false, 0, "")
		d.font("", 7.5)
		d.textColor(rgb{100, 100, 100})
	} else {
		p.CellFormat(contentW*0.35, 4, "as of "+d.line(d.r.Project.AsOf), "", 0, "C", false, 0, "")
	}
	total := d.prev.pages
	if total < p.PageNo() {
		total = p.PageNo()
	}
	p.CellFormat(contentW*0.25, 4, fmt.Sprintf("Page %d of %d", p.PageNo(), total), "", 0, "R", false, 0, "")
}

// restoreAfterPageBreak is deferred by the page header and footer: fpdf
// runs them inside AddPage and afterwards restores the font and the text
// colour they found, so the record of both is restored with them.
func (d *doc) restoreAfterPageBreak() func() {
	style, size, fontSet, text, textSet := d.style, d.size, d.fontSet, d.text, d.textSet
	return func() { d.style, d.size, d.fontSet, d.text, d.textSet = style, size, fontSet, text, textSet }
}

// chapterStart begins a chapter on a new page with a bookmark, an anchor
// for the contents and a title.
func (d *doc) chapterStart(key, title string) {
	d.chapter = title
	d.newPage()
	d.pdf.Bookmark(title, 0, -1)
	d.anchor(key)
	d.font("B", 16)
	d.textColor(navy)
	d.pdf.CellFormat(contentW, 9, title, "", 1, "L", false, 0, "")
	d.pdf.SetDrawColor(20, 40, 80)
	d.pdf.SetLineWidth(0.5)
	y := d.pdf.GetY()
	d.pdf.Line(marginX, y, marginX+40, y)
	d.pdf.Ln(4)
	d.textColor(black)
	d.font("", 9)
}

// joinOr joins cleaned items with commas, or returns none.
func joinOr(items []string, none string) string {
	if len(items) == 0 {
		return none
	}
	return strings.Join(items, ", ")
}
