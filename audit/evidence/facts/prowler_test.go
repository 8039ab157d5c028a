package facts

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const prowlerDir = corpusDir + "/prowler-ocsf-json"

// Each real file, with values checked by hand against it and the trap
// each one sets.
func TestProwlerRealFiles(t *testing.T) {
	for _, tc := range []struct {
		file string
		want map[string]any
	}{
		// Prowler 4.2.1, OCSF 1.2.0. Traps: status_id 3 on findings named
		// "New" (only the "Suppressed" one is muted), and times without a
		// zone (only the day is read).
		{"defectdojo__aws_prowler_v3plus_many_vuln.ocsf.json", map[string]any{
			"scan.tool":          "prowler 4.2.1",
			"scan.date":          "2024-06-03",
			"scan.findings_open": 2, "scan.high_open": 2, "scan.critical_open": 0,
			"scan.targets": []string{"123456789012"},
			"scan.failed_checks": []string{
				"iam_role_administratoraccess_policy_permissive_trust_relationship",
				"iam_role_cross_account_readonlyaccess_policy"},
			"scan.failed_resources": []string{
				"arn:aws:iam::123456789012:role/AuditRole",
				"arn:aws:iam::123456789012:role/myAdministratorExecutionRole"},
			"posture.requirements_failed": []string{"nist-csf@2.0:GV.RR-02"},
			"posture.requirements_passed": []string{},
		}},
		// Prowler 5, AWS, redacted upstream. Traps: MANUAL is no failure
		// (2 of 5 open), and product.version is a placeholder, not a
		// version: the tool is named without one.
		{"prowler__example_output_aws.ocsf.json", map[string]any{
			"scan.tool":          "prowler",
			"scan.date":          "2025-02-14T13:27:03Z",
			"scan.findings_open": 2, "scan.low_open": 1, "scan.medium_open": 1,
			"scan.failed_checks": []string{"accessanalyzer_enabled",
				"account_maintain_different_contact_details_to_security_billing_and_operations"},
			"posture.requirements_failed": []string{"iso-iec-27001@2022:A.5.6", "iso-iec-27001@2022:A.8.3",
				"nist-csf@2.0:GV.OV-02", "nist-csf@2.0:GV.OV-03"},
		}},
		// Prowler 5.4.0, GCP. Trap: the same check passes for two rules
		// and fails for a third; its requirements fail, none pass.
		{"prowler__example_output_gcp.ocsf.json", map[string]any{
			"scan.tool":          "prowler 5.4.0",
			"scan.findings_open": 2, "scan.critical_open": 1, "scan.medium_open": 1,
			"scan.failed_checks":          []string{"artifacts_container_analysis_enabled", "compute_firewall_rdp_access_from_the_internet_allowed"},
			"posture.requirements_passed": []string{},
		}},
		// Prowler 5.4.0, Kubernetes. Traps: no cloud object, so each
		// resource is a target and the provider comes from the container
		// profile; the one passing check's requirements pass.
		{"prowler__example_output_kubernetes.ocsf.json", map[string]any{
			"scan.findings_open": 5, "scan.high_open": 1, "scan.medium_open": 4,
			"scan.targets": []string{"<resource_uid>"},
			"posture.requirements_passed": []string{"iso-iec-27001@2022:A.5.15",
				"iso-iec-27001@2022:A.5.18", "iso-iec-27001@2022:A.8.2"},
		}},
		{"prowler__example_output_azure.ocsf.json", map[string]any{
			"scan.findings_open": 5, "scan.high_open": 1, "scan.medium_open": 3, "scan.low_open": 1,
			"scan.targets": []string{"<subscription_uid>"},
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(prowlerDir, tc.file)
			r := parseFile(t, "prowler-ocsf-json", path)
			checkTypes(t, r)
			for name, want := range tc.want {
				if got := factValue(r, name); !reflect.DeepEqual(got, want) {
					t.Errorf("%s = %#v, want %#v", name, got, want)
				}
			}
			checkGolden(t, path, r)
		})
	}
}

