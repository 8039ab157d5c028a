package oscal

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/reports/reporttest"
)

const schemaPath = "testdata/schemas/oscal/v1.1.3/oscal_assessment-results_schema.json"

func render(t *testing.T, r *audit.Results) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDemoMatchesTheOSCALSchemaAndIsDeterministic(t *testing.T) {
	s := reporttest.Schema(t, schemaPath)
	out := render(t, reporttest.Demo(t))
	if err := reporttest.Validate(s, out); err != nil {
		t.Fatalf("OSCAL output does not match the assessment-results schema: %v", err)
	}
	if !bytes.Equal(out, render(t, reporttest.Demo(t))) {
		t.Error("two renderings of equal results differ")
	}
	broken := bytes.Replace(out, []byte(`"state": "not-satisfied"`), []byte(`"state": "failed"`), 1)
	if bytes.Equal(broken, out) || reporttest.Validate(s, broken) == nil {
		t.Fatal("the schema must refuse a finding state outside satisfied and not-satisfied")
	}
}

func TestEveryUUIDIsAVersion5UUIDAndUnique(t *testing.T) {
	out := string(render(t, reporttest.Demo(t)))
	re := regexp.MustCompile(`"(uuid|subject-uuid|observation-uuid|risk-uuid)": "([^"]+)"`)
	v5 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	defined := map[string]bool{}
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		if !v5.MatchString(m[2]) {
			t.Errorf("%s %s is not a version 5 UUID", m[1], m[2])
		}
		if m[1] == "uuid" {
			if defined[m[2]] {
				t.Errorf("uuid %s is defined twice", m[2])
			}
			defined[m[2]] = true
		}
	}
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		if m[1] != "uuid" && !defined[m[2]] {
			t.Errorf("%s %s points at nothing", m[1], m[2])
		}
	}
	for _, m := range regexp.MustCompile(`"href": "#([^"]+)"`).FindAllStringSubmatch(out, -1) {
		if !defined[m[1]] {
			t.Errorf("link #%s points at no resource", m[1])
		}
	}
	if UUID("a", "b") != UUID("a", "b") || UUID("a", "b") == UUID("ab") {
		t.Error("UUID must be a function of its parts, with parts kept apart")
	}
	// RFC 9562 test vector: version 5 of "www.example.com" in the DNS namespace.
	dns := [16]byte{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	if got := format(uuid5(dns, "www.example.com")); got != "2ed6657d-e927-568b-95e1-2665a8aea6a2" {
		t.Errorf("uuid5 test vector: %s", got)
	}
}

func TestStructureFollowsTheResults(t *testing.T) {
	r := reporttest.Demo(t)
	doc := Build(r)
	res := doc.AssessmentResults.Results[0]
	if len(res.Findings) != len(r.Controls) || len(res.Observations) != len(r.RuleResults) {
		t.Fatalf("%d findings for %d controls, %d observations for %d rule results",
			len(res.Findings), len(r.Controls), len(res.Observations), len(r.RuleResults))
	}
	n := 0
	for _, cs := range res.ReviewedControls.ControlSelections {
		n += len(cs.IncludeControls)
	}
	if n != len(r.Controls) {
		t.Errorf("%d reviewed controls, want %d", n, len(r.Controls))
	}
	ids := map[string]bool{}
	for i, c := range r.Controls {
		f := res.Findings[i]
		verdict := ""
		for _, p := range f.Target.Props {
			if p.Name == "verdict" {
				verdict = p.Value
			}
		}
		if verdict != string(c.Verdict) {
			t.Errorf("%s: verdict prop %q, want %q", c.Ref, verdict, c.Verdict)
		}
		satisfied := f.Target.Status.State == "satisfied"
		if satisfied != (c.Verdict == eval.Satisfied || c.Verdict == eval.NotApplicable) {
			t.Errorf("%s (%s): state %s", c.Ref, c.Verdict, f.Target.Status.State)
		}
		if ids[f.Target.TargetID] {
			t.Errorf("target id %s used twice", f.Target.TargetID)
		}
		ids[f.Target.TargetID] = true
	}
	if res.Start != "2025-12-01T00:00:00Z" || res.End != "2026-11-15T00:00:00Z" || doc.AssessmentResults.Metadata.LastModified != "2026-11-15T00:00:00Z" {
		t.Errorf("start %s, end %s, last-modified %s", res.Start, res.End, doc.AssessmentResults.Metadata.LastModified)
	}
	if len(res.Risks) == 0 {
		t.Fatal("the demo's open threat T-2 on in-scope elements must be a risk")
	}
	for _, rk := range res.Risks {
		if !strings.Contains(rk.Statement, "T-2") && !strings.Contains(rk.Statement, "T-5") {
			t.Errorf("unexpected risk %s", rk.Statement)
		}
	}
	hashes := 0
	for _, rs := range doc.AssessmentResults.BackMatter.Resources {
		for _, l := range rs.RLinks {
			if !strings.HasPrefix(l.Href, "evidence/") || len(l.Hashes) != 1 || len(l.Hashes[0].Value) != 64 {
				t.Errorf("resource %s: %+v", rs.Title, l)
			}
			hashes++
		}
	}
	if hashes == 0 {
		t.Error("no evidence file in back-matter")
	}
}

func TestControlIDs(t *testing.T) {
	for _, tt := range [][3]string{
		{"pci-dss", "4.2.1", "pci-dss_4.2.1"},
		{"aicpa-tsc", "CC6.1", "aicpa-tsc_cc6.1"},
		{"nist-sp800-53", "AC-2(1)", "nist-sp800-53_ac-2.1"},
		{"hipaa", "164.312(e)(2)(ii)", "hipaa_164.312.e.2.ii"},
		{"iso-iec-27001", "A.8.24", "iso-iec-27001_a.8.24"},
		{"800", "x y", "fw-800_x-y"},
	} {
		if got := ControlID(tt[0], tt[1]); got != tt[2] {
			t.Errorf("ControlID(%q, %q) = %q, want %q", tt[0], tt[1], got, tt[2])
		}
	}
}

func TestTextOnlyRewritesWhatNeedsIt(t *testing.T) {
	slow := func(s, fallback string) string {
		s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
		if s == "" {
			return fallback
		}
		return s
	}
	for _, s := range []string{"", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "a\nb", "a\r\n", "\v", "\f",
		"é ü", "a\u00a0b", "a\u0085b", "a\u2028b", "a\u3000", "\u200b", "\xff", "a\xc3", "\uFFFD", "a\x00b", "<&>"} {
		if got, want := text(s, "fallback"), slow(s, "fallback"); got != want {
			t.Errorf("text(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestHostileTextStaysValid(t *testing.T) {
	r := reporttest.Demo(t)
	r.Project.System = "  \n\t"
	r.Model.Title = "line one\nline two  "
	r.Controls[0].Name = ""
	r.Controls[0].Reason = "\x00 \u2028"
	out := render(t, r)
	if err := reporttest.Validate(reporttest.Schema(t, schemaPath), out); err != nil {
		t.Fatalf("hostile text broke the document: %v", err)
	}
	var v any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
}
