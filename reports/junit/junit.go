// Package junit renders [audit.Results] as JUnit XML, so that any CI
// server's test report shows controls as test cases: one test suite per
// framework, one test case per control.
//
// # Mapping
//
//   - not-satisfied → <failure type="not-satisfied">
//   - needs-evidence → <failure type="needs-evidence">. A failure and not an
//     <error>: the control was evaluated and is not demonstrated, which is
//     what a failure means; JUnit keeps <error> for a test that could not
//     run, and CI servers hide errors in different places.
//   - manual → <skipped message="manual (scope to confirm): ...">, naming
//     why the control is manual
//   - excepted → <skipped message="excepted by EX-...">, never a pass
//   - satisfied and not-applicable → a passing test case; the suite's
//     properties and system-out count technical-part satisfied and satisfied
//     in full apart, so a pass never reads as a requirement met
//
// The run's warnings go to every suite's system-err, one a line.
//
// The document follows the strict Apache Ant schema (windyroad JUnit.xsd):
// a bare <testsuites> root, and on each suite the required package, id,
// hostname, timestamp and time attributes and the properties, system-out
// and system-err elements. Nothing comes from the machine or the clock: the
// hostname is "auditpack", the timestamp the as-of date and every time 0,
// so equal results give identical bytes.
package junit

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/printable"
	"github.com/auditpack/auditpack/reports/view"
)

// Suites is the document root.
type Suites struct {
	XMLName xml.Name `xml:"testsuites"`
	Suites  []Suite  `xml:"testsuite"`
}

// Suite is one framework.
type Suite struct {
	Name       string     `xml:"name,attr"`
	Package    string     `xml:"package,attr"`
	ID         int        `xml:"id,attr"`
	Timestamp  string     `xml:"timestamp,attr"`
	Hostname   string     `xml:"hostname,attr"`
	Tests      int        `xml:"tests,attr"`
	Failures   int        `xml:"failures,attr"`
	Errors     int        `xml:"errors,attr"`
	Skipped    int        `xml:"skipped,attr"`
	Time       string     `xml:"time,attr"`
	Properties []Property `xml:"properties>property"`
	Cases      []Case     `xml:"testcase"`
	SystemOut  string     `xml:"system-out"`
	SystemErr  string     `xml:"system-err"`
}

// Property is a name and value of a suite.
type Property struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// Case is one control.
type Case struct {
	Name      string   `xml:"name,attr"`
	Classname string   `xml:"classname,attr"`
	Time      string   `xml:"time,attr"`
	Failure   *Outcome `xml:"failure,omitempty"`
	Error     *Outcome `xml:"error,omitempty"`
	Skipped   *Outcome `xml:"skipped,omitempty"`
}

// Outcome is a failure, error or skip with its message and detail.
type Outcome struct {
	Message string `xml:"message,attr,omitempty"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// Render writes r as JUnit XML.
func Render(w io.Writer, r *audit.Results) error {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(Build(r)); err != nil {
		return fmt.Errorf("encode junit: %w", err)
	}
	buf.WriteString("\n")
	_, err := w.Write(buf.Bytes())
	return err
}

// Build returns the JUnit document of r.
func Build(r *audit.Results) *Suites {
	doc := &Suites{Suites: []Suite{}}
	stamp := r.Project.AsOf + "T00:00:00"
	for i, fv := range view.Of(r).Frameworks {
		f := fv.Info
		s := Suite{Name: f.Ref, Package: f.ID, ID: i, Timestamp: stamp, Hostname: "auditpack", Time: "0",
			Properties: []Property{
				{"organisation", clean(r.Project.Organisation)}, {"system", clean(r.Project.System)},
				{"as_of", r.Project.AsOf}, {"framework", f.Ref}, {"coverage", "automated rules cover the technical part of controls only"},
			},
			Cases: []Case{}}
		for _, c := range r.Controls {
			if c.Framework != f.Ref {
				continue
			}
			tc := caseOf(c)
			s.Tests++
			switch {
			case tc.Failure != nil:
				s.Failures++
			case tc.Error != nil:
				s.Errors++
			case tc.Skipped != nil:
				s.Skipped++
			}
			s.Cases = append(s.Cases, tc)
		}
		s.SystemOut = f.Ref + ": " + countsText(fv.Counts)
		for _, p := range view.Parts() {
			s.Properties = append(s.Properties, Property{"controls_" + strings.ReplaceAll(p.Key, "-", "_"), strconv.Itoa(p.Of(fv.Counts))})
		}
		s.SystemErr = warnings(r)
		doc.Suites = append(doc.Suites, s)
	}
	return doc
}

// warnings lists the run's warnings, one a line, for every suite's
// system-err: they concern the inputs, so each framework's report shows them.
func warnings(r *audit.Results) string {
	var b strings.Builder
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "warning: %s: %s\n", w.Source, w.Message)
	}
	return clean(b.String())
}

// countsText lists the counts of a framework, satisfied and manual split
// into their parts, so a passing suite never reads as requirements met.
func countsText(c audit.Counts) string {
	var parts []string
	for _, p := range view.Parts() {
		parts = append(parts, strconv.Itoa(p.Of(c))+" "+p.Label)
	}
	return strings.Join(parts, ", ")
}

func caseOf(c audit.Control) Case {
	tc := Case{Name: clean(c.ID + " " + c.Name), Classname: c.Framework, Time: "0"}
	reason := clean(c.Reason)
	switch c.Verdict {
	case eval.NotSatisfied, eval.NeedsEvidence:
		tc.Failure = &Outcome{Message: reason, Type: string(c.Verdict), Text: detail(c)}
	case eval.Manual:
		prefix := "manual: "
		if why := view.ManualLabel(c.Manual); why != "" {
			prefix = "manual (" + why + "): "
		}
		tc.Skipped = &Outcome{Message: prefix + reason}
	case eval.Excepted:
		tc.Skipped = &Outcome{Message: "excepted by " + strings.Join(view.ExceptedBy(&c), ", ") + ": " + reason}
	}
	return tc
}

// detail lists a failing control's findings, one per line.
func detail(c audit.Control) string {
	var b strings.Builder
	for _, f := range c.Findings {
		if f.Verdict == eval.Satisfied || f.Verdict == eval.NotApplicable {
			continue
		}
		who := f.Element.ID
		if who == "" {
			who = "(system)"
		}
		fmt.Fprintf(&b, "%s on %s: %s", f.Rule, who, f.Verdict)
		if f.Note != "" {
			fmt.Fprintf(&b, " (%s)", f.Note)
		}
		b.WriteString("\n")
	}
	return clean(b.String())
}

// clean drops characters XML 1.0 cannot carry at all, which encoding/xml
// would otherwise replace or reject, and invalid UTF-8.
func clean(s string) string {
	// CI servers show these texts in logs and web pages: control and bidi
	// characters are shown escaped (printable.Text), line breaks kept.
	s = printable.Text(strings.ToValidUTF8(s, "\uFFFD"))
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000 {
			return r
		}
		return -1
	}, s)
}
