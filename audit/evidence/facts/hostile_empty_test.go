package facts

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestScanOfNothingIsNotClean: a vulnerability scan file that names no
// image, directory or package source reads today as a clean scan: zero
// open findings of every severity, and no scan.targets, so the item's
// coverage is not checked and the manifest's link alone decides which
// elements it speaks for. A TLS file that reached no target says so
// (scan.complete false, "the file holds no scan result"); a Trivy or
// Grype file that scanned nothing must not be a passing scan either: it is
// refused, or states scan.complete false, or names what it covered.
func TestScanOfNothingIsNotClean(t *testing.T) {
	for _, tc := range []struct{ name, format, data string }{
		{"trivy, no artifact", "trivy-json", `{"SchemaVersion":2,"ArtifactName":"","ArtifactType":"container_image","Results":[]}`},
		{"grype, no source", "grype-json", `{"matches":null,"source":null,"descriptor":{"name":"grype","version":"0.74.0"}}`},
		{"grype, no source nor database", "grype-json", `{"matches":null,"source":null,"distro":null,"descriptor":{"name":"grype","version":null,"db":null}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Detect([]byte(tc.data)); got != tc.format {
				t.Fatalf("detected %q, want %q", got, tc.format)
			}
			r, err := Parse(tc.format, bytes.NewReader([]byte(tc.data)))
			if err != nil {
				return // refused: fine
			}
			if c, ok := r.Fact("scan.complete"); ok && c.Value == false {
				return
			}
			if tg, ok := r.Fact("scan.targets"); ok {
				if l, _ := tg.Value.([]string); len(l) > 0 {
					return
				}
			}
			var names []string
			for _, f := range r.Facts {
				names = append(names, f.Name+"="+fmtValue(f.Value))
			}
			t.Errorf("a scan of nothing reads as a clean scan: %s", strings.Join(names, ", "))
		})
	}
}

func fmtValue(v any) string { return fmt.Sprint(v) }