// A hand-made file with a muted failure, a MANUAL result, an
// informational failure and two projects.
func TestProwlerMutedManualAndRequirements(t *testing.T) {
	r := parseFile(t, "prowler-ocsf-json", filepath.Join(prowlerDir, "edge", "mixed.json"))
	checkTypes(t, r)
	want := map[string]any{
		"scan.tool": "prowler 5.6.0",
		// The later of an epoch and a zoned time_dt, in UTC.
		"scan.date": "2025-06-15T15:30:00Z",
		// The informational failure is open but in no severity bucket;
		// the muted critical one is not open at all.
		"scan.findings_open": 2, "scan.critical_open": 0, "scan.low_open": 1,
		"scan.targets":       []string{"proj-a", "proj-b"},
		"scan.failed_checks": []string{"artifacts_container_analysis_enabled", "compute_instance_public_ip"},
		// Only the requirement whose every mapped check passed: the ones a
		// passing check shares with a muted failure are neither.
		"posture.requirements_passed": []string{"hipaa-security-rule@2013:164.312(e)(1)"},
		"posture.requirements_failed": []string{
			"aicpa-tsc@2017-pof2022:CC3.1", "aicpa-tsc@2017-pof2022:CC6.6",
			"hipaa-security-rule@2013:164.308(a)(1)(ii)(B)", "hipaa-security-rule@2013:164.310(a)(1)",
			"hipaa-security-rule@2013:164.312(a)(1)", "iso-iec-27001@2022:A.8.1",
			"pci-dss@4.0.1:1.2.8", "pci-dss@4.0.1:1.4.2", "pci-dss@4.0.1:1.4.5",
			"pci-dss@4.0.1:11.3.1", "pci-dss@4.0.1:11.3.1.2", "pci-dss@4.0.1:11.3.1.3",
			"pci-dss@4.0.1:3.5.1.3", "pci-dss@4.0.1:A1.1.2", "pci-dss@4.0.1:A1.1.3", "pci-dss@4.0.1:A3.4.1",
		},
	}
	for name, w := range want {
		if got := factValue(r, name); !reflect.DeepEqual(got, w) {
			t.Errorf("%s = %#v, want %#v", name, got, w)
		}
	}
	var a []Fact
	for _, f := range r.TargetFacts("proj-a") {
		if f.Name == "scan.findings_open" || f.Name == "scan.failed_resources" {
			a = append(a, f)
		}
	}
	if len(a) != 2 || a[1].Value != 1 || !reflect.DeepEqual(a[0].Value, []string{"containeranalysis.googleapis.com"}) {
		t.Errorf("proj-a facts = %#v", a)
	}
	if len(r.Covered) != 2 || !reflect.DeepEqual(r.Covered[0].Aliases, []string{
		"Project A", "containeranalysis.googleapis.com",
		"projects/proj-a/global/firewalls/fw-1", "projects/proj-a/global/firewalls/fw-2"}) {
		t.Errorf("covered = %#v", r.Covered)
	}
	byID := map[string]Check{}
	for _, c := range r.Checks {
		byID[c.ID] = c
	}
	if c := byID["compute_firewall_ssh_access_from_the_internet_allowed"]; c.Failed != 0 || c.Passed != 0 || c.At != "/1" {
		t.Errorf("muted check = %+v, want no open failure", c)
	}
	if c := byID["compute_firewall_rdp_access_from_the_internet_allowed"]; c.Passed != 1 || len(c.Requirements) != 14 {
		t.Errorf("passing check = %+v", c)
	}
}

func TestProwlerEmptyScan(t *testing.T) {
	r, err := Parse("prowler-ocsf-json", strings.NewReader("[]\n"))
	if err != nil {
		t.Fatal(err)
	}
	checkTypes(t, r)
	if factValue(r, "scan.findings_open") != 0 || factValue(r, "scan.critical_open") != 0 {
		t.Errorf("facts = %+v, want nothing open", r.Facts)
	}
	if r.Tool != "prowler" {
		t.Errorf("tool = %q", r.Tool)
	}
}

// Broken files give an *Error naming the place and the offset.
func TestProwlerBrokenFiles(t *testing.T) {
	for _, tc := range []struct{ file, at, msg string }{
		{"truncated.json", "/0", "unexpected EOF"},
		{"status-number.json", "/0/status_code", `"status_code" is a JSON number, want a string`},
		{"status-unknown.json", "/0/status_code", `"ERROR" is none of`},
		{"no-check.json", "/0/metadata/event_code", "no check id"},
		{"object.json", "", "the document is an object, want an array"},
		{"trailing.json", "", "data after the end"},
		{"bad-time.json", "/0/time", "not an ISO 8601 time"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(prowlerDir, "edge", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Parse("prowler-ocsf-json", bytes.NewReader(data))
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a *facts.Error", err)
			}
			if fe.Format != "prowler-ocsf-json" || fe.At != tc.at || !strings.Contains(fe.Error(), tc.msg) {
				t.Errorf("err = %q (at %q), want at %q and %q", fe, fe.At, tc.at, tc.msg)
			}
			if fe.Offset <= 0 || fe.Offset > int64(len(data)) {
				t.Errorf("offset = %d, want within the file's %d bytes", fe.Offset, len(data))
			}
		})
	}
}

// No file of another format in the corpus is taken for Prowler output,
// and no Prowler file for another format.
func TestProwlerDetectsOnlyItsOwn(t *testing.T) {
	checkDetectsOnlyItsOwn(t, "prowler-ocsf-json", "prowler-ocsf-json")
}

func FuzzParseProwler(f *testing.F) {
	seedFuzzFrom(f, prowlerDir)
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(t, "prowler-ocsf-json", data)
	})
}

func TestPointerEscapesKeys(t *testing.T) {
	if got := ptr(ptr("", "a/b~c"), 3); got != "/a~1b~0c/3" {
		t.Errorf("ptr = %q", got)
	}
}
