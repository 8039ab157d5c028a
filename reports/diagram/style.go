package diagram

import "github.com/auditpack/auditpack/audit/eval"

// RGB is a colour.
type RGB struct{ R, G, B uint8 }

// Colours of the picture, shared by the PDF and the SVG.
var (
	ZoneLine    = RGB{120, 130, 150}
	ZoneFill    = RGB{248, 249, 252}
	CDELine     = RGB{176, 0, 0}
	CDEFill     = RGB{255, 240, 236}
	FindingLine = RGB{200, 0, 120}
	TextColour  = RGB{20, 20, 20}
	MutedText   = RGB{90, 90, 90}
)

// Colours gives a verdict's line colour and its pale fill: the same hues
// as the verdicts in the rest of the report.
func Colours(v eval.Verdict) (line, fill RGB) {
	switch v {
	case eval.NotSatisfied:
		return RGB{176, 0, 0}, RGB{252, 226, 226}
	case eval.NeedsEvidence:
		return RGB{190, 100, 0}, RGB{254, 238, 214}
	case eval.Excepted:
		return RGB{110, 40, 150}, RGB{238, 228, 248}
	case eval.Manual:
		return RGB{30, 80, 150}, RGB{224, 234, 248}
	case eval.Satisfied:
		return RGB{0, 120, 45}, RGB{222, 242, 226}
	case eval.NotApplicable:
		return RGB{120, 120, 120}, RGB{240, 240, 240}
	}
	return RGB{70, 70, 70}, RGB{255, 255, 255}
}

// LegendEntry is one line of the legend.
type LegendEntry struct {
	// Verdict is set for a verdict's colour; Mark names another sign.
	Verdict eval.Verdict
	Mark    string
	Text    string
}

// Marks of the legend other than verdict colours.
const (
	MarkCDE        = "cde-zone"
	MarkFinding    = "scope-finding"
	MarkOutOfScope = "out-of-scope"
	MarkClass      = "class"
)

// Legend lists what the colours and marks of a diagram mean, verdicts
// worst first.
func Legend() []LegendEntry {
	out := []LegendEntry{}
	for _, v := range eval.Verdicts {
		out = append(out, LegendEntry{Verdict: v, Text: "worst verdict " + string(v)})
	}
	out = append(out,
		LegendEntry{Verdict: NoVerdict, Text: "no rule judges the element"},
		LegendEntry{Mark: MarkCDE, Text: cdeNote + " (tagged cde, or inside one)"},
		LegendEntry{Mark: MarkFinding, Text: "scope finding: e.g. account data outside every CDE zone"},
		LegendEntry{Mark: MarkOutOfScope, Text: "declared out of scope (dashed)"},
		LegendEntry{Mark: MarkClass, Text: "CDE, connected-to, security-impacting, third-party: derived scope class"},
	)
	return out
}
