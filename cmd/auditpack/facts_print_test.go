package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/auditpack/auditpack/audit/evidence/facts"
)

// nmapRead is what a two-host nmap scan reads as, built by hand so that
// the printers are held to their layout whatever parsers exist.
func nmapRead() *facts.Read {
	return &facts.Read{Format: "nmap-xml", Tool: "nmap 7.94",
		Facts: []facts.Fact{
			{Name: "network.hosts_up", Value: 2, At: "/nmaprun/runstats/hosts"},
			{Name: "network.open_ports", Value: []int{22, 443}, At: "/nmaprun"},
			{Name: "scan.date", Value: "2026-10-05T08:00:00Z", At: "/nmaprun/runstats/finished"},
		},
		Targets: []facts.Fact{
			{Name: "network.open_ports", Value: []int{22}, At: "/nmaprun/host[1]/ports", Target: "db.internal"},
			{Name: "network.open_ports", Value: []int{443}, At: "/nmaprun/host[2]/ports", Target: "web.internal"},
		},
		Covered: []facts.Target{{Name: "db.internal", Aliases: []string{"10.0.0.7"}}, {Name: "web.internal", Aliases: []string{"10.0.0.8"}}},
		Checks:  []facts.Check{{ID: "ssl-enum-ciphers", Failed: 1, Passed: 3, Requirements: []string{"pci-dss@4.0.1:4.2.1"}, At: "/nmaprun/host[2]/ports/port[1]/script"}},
	}
}

func TestPrintFactsLayout(t *testing.T) {
	var out bytes.Buffer
	if err := printFacts(&out, "scans/net.xml", nmapRead()); err != nil {
		t.Fatal(err)
	}
	want := `file:   scans/net.xml
format: nmap-xml (Nmap XML (-oX))
tool:   nmap 7.94

facts about the whole file (3):
  network.hosts_up   2  (at /nmaprun/runstats/hosts)
  network.open_ports [22, 443]  (at /nmaprun)
  scan.date          "2026-10-05T08:00:00Z"  (at /nmaprun/runstats/finished)

targets (2):
  db.internal
    also known as: 10.0.0.7
    network.open_ports [22]  (at /nmaprun/host[1]/ports)
  web.internal
    also known as: 10.0.0.8
    network.open_ports [443]  (at /nmaprun/host[2]/ports)

checks (1):
  ssl-enum-ciphers: 1 failed, 3 passed; requirements pci-dss@4.0.1:4.2.1  (at /nmaprun/host[2]/ports/port[1]/script)
`
	got := out.String()
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestSkeletonProposesFromFacts holds evidence init to proposing, for a
// file it read, the kind its tool's output is, the scan's own date, the
// facts read (in a comment, never stated) and the hosts it covers.
func TestSkeletonProposesFromFacts(t *testing.T) {
	var out bytes.Buffer
	skeletonItem(&out, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), fileFacts{read: nmapRead()})
	got := out.String()
	for _, want := range []string{
		"    kind: network-scan   # proposed: the file is nmap-xml (nmap 7.94)\n",
		"    collected_at: \"2026-10-05T08:00:00Z\"   # read from the file at /nmaprun/runstats/finished\n",
		"    # facts read from the file, not to be stated here: network.hosts_up, network.open_ports, scan.date\n",
		"    # it covers db.internal, web.internal: name these in the overlay",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "facts:") {
		t.Errorf("facts read from the file are stated:\n%s", got)
	}
	for format, kind := range map[string]string{"testssl-json": "tls-scan", "sslyze-json": "tls-scan", "trivy-json": "container-scan",
		"grype-json": "container-scan", "prowler-ocsf-json": "posture-scan", "sarif": "sast-scan"} {
		out.Reset()
		skeletonItem(&out, time.Time{}, fileFacts{read: &facts.Read{Format: format, Tool: "x"}})
		if !strings.Contains(out.String(), "kind: "+kind+" ") {
			t.Errorf("%s: %s", format, out.String())
		}
	}
	out.Reset()
	skeletonItem(&out, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), fileFacts{})
	if !strings.Contains(out.String(), "kind: document\n") || !strings.Contains(out.String(), `collected_at: "2026-01-02"`) {
		t.Errorf("a file of no known format: %s", out.String())
	}
}
