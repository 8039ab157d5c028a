package evidence

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/mappings/schemadoc"
)

// checkPlain fails when the plain path takes a manifest the schema refuses,
// or decodes it differently from the general path.
func checkPlain(t *testing.T, data []byte) bool {
	t.Helper()
	m, ok := decodePlain(data)
	if !ok {
		return false
	}
	want := &Manifest{}
	if _, err := schemadoc.Decode("m.json", data, compiled(), want); err != nil {
		t.Fatalf("%q: the plain path took a manifest the general path refuses: %v", data, err)
	}
	if !reflect.DeepEqual(m, want) {
		t.Fatalf("%q: paths differ\nplain   %#v\ngeneral %#v", data, m, want)
	}
	return true
}

const plainItemJSON = `{"id": "EV-1", "title": "t", "kind": "scan-result", "collected_at": "2026-10-01", "valid_days": 180,
   "files": [{"path": "a/scan.json", "sha256": "%s"}], "supports": [{"control": "soc2@2017:CC6.1"}, {"rule": "r"}],
   "facts": {"tls.min_version": "1.2", "n": 1.50, "big": 1e3, "list": [true, null, {}], "esc": "caf\u00e9 \"q\""}}`

func plainManifest(items ...string) string {
	return `{"schema": "auditpack/evidence/v1", "bundle": "b", "items": [` + strings.Join(items, ",\n") + "]}\n"
}

var plainSeeds = []string{
	plainManifest(fmt.Sprintf(plainItemJSON, sum("x"))),
	plainManifest(),
	`{"schema": "auditpack/evidence/v1", "items": []}`,
	"\xef\xbb\xbf" + plainManifest(fmt.Sprintf(plainItemJSON, sum("x"))),
}

// Variations of a valid manifest that the plain path must either refuse or
// decode exactly as the general path does.
func plainVariants() []string {
	item := fmt.Sprintf(plainItemJSON, sum("x"))
	edits := [][2]string{
		{`"valid_days": 180`, `"valid_days": 0`},
		{`"valid_days": 180`, `"valid_days": 180.0`},
		{`"valid_days": 180`, `"valid_days": 1e2`},
		{`"valid_days": 180`, `"valid_days": 99999999999999999999`},
		{`"valid_days": 180`, `"valid_days": -3`},
		{`"valid_days": 180`, `"valid_days": "180"`},
		{`"valid_days": 180`, `"valid_until": "2027-01-01T10:00:00+02:00"`},
		{`"valid_days": 180`, `"valid_until": "2027-02-30"`},
		{`"valid_days": 180`, `"effective_from": "2026-07-01", "effective_until": "2026-09-30"`},
		{`"valid_days": 180`, `"effective_from": "2026-09-30", "effective_until": "2026-07-01"`},
		{`"valid_days": 180`, `"effective_until": "2026-10-02"`},
		{`"valid_days": 180`, `"effective_until": "2026-10-01T23:00:00Z"`},
		{`"valid_days": 180`, `"effective_from": "2026-7-01"`},
		{`"valid_days": 180`, `"effective_from": 20260701`},
		{`"valid_days": 180`, `"effective_until": "2026-09-30", "effective_until": "2026-09-30"`},
		{`"collected_at": "2026-10-01"`, `"collected_at": "2026-10-01T00:00:00Z"`},
		{`"collected_at": "2026-10-01"`, `"collected_at": "2026-10-1"`},
		{`"collected_at": "2026-10-01"`, `"collected_at": "2026-13-01"`},
		{`"id": "EV-1"`, `"id": "-EV"`},
		{`"id": "EV-1"`, `"id": "EV 1"`},
		{`"id": "EV-1"`, `"id": "EV-1", "id": "EV-2"`},
		{`"id": "EV-1"`, `"ID": "EV-1"`},
		{`"title": "t"`, `"title": ""`},
		{`"title": "t"`, `"title": null`},
		{`"kind": "scan-result"`, `"kind": "scan"`},
		{`"kind": "scan-result"`, `"kind": "scan-result", "extra": 1`},
		{`"path": "a/scan.json"`, `"path": "../scan.json"`},
		{`"path": "a/scan.json"`, `"path": ""`},
		{`"path": "a/scan.json"`, `"path": "a\\scan.json"`},
		{`"path": "a/scan.json"`, `"path": "a\/scan.json"`},
		{`"sha256": "`, `"sha256": "A`},
		{`"control": "soc2@2017:CC6.1"`, `"control": "soc2@2017:CC 6.1"`},
		{`"control": "soc2@2017:CC6.1"`, `"control": "SOC2@2017:CC6.1"`},
		{`{"rule": "r"}`, `{}`},
		{`{"rule": "r"}`, `{"rule": ""}`},
		{`"supports": [{"control": "soc2@2017:CC6.1"}, {"rule": "r"}]`, `"supports": []`},
		{`"files": [`, `"files": [], "x": [`},
		{`"facts": {`, `"facts": {"tls.min_version": 1, `},
		{`"facts": {`, `"facts": {"<<": {"a": 1}, `},
		{`"facts": {`, `"facts": 3, "f": {`},
		{`"n": 1.50`, `"n": 01`},
		{`"n": 1.50`, `"n": 1.`},
		{`"n": 1.50`, `"n": 1e999`},
		{`"n": 1.50`, `"n": -0`},
		{`"n": 1.50`, `"n": tru`},
		{`"esc": "caf\u00e9 \"q\""`, `"esc": "\ud83d\ude00"`},
		{`"esc": "caf\u00e9 \"q\""`, `"esc": "\q"`},
		{`"esc"`, `"es` + "\n" + `c"`},
		{`"esc": `, `"esc"` + "\n" + `: `},
		{`"esc": "caf`, `"esc": "tab` + "\t"},
		{`"list": [true, null, {}]`, `"list": [true, null, {}, ]`},
	}
	var out []string
	for _, e := range edits {
		if !strings.Contains(item, e[0]) {
			panic("edit does not apply: " + e[0])
		}
		out = append(out, plainManifest(strings.Replace(item, e[0], e[1], 1)))
	}
	out = append(out,
		plainManifest(item, item),
		`{"schema": "auditpack/evidence/v2", "items": []}`,
		`{"items": []}`,
		`{"schema": "auditpack/evidence/v1", "items": [], "items": []}`,
		`{"schema": "auditpack/evidence/v1", "items": []} {}`,
		`[{"schema": "auditpack/evidence/v1", "items": []}]`,
		"schema: auditpack/evidence/v1\nitems: []\n",
		`{"schema": "auditpack/evidence/v1", "items": [], "facts": {}}`,
		`{"schema": "auditpack/evidence/v1", "items": {}}`,
		`{"schema": "auditpack/evidence/v1", "items": [`+fmt.Sprintf(plainItemJSON, sum("x"))[:120],
		`{"schema": "auditpack/evidence/v1", "items": []}`+"\r\n",
		`{"schema": "auditpack/evidence/v1",`+"\r"+`"items": []}`,
	)
	// Deep facts: at the limit of nesting and past it.
	for _, depth := range []int{190, 197, 198, 199, 250} {
		deep := strings.Repeat("[", depth) + strings.Repeat("]", depth)
		out = append(out, plainManifest(strings.Replace(item, `"list": [true, null, {}]`, `"list": `+deep, 1)))
	}
	return out
}

