package main

import (
	"github.com/auditpack/auditpack/audit"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/evidence/facts"
	"github.com/auditpack/auditpack/audit/example"
)

// readItems are the example's items whose files are tools' own outputs:
// they must state no facts the file could, and each file must be read.
var readItems = []string{"EV-TLS-", "EV-INTERNAL-SCAN-", "EV-ASV-", "EV-CLOUD-POSTURE"}

// TestExampleScansAreReadNotStated holds the built-in example to its
// story: its scan files are real formats that auditpack recognises, and
// the manifest states no facts about them: the files say it all.
func TestExampleScansAreReadNotStated(t *testing.T) {
	dir := path.Join(example.Dir, "evidence")
	ev, err := fs.Sub(example.FS(), dir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := evidence.Load(ev, dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, it := range m.Items {
		if !strings.HasPrefix(it.ID, readItems[0]) && !strings.HasPrefix(it.ID, readItems[1]) &&
			!strings.HasPrefix(it.ID, readItems[2]) && it.ID != readItems[3] {
			continue
		}
		seen++
		for name := range it.Facts {
			t.Errorf("%s states %s, which its files say for themselves", it.ID, name)
		}
		for _, f := range it.Files {
			r, err := ev.Open(f.Path)
			if err != nil {
				t.Fatal(err)
			}
			read, err := facts.ReadAll(r)
			r.Close()
			if err != nil || read == nil {
				t.Errorf("%s: %s is not read as a known format (%v)", it.ID, f.Path, err)
				continue
			}
			if _, ok := read.Fact("scan.date"); !ok {
				t.Errorf("%s: %s (%s) gives no scan.date", it.ID, f.Path, read.Format)
			}
		}
	}
	if seen < 12 {
		t.Errorf("only %d scan items in the example; want its TLS, internal, ASV and posture scans", seen)
	}
}

// TestDemoContradictionIsReadFromAFile runs the demo and checks that its
// verdicts on TLS come from what the scans say: the statement endpoint's
// scan shows TLS 1.0, read from the file at its place, and fails 4.2.1;
// the API's scan, read the same way, satisfies it.
func TestDemoContradictionIsReadFromAFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo")
	if code, _, stderr := runCLI(t, "demo", "--out", out); code != exitOK {
		t.Fatalf("demo exited %d: %s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res audit.Results
	if err := unmarshalResults(data, &res); err != nil {
		t.Fatal(err)
	}
	want := map[string]struct{ verdict, item, status, minVersion string }{
		"f-app-statements": {"not-satisfied", "EV-TLS-STATEMENTS", "facts-contradict", "1.0"},
		"f-app-pay":        {"satisfied", "EV-TLS-EDGE", "ok", "1.2"},
		"f-pos-pay":        {"satisfied", "EV-TLS-EDGE", "ok", "1.2"},
	}
	for _, r := range res.RuleResults {
		w, ok := want[r.Element.ID]
		if r.Rule != "pci-4.2.1-pan-open-networks" || !ok {
			continue
		}
		delete(want, r.Element.ID)
		if string(r.Verdict) != w.verdict {
			t.Errorf("4.2.1 on %s: %s, want %s", r.Element.ID, r.Verdict, w.verdict)
		}
		found := false
		for _, e := range r.Evidence {
			if e.Item != w.item {
				continue
			}
			for _, f := range e.Facts {
				if f.Name == "tls.min_version" && f.Value == w.minVersion && f.Source == "read" &&
					strings.HasPrefix(f.File, "scans/tls-") && strings.HasPrefix(f.At, "/scanResult/") {
					found = e.Status == w.status
				}
			}
		}
		if !found {
			t.Errorf("4.2.1 on %s: no %s use of %s reading tls.min_version %s from its file: %+v", r.Element.ID, w.status, w.item, w.minVersion, r.Evidence)
		}
	}
	for id := range want {
		t.Errorf("4.2.1 has no result for %s", id)
	}
}
