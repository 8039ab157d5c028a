package evidence

import (
	"fmt"
	"strings"
	"testing"
)

const itemJSON = `{"id": "EV-1", "title": "t", "kind": "scan-result", "collected_at": "2026-10-01", "valid_days": 180,
   "files": [{"path": "a/scan.json", "sha256": "%s"}], "supports": [{"control": "soc2@2017:CC6.1"}, {"rule": "r"}],
   "facts": {"tls.min_version": "1.2", "n": 1.50, "big": 1e3, "list": [true, null, {}], "esc": "caf\u00e9 \"q\""}}`

// jsonManifest is a manifest written as JSON, as tools generate it.
func jsonManifest(items ...string) string {
	return `{"schema": "auditpack/evidence/v1", "bundle": "b", "items": [` + strings.Join(items, ",\n") + "]}\n"
}

// Valid JSON manifests decode, numbers in facts spelt as the YAML path
// spells them.
func TestJSONManifest(t *testing.T) {
	for _, s := range []string{
		jsonManifest(fmt.Sprintf(itemJSON, sum("x"))),
		jsonManifest(),
		`{"schema": "auditpack/evidence/v1", "items": []}`,
		"\xef\xbb\xbf" + jsonManifest(fmt.Sprintf(itemJSON, sum("x"))),
	} {
		if _, err := ParseManifest("m.json", []byte(s)); err != nil {
			t.Errorf("%.60q: %v", s, err)
		}
	}
	m, err := ParseManifest("m.json", []byte(jsonManifest(fmt.Sprintf(itemJSON, sum("x")))))
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(m.Items[0].Facts["n"], " ", m.Items[0].Facts["big"]); got != "1.5 1000" {
		t.Errorf("facts numbers read as %s, want 1.5 1000", got)
	}
}

// An invalid manifest is refused with its file, line and pointer.
func TestManifestErrorsKeepTheirLines(t *testing.T) {
	item := fmt.Sprintf(itemJSON, sum("x"))
	tests := []struct{ doc, want string }{
		{jsonManifest(item, item), `m.json:4: at /items/1/id: duplicate item id "EV-1" (also /items/0)`},
		{jsonManifest(strings.Replace(item, "a/scan.json", "a/../scan.json", 1)), `m.json:2: at /items/0/files/0/path: path "a/../scan.json" is not a clean path inside the bundle`},
		{jsonManifest(strings.Replace(item, `"2026-10-01"`, `"2026-02-30"`, 1)), `m.json:1: at /items/0/collected_at: "2026-02-30" is neither a date`},
		{jsonManifest(strings.Replace(item, `"scan-result"`, `"scan"`, 1)), `m.json:1: at /items/0/kind: value must be one of`},
		{jsonManifest(strings.Replace(item, `"title": "t", `, ``, 1)), `m.json:1: at /items/0: missing properties: 'title'`},
		{jsonManifest(strings.Replace(item, `"valid_days": 180`, `"valid_days": 99999999999999999999`, 1)), `m.json:1: at /items/0/valid_days: the number does not fit`},
		{jsonManifest(strings.Replace(item, `"id": "EV-1"`, `"id": "EV-1", "id": "EV-2"`, 1)), `m.json:1: at /items/0: key "id" appears twice`},
	}
	for _, tt := range tests {
		_, err := ParseManifest("m.json", []byte(tt.doc))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("got %v, want %q", err, tt.want)
		}
	}
}