func TestPlainManifestMatchesGeneralPath(t *testing.T) {
	took := 0
	for _, s := range slices.Concat(plainSeeds, plainVariants()) {
		if checkPlain(t, []byte(s)) {
			took++
		}
		// ParseManifest gives what the general path gives, error or not.
		got, gerr := ParseManifest("m.json", []byte(s))
		want, werr := parseGeneral("m.json", []byte(s))
		if fmt.Sprint(gerr) != fmt.Sprint(werr) {
			t.Fatalf("%q: ParseManifest says %v, the general path %v", s, gerr, werr)
		}
		if werr == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: ParseManifest differs from the general path", s)
		}
	}
	for _, s := range plainSeeds {
		if _, ok := decodePlain([]byte(s)); !ok {
			t.Errorf("the plain path refused a valid manifest: %q", s)
		}
	}
	if took < len(plainSeeds)+5 {
		t.Errorf("the plain path took only %d documents", took)
	}
}

// An invalid manifest is still refused with the general path's message and
// line, whichever path first looked at it.
func TestPlainManifestErrorsKeepTheirLines(t *testing.T) {
	item := fmt.Sprintf(plainItemJSON, sum("x"))
	tests := []struct{ doc, want string }{
		{plainManifest(item, item), `m.json:4: at /items/1/id: duplicate item id "EV-1" (also /items/0)`},
		{plainManifest(strings.Replace(item, "a/scan.json", "a/../scan.json", 1)), `m.json:2: at /items/0/files/0/path: path "a/../scan.json" is not a clean path inside the bundle`},
		{plainManifest(strings.Replace(item, `"2026-10-01"`, `"2026-02-30"`, 1)), `m.json:1: at /items/0/collected_at: "2026-02-30" is neither a date`},
		{plainManifest(strings.Replace(item, `"scan-result"`, `"scan"`, 1)), `m.json:1: at /items/0/kind: value must be one of`},
		{plainManifest(strings.Replace(item, `"title": "t", `, ``, 1)), `m.json:1: at /items/0: missing properties: 'title'`},
	}
	for _, tt := range tests {
		_, err := ParseManifest("m.json", []byte(tt.doc))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("got %v, want %q", err, tt.want)
		}
	}
}

// A large generated manifest takes the plain path.
func TestLargePlainManifestTakesThePlainPath(t *testing.T) {
	type file struct {
		Path   string `json:"path"`
		SHA256 string `json:"sha256"`
	}
	var items []map[string]any
	for i := range 500 {
		items = append(items, map[string]any{
			"id": fmt.Sprintf("EV-%06d", i), "title": "t", "kind": "configuration", "collected_at": "2026-10-21", "valid_days": 365,
			"files":    []file{{fmt.Sprintf("c/%d-0.txt", i), sum("a")}, {fmt.Sprintf("c/%d-1.txt", i), sum("b")}},
			"supports": []map[string]string{{"capability": "traffic-filtering"}},
			"facts":    map[string]any{"tls.min_version": "1.2", "tls.weak_ciphers": 0},
		})
	}
	data, err := json.MarshalIndent(map[string]any{"schema": SchemaVersion, "bundle": "b", "items": items}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if !checkPlain(t, data) {
		t.Fatal("the plain path refused a generated manifest")
	}
}

func FuzzPlainManifest(f *testing.F) {
	for _, s := range slices.Concat(plainSeeds, plainVariants()) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkPlain(t, data) })
}
