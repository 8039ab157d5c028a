package main

import (
	"path/filepath"
	"testing"

	"github.com/auditpack/auditpack/audit"
)

// TestImportedProjects runs check end to end on real exports of each format,
// each with a small overlay and evidence bundle under testdata/projects, and
// asserts control verdicts that follow from the model.
func TestImportedProjects(t *testing.T) {
	tests := []struct {
		project string
		format  string
		want    map[string]string // control ref → verdict
		results map[string]string // "rule|element name" → verdict
	}{
		{"threat-dragon", "threat-dragon", map[string]string{
			"pci-dss@4.0.1:4.2.1":          "manual",         // the browser request is satisfied; other flows leave the CDE web app with no data listed
			"pci-dss@4.0.1:8.3.2":          "not-satisfied",  // the config store joined to the CDE web app only plans credential encryption
			"aicpa-tsc@2017-pof2022:CC6.7": "needs-evidence", // the response flow has no scan
			"aicpa-tsc@2017-pof2022:CC6.1": "not-satisfied",  // no implemented encryption at rest (the unticked box says nothing)
			"pci-dss@4.0.1:6.4.2":          "manual",         // no web-app type in the export: an auditor confirms the scope
		}, map[string]string{
			"pci-4.2.1-pan-open-networks|Web Request": "satisfied", // HTTP/S with a fresh scan
			"pci-4.2.1-pan-open-networks|Queries":     "manual",    // lists no data, leaves the CDE web app
		}},
		{"otm", "otm", map[string]string{
			"pci-dss@4.0.1:6.4.2":          "manual",        // a blocking WAF with evidence, but the export keeps its critical threat open
			"pci-dss@4.0.1:4.2.1":          "not-satisfied", // card data from the internet, no encryption
			"pci-dss@4.0.1:3.5.1":          "not-satisfied", // card data stored, nothing renders it unreadable
			"aicpa-tsc@2017-pof2022:CC6.7": "not-satisfied",
		}, nil},
		{"threagile", "threagile", map[string]string{
			"aicpa-tsc@2017-pof2022:CC6.1": "not-satisfied", // the contract file server is unencrypted
			"aicpa-tsc@2017-pof2022:CC6.7": "not-satisfied", // the Jenkins UI link has no declared TLS
			"pci-dss@4.0.1:4.2.1":          "manual",        // no PAN: an auditor confirms the scope
		}, map[string]string{
			"soc2-cc6.7-transmission-encryption|Customer Traffic":      "satisfied",
			"soc2-cc6.7-transmission-encryption|Jenkins Web-UI Access": "not-satisfied",
			"soc2-cc6.1-encryption-at-rest|Contract File Server":       "not-satisfied",
		}},
		{"tmt", "tmt", map[string]string{
			"aicpa-tsc@2017-pof2022:CC6.7": "not-satisfied", // HTTPS only recorded for the request
			"aicpa-tsc@2017-pof2022:A1.2":  "not-satisfied",
		}, map[string]string{
			// The export keeps the threats these mitigations answer open,
			// so an auditor must judge whether they work.
			"soc2-cc6.1-logical-access|API Request":           "manual",
			"soc2-cc6.7-transmission-encryption|API Request":  "manual",
			"soc2-cc6.7-transmission-encryption|API Response": "not-satisfied",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.project, func(t *testing.T) {
			cfg := filepath.Join("..", "..", "testdata", "projects", tt.project, "auditpack.yaml")
			code, stdout, stderr := runCLI(t, "check", "-c", cfg, "--format", "json")
			if code != exitFailing {
				t.Fatalf("check exited %d, want %d (controls fail): %s", code, exitFailing, stderr)
			}
			var res audit.Results
			if err := unmarshalResults([]byte(stdout), &res); err != nil {
				t.Fatal(err)
			}
			if res.Model.Source.Format != tt.format {
				t.Errorf("format %q, want %q", res.Model.Source.Format, tt.format)
			}
			got := map[string]string{}
			for _, c := range res.Controls {
				got[c.Ref] = string(c.Verdict)
			}
			for ref, want := range tt.want {
				if got[ref] != want {
					t.Errorf("%s: %s, want %s", ref, got[ref], want)
				}
			}
			byElement := map[string]string{}
			for _, rr := range res.RuleResults {
				byElement[rr.Rule+"|"+rr.Element.Name] = string(rr.Verdict)
			}
			for key, want := range tt.results {
				if byElement[key] != want {
					t.Errorf("%s: %q, want %s", key, byElement[key], want)
				}
			}
		})
	}
}
