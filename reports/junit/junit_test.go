package junit

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/reports/reporttest"
	"github.com/auditpack/auditpack/reports/view"
)

// xsdSuites mirrors the strict Ant schema (testdata/schemas/junit/JUnit.xsd)
// independently of the renderer's own types, so a field the renderer drops
// or renames shows up here. Required attributes are strings so that a
// missing one decodes as "" and is caught.
type xsdSuites struct {
	XMLName xml.Name   `xml:"testsuites"`
	Attrs   []xml.Attr `xml:",any,attr"`
	Suites  []xsdSuite `xml:"testsuite"`
}

type xsdSuite struct {
	Name       string `xml:"name,attr"`
	Package    string `xml:"package,attr"`
	ID         string `xml:"id,attr"`
	Timestamp  string `xml:"timestamp,attr"`
	Hostname   string `xml:"hostname,attr"`
	Tests      string `xml:"tests,attr"`
	Failures   string `xml:"failures,attr"`
	Errors     string `xml:"errors,attr"`
	Skipped    string `xml:"skipped,attr"`
	Time       string `xml:"time,attr"`
	Properties *struct {
		Property []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"property"`
	} `xml:"properties"`
	Cases []struct {
		Name      string `xml:"name,attr"`
		Classname string `xml:"classname,attr"`
		Time      string `xml:"time,attr"`
		Failure   *struct {
			Message string `xml:"message,attr"`
			Type    string `xml:"type,attr"`
		} `xml:"failure"`
		Error *struct {
			Type string `xml:"type,attr"`
		} `xml:"error"`
		Skipped *struct {
			Message string `xml:"message,attr"`
		} `xml:"skipped"`
	} `xml:"testcase"`
	SystemOut *string `xml:"system-out"`
	SystemErr *string `xml:"system-err"`
}

func render(t *testing.T, r *audit.Results) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDemoParsesAsJUnitWithConsistentCounts(t *testing.T) {
	r := reporttest.Demo(t)
	out := render(t, r)
	if !bytes.Equal(out, render(t, r)) {
		t.Error("two renderings of equal results differ")
	}
	var doc xsdSuites
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	if len(doc.Attrs) != 0 {
		t.Errorf("the strict schema allows no attributes on testsuites: %v", doc.Attrs)
	}
	if len(doc.Suites) != len(r.Frameworks) {
		t.Fatalf("%d suites for %d frameworks", len(doc.Suites), len(r.Frameworks))
	}
	verdicts := map[string]eval.Verdict{}
	manual := map[string]string{}
	for _, c := range r.Controls {
		key := c.Framework + " " + strings.Join(strings.Fields(c.ID+" "+c.Name), " ")
		verdicts[key], manual[key] = c.Verdict, c.Manual
	}
	for i, s := range doc.Suites {
		f := r.Frameworks[i]
		for attr, v := range map[string]string{"name": s.Name, "package": s.Package, "id": s.ID, "timestamp": s.Timestamp,
			"hostname": s.Hostname, "tests": s.Tests, "failures": s.Failures, "errors": s.Errors, "time": s.Time} {
			if v == "" {
				t.Errorf("suite %d: required attribute %s is missing", i, attr)
			}
		}
		if s.Properties == nil || s.SystemOut == nil || s.SystemErr == nil {
			t.Errorf("suite %s: properties, system-out and system-err are required", s.Name)
		}
		var fails, errs, skips int
		for _, c := range s.Cases {
			if c.Name == "" || c.Classname == "" || c.Time == "" {
				t.Errorf("test case %+v lacks a required attribute", c)
			}
			v, ok := verdicts[c.Classname+" "+c.Name]
			if !ok {
				t.Errorf("test case %s %q is no control", c.Classname, c.Name)
			}
			switch {
			case c.Failure != nil:
				fails++
				if c.Failure.Type != string(v) || (v != eval.NotSatisfied && v != eval.NeedsEvidence) {
					t.Errorf("%s: failure of type %q for verdict %s", c.Name, c.Failure.Type, v)
				}
			case c.Error != nil:
				errs++
			case c.Skipped != nil:
				skips++
				prefix := map[eval.Verdict]string{eval.Manual: "manual (" + view.ManualLabel(manual[c.Classname+" "+c.Name]) + "): ",
					eval.Excepted: "excepted by EX-"}[v]
				if prefix == "" || !strings.HasPrefix(c.Skipped.Message, prefix) {
					t.Errorf("%s: skipped %q for verdict %s", c.Name, c.Skipped.Message, v)
				}
			default:
				if v != eval.Satisfied && v != eval.NotApplicable {
					t.Errorf("%s passes with verdict %s", c.Name, v)
				}
			}
		}
		for attr, pair := range map[string][2]int{"tests": {atoi(t, s.Tests), len(s.Cases)}, "failures": {atoi(t, s.Failures), fails},
			"errors": {atoi(t, s.Errors), errs}, "skipped": {atoi(t, s.Skipped), skips}} {
			if pair[0] != pair[1] {
				t.Errorf("suite %s: %s=%d but %d test cases say so", s.Name, attr, pair[0], pair[1])
			}
		}
		if len(s.Cases) != f.Controls || fails != f.Counts.NotSatisfied+f.Counts.NeedsEvidence || skips != f.Counts.Manual+f.Counts.Excepted {
			t.Errorf("suite %s disagrees with the framework counts %+v", s.Name, f.Counts)
		}
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Errorf("count %q is not an integer", s)
	}
	return n
}

// TestValidatesAgainstTheAntSchema runs xmllint against the vendored strict
// schema. Without xmllint it skips, except under CI=true, where a skipped
// schema check would pass silently.
func TestValidatesAgainstTheAntSchema(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint is required under CI=true (apt-get install -y libxml2-utils)")
		}
		t.Skip("xmllint not installed (apt-get install -y libxml2-utils): JUnit output not validated against JUnit.xsd")
	}
	xsd := reporttest.Path("testdata/schemas/junit/JUnit.xsd")
	check := func(doc []byte) ([]byte, error) {
		p := filepath.Join(t.TempDir(), "junit.xml")
		if err := os.WriteFile(p, doc, 0o644); err != nil {
			t.Fatal(err)
		}
		return exec.Command(xmllint, "--noout", "--nonet", "--schema", xsd, p).CombinedOutput()
	}
	out := render(t, reporttest.Demo(t))
	if msg, err := check(out); err != nil {
		t.Fatalf("xmllint refuses the JUnit output: %v\n%s", err, msg)
	}
	broken := bytes.Replace(out, []byte(` hostname="auditpack"`), nil, 1)
	if _, err := check(broken); err == nil {
		t.Fatal("xmllint accepted a suite without its required hostname: the check proves nothing")
	}
}

func TestHostileTextStaysWellFormed(t *testing.T) {
	r := reporttest.Demo(t)
	r.Controls[0].Name = "a\x00b\x1b]c <x>&amp; \"q\" \xff"
	r.Controls[0].Reason = "]]> </failure><error/>"
	var doc xsdSuites
	if err := xml.Unmarshal(render(t, r), &doc); err != nil {
		t.Fatalf("hostile text broke the XML: %v", err)
	}
}

// TestWarningsGoToEverySuitesSystemErr: the run's warnings concern the
// inputs, so each framework's suite carries them all.
func TestWarningsGoToEverySuitesSystemErr(t *testing.T) {
	r := reporttest.Demo(t)
	r.Warnings = []audit.Warning{{Source: "auditpack.yaml: at /overlay/zones/0", Message: "matches no element of the model"}}
	var doc xsdSuites
	if err := xml.Unmarshal(render(t, r), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Suites) == 0 {
		t.Fatal("no suites")
	}
	for _, s := range doc.Suites {
		if s.SystemErr == nil || *s.SystemErr != "warning: auditpack.yaml: at /overlay/zones/0: matches no element of the model\n" {
			t.Errorf("suite %s system-err: %v", s.Name, s.SystemErr)
		}
	}
}

// TestSuitesCountSatisfiedAndManualByPart checks the counts each suite
// carries: a property per part and the same parts in system-out, adding up
// to the framework's controls, with no bare satisfied count.
func TestSuitesCountSatisfiedAndManualByPart(t *testing.T) {
	r := reporttest.Demo(t)
	var doc xsdSuites
	if err := xml.Unmarshal(render(t, r), &doc); err != nil {
		t.Fatal(err)
	}
	for i, s := range doc.Suites {
		f := r.Frameworks[i]
		props := map[string]string{}
		for _, p := range s.Properties.Property {
			props[p.Name] = p.Value
		}
		sum := 0
		for _, p := range view.Parts() {
			name := "controls_" + strings.ReplaceAll(p.Key, "-", "_")
			n := p.Of(f.Counts)
			if props[name] != strconv.Itoa(n) {
				t.Errorf("suite %s: property %s = %q, want %d", s.Name, name, props[name], n)
			}
			if !strings.Contains(*s.SystemOut, strconv.Itoa(n)+" "+p.Label) {
				t.Errorf("suite %s: system-out %q lacks %d %s", s.Name, *s.SystemOut, n, p.Label)
			}
			sum += n
		}
		if sum != f.Controls {
			t.Errorf("suite %s: the parts add up to %d, not to the %d controls", s.Name, sum, f.Controls)
		}
		if err := view.CheckCounts(f.Counts); err != nil {
			t.Errorf("suite %s: %v", s.Name, err)
		}
		if m := regexp.MustCompile(`(^|, )\d+ satisfied(,|$)`).FindString(*s.SystemOut); m != "" {
			t.Errorf("suite %s: system-out has a bare satisfied count %q", s.Name, m)
		}
	}
}

// TestExceptedNamesOnlyTheExceptionsThatApply checks that an excepted
// control's skip message names the exceptions that made it excepted, not
// an expired one that also names the control: SARIF suppresses the result
// with the first only, and the report says only it applies.
func TestExceptedNamesOnlyTheExceptionsThatApply(t *testing.T) {
	r := reporttest.Demo(t)
	n := 0
	for i := range r.Controls {
		if c := &r.Controls[i]; c.Verdict == eval.Excepted {
			c.Exceptions = append(c.Exceptions, "EX-EXPIRED")
			n++
		}
	}
	if n == 0 {
		t.Fatal("the demo has no excepted control")
	}
	for _, s := range Build(r).Suites {
		for _, c := range s.Cases {
			if c.Skipped == nil || !strings.HasPrefix(c.Skipped.Message, "excepted by ") {
				continue
			}
			n--
			if strings.Contains(c.Skipped.Message, "EX-EXPIRED") || !strings.Contains(c.Skipped.Message, "EX-") {
				t.Errorf("%s: %q", c.Name, c.Skipped.Message)
			}
		}
	}
	if n != 0 {
		t.Errorf("%d excepted controls without an \"excepted by\" case", n)
	}
}
