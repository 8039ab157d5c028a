package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvidencePaddedFileIsStillRead: a real Trivy report (28 open
// critical findings) and a real nmap scan, each preceded by 70 000 bytes
// that change nothing of what they say (JSON white space; an XML comment
// before the root). Any JSON or XML reader reads the same document, but
// detection looks only at the first 64 KiB, finds no keys there, and the
// file counts as one no format recognises: its facts go unread, and the
// manifest's stated "scan.critical_open: 0" stands unchallenged, so
// evidence verify says ok. A file of a known format must be recognised
// whatever white space or comments come first (or refused when its head
// cannot be classified), so that a stated fact never outweighs what the
// file says.
func TestEvidencePaddedFileIsStillRead(t *testing.T) {
	trivy, err := os.ReadFile(filepath.Join("..", "..", "testdata", "evidence", "trivy-json", "scb__juice-shop-v12.10.2.json"))
	if err != nil {
		t.Fatal(err)
	}
	nmap, err := os.ReadFile(filepath.Join("..", "..", "testdata", "evidence", "nmap-xml", "ullaakut__scan_base.xml"))
	if err != nil {
		t.Fatal(err)
	}
	root := strings.Index(string(nmap), "<nmaprun")
	if root < 0 {
		t.Fatal("no nmaprun element")
	}
	paddedNmap := string(nmap[:root]) + "<!--" + strings.Repeat("x", 70_000) + "-->\n" + string(nmap[root:])
	paddedTrivy := strings.Repeat(" ", 70_000) + string(trivy)

	t.Run("evidence facts", func(t *testing.T) {
		for name, data := range map[string]string{"image.json": paddedTrivy, "net.xml": paddedNmap} {
			path := filepath.Join(t.TempDir(), name)
			if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := runCLI(t, "evidence", "facts", path)
			if code != exitOK {
				t.Errorf("%s: exit %d: %s", name, code, stderr)
				continue
			}
			if !strings.Contains(stdout, "format: ") {
				t.Errorf("%s: no format shown:\n%s", name, stdout)
			}
		}
	})

	t.Run("evidence verify", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "image.json"), []byte(paddedTrivy), 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(paddedTrivy))
		manifest := `schema: auditpack/evidence/v1
items:
  - id: EV-001
    title: "image scan"
    kind: container-scan
    collected_at: "2026-11-01"
    facts: {scan.critical_open: 0}
    files: [{path: "image.json", sha256: ` + hex.EncodeToString(sum[:]) + `}]
    supports: [{control: "pci-dss@4.0.1:6.3.3"}]
`
		if err := os.WriteFile(filepath.Join(dir, "manifest.yaml"), []byte(manifest), 0o644); err != nil {
			t.Fatal(err)
		}
		code, stdout, stderr := runCLI(t, "evidence", "verify", "--as-of", "2026-11-15", dir)
		if code == exitInternal {
			t.Fatalf("exit 4:\n%s%s", stdout, stderr)
		}
		if strings.Contains(stdout, "stated scan.critical_open = 0  (stated, not read)") || !strings.Contains(stdout, "read   scan.critical_open") {
			t.Errorf("the file's 28 open critical findings go unread; the stated 0 stands (exit %d):\n%s%s", code, stdout, stderr)
		}
	})
}
