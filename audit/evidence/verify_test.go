package evidence

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/auditpack/auditpack/frameworks/schemadoc"
)

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// good returns a clean bundle of three items with its manifest.
func good() (fstest.MapFS, string) {
	files := map[string]string{"a/scan.json": `{"tls":"1.2"}`, "b/policy.txt": "policy\n", "c/log.csv": "t,user\n"}
	fsys := fstest.MapFS{}
	var b strings.Builder
	b.WriteString("schema: auditpack/evidence/v1\nitems:\n")
	i := 0
	for _, p := range []string{"a/scan.json", "b/policy.txt", "c/log.csv"} {
		fsys[p] = &fstest.MapFile{Data: []byte(files[p])}
		fmt.Fprintf(&b, "  - {id: EV-%d, title: t, kind: configuration, collected_at: \"2026-10-0%d\", valid_days: 180,\n     files: [{path: %s, sha256: %s}], supports: [{rule: r}]}\n", i, i+1, p, sum(files[p]))
		i++
	}
	fsys["manifest.yaml"] = &fstest.MapFile{Data: []byte(b.String())}
	return fsys, b.String()
}

func verify(t *testing.T, fsys fstest.MapFS, opts Options) *Index {
	t.Helper()
	m, err := Load(fsys, "bundle")
	if err != nil {
		t.Fatal(err)
	}
	if opts.AsOf.IsZero() {
		opts.AsOf = time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC)
	}
	x, err := Verify(fsys, m, opts)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestGoodBundleHasNoProblems(t *testing.T) {
	fsys, _ := good()
	if x := verify(t, fsys, Options{}); len(x.Problems) != 0 {
		t.Fatalf("problems in a good bundle: %+v", x.Problems)
	}
}

func TestEveryFlippedByteGivesExactlyOneHashProblem(t *testing.T) {
	base, _ := good()
	for _, p := range []string{"a/scan.json", "b/policy.txt", "c/log.csv"} {
		orig := base[p].Data
		for i := range orig {
			fsys, _ := good()
			data := append([]byte(nil), orig...)
			data[i] ^= 0x01
			fsys[p] = &fstest.MapFile{Data: data}
			x := verify(t, fsys, Options{Workers: 2})
			if len(x.Problems) != 1 || x.Problems[0].Type != HashMismatch || x.Problems[0].File != p {
				t.Fatalf("flip byte %d of %s: want one hash-mismatch for it, got %+v", i, p, x.Problems)
			}
			if st, _ := x.Item(x.Problems[0].Item); st.Valid() {
				t.Fatal("the damaged item must not be valid")
			}
		}
	}
}

func TestProblemTypes(t *testing.T) {
	tests := []struct {
		name string
		edit func(fstest.MapFS)
		opts Options
		want ProblemType
		item string
	}{
		{"missing file", func(f fstest.MapFS) { delete(f, "b/policy.txt") }, Options{}, MissingFile, "EV-1"},
		{"undeclared file", func(f fstest.MapFS) { f["d/extra.txt"] = &fstest.MapFile{Data: []byte("x")} }, Options{}, UndeclaredFile, ""},
		{"stale", func(fstest.MapFS) {}, Options{AsOf: time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)}, Stale, ""},
		{"outside period", func(fstest.MapFS) {}, Options{PeriodStart: time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC), PeriodEnd: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)}, OutsidePeriod, "EV-0"},
		{"future dated", func(fstest.MapFS) {}, Options{AsOf: time.Date(2026, 10, 2, 12, 0, 0, 0, time.UTC)}, FutureDated, "EV-2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys, _ := good()
			tt.edit(fsys)
			x := verify(t, fsys, tt.opts)
			var got []Problem
			for _, p := range x.Problems {
				if p.Type == tt.want {
					got = append(got, p)
				}
			}
			if len(got) == 0 {
				t.Fatalf("no %s problem in %+v", tt.want, x.Problems)
			}
			if tt.item != "" && (len(got) != 1 || got[0].Item != tt.item) {
				t.Fatalf("want one %s problem for %s, got %+v", tt.want, tt.item, got)
			}
			for _, p := range x.Problems {
				if p.Type != tt.want {
					t.Errorf("unexpected other problem %+v", p)
				}
			}
		})
	}
}

func TestAllProblemsAreReportedNotJustTheFirst(t *testing.T) {
	fsys, _ := good()
	delete(fsys, "a/scan.json")
	fsys["c/log.csv"] = &fstest.MapFile{Data: []byte("tampered")}
	fsys["zz.txt"] = &fstest.MapFile{Data: []byte("x")}
	x := verify(t, fsys, Options{})
	if len(x.Problems) != 3 {
		t.Fatalf("want 3 problems, got %+v", x.Problems)
	}
}

func TestManifestRefusesEscapingPaths(t *testing.T) {
	for _, p := range []string{"../secret", "/etc/passwd", `a\b`, "a/../b", "./a"} {
		src := fmt.Sprintf("schema: auditpack/evidence/v1\nitems:\n  - {id: X, title: t, kind: document, collected_at: \"2026-01-01\", files: [{path: %q, sha256: %s}], supports: [{rule: r}]}\n", p, sum(""))
		_, err := ParseManifest("m.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), "m.yaml:3: at /items/0/files/0/path") {
			t.Errorf("path %q: want an error at /items/0/files/0/path, got %v", p, err)
		}
	}
}

func FuzzParseManifest(f *testing.F) {
	_, m := good()
	f.Add([]byte(m))
	f.Add([]byte("schema: auditpack/evidence/v1\nitems: []\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest("m.yaml", data)
		if err == nil && m == nil {
			t.Fatal("nil manifest without error")
		}
	})
}

// A directory bundle verified with the listing running beside the hashing
// still reports every problem type, each where it belongs; and an entry
// refused while hashing refuses the bundle.
func TestDirBundleReportsEveryProblemType(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"a/scan.json": "scan", "b/policy.txt": "policy", "c/log.csv": "log", "d/sub/x.txt": "x"}
	for p, data := range files {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(dir, p), []byte(data), 0o644)
	}
	os.MkdirAll(filepath.Join(dir, "e", "notafile"), 0o755)
	os.WriteFile(filepath.Join(dir, "e", "extra.txt"), []byte("extra"), 0o644)
	item := func(id, collected string, days int, paths ...string) string {
		s := fmt.Sprintf(`{"id": %q, "title": "t", "kind": "document", "collected_at": %q, "valid_days": %d, "supports": [{"rule": "r"}], "files": [`, id, collected, days)
		for i, p := range paths {
			if i > 0 {
				s += ", "
			}
			s += fmt.Sprintf(`{"path": %q, "sha256": %q}`, p, sum(files[p]))
		}
		return s + "]}"
	}
	manifest := jsonManifest(
		item("OK", "2026-10-01", 365, "a/scan.json"),
		item("MISSING", "2026-10-01", 365, "a/gone.txt"),
		item("TAMPERED", "2026-10-01", 365, "b/policy.txt"),
		item("UNREADABLE", "2026-10-01", 365, "e/notafile"),
		item("STALE", "2025-01-01", 30, "c/log.csv"),
		item("EARLY", "2026-01-01", 365, "d/sub/x.txt"),
		item("FUTURE", "2026-12-01", 365, "a/scan.json"),
	)
	os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(manifest), 0o644)
	os.WriteFile(filepath.Join(dir, "b", "policy.txt"), []byte("tampered"), 0o644)
	fsys, err := openDirBundle(t, dir, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Load(fsys, "bundle")
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{AsOf: time.Date(2026, 11, 15, 0, 0, 0, 0, time.UTC), Workers: 2,
		PeriodStart: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), PeriodEnd: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)}
	x, err := Verify(fsys, m, opts)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range x.Problems {
		got = append(got, fmt.Sprintf("%s %s %s", p.Type, p.Item, p.File))
	}
	want := []string{
		"outside-period EARLY ", "future-dated FUTURE ", "missing-file MISSING a/gone.txt",
		"stale STALE ", "outside-period STALE ", "hash-mismatch TAMPERED b/policy.txt",
		"unreadable-file UNREADABLE e/notafile", "undeclared-file  e/extra.txt",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("problems:\n got %q\nwant %q", got, want)
	}

	// A declared file swapped for a pipe after the bundle was checked.
	os.Remove(filepath.Join(dir, "c", "log.csv"))
	if err := syscall.Mkfifo(filepath.Join(dir, "c", "log.csv"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	_, err = Verify(fsys, m, opts)
	wantRefusal(t, err, "c/log.csv", "named pipe")
}

// A manifest larger than any document the parser takes is refused with the
// parser's message, after reading no more than one byte past that size.
func TestOversizedManifestIsReadOnlyUpToTheLimit(t *testing.T) {
	data := []byte(jsonManifest() + strings.Repeat(" ", schemadoc.MaxSize))
	fsys := fstest.MapFS{"manifest.json": &fstest.MapFile{Data: data}}
	counted := &countingFS{FS: fsys}
	_, err := Load(counted, "bundle")
	if err == nil || !strings.Contains(err.Error(), "bundle/manifest.json: document is larger than 64 MiB") {
		t.Fatalf("got %v", err)
	}
	if counted.read > schemadoc.MaxSize+1 {
		t.Fatalf("read %d bytes of the manifest, more than %d", counted.read, schemadoc.MaxSize+1)
	}
}

// countingFS counts the bytes read from its files and records what was
// opened.
type countingFS struct {
	fs.FS
	read   int64
	opened []string
}

func (c *countingFS) Open(name string) (fs.File, error) {
	c.opened = append(c.opened, name)
	f, err := c.FS.Open(name)
	if err != nil {
		return nil, err
	}
	return &countingFile{File: f, fs: c}, nil
}

type countingFile struct {
	fs.File
	fs *countingFS
}

func (f *countingFile) Read(p []byte) (int, error) {
	n, err := f.File.Read(p)
	f.fs.read += int64(n)
	return n, err
}

// An invalid plain JSON manifest is refused with the general path's message
// and line, and nothing but the manifest is opened.
func TestInvalidManifestIsRefusedBeforeAnyFileIsRead(t *testing.T) {
	item := fmt.Sprintf(itemJSON, sum("scan"))
	for _, tc := range []struct{ manifest, want string }{
		{jsonManifest(item, item), "bundle/manifest.json:4: at /items/1/id: duplicate item id"},
		{jsonManifest(strings.Replace(item, `"kind": "scan-result"`, `"kind": "scan-result", "extra": 1`, 1)), "bundle/manifest.json:1: at /items/0: additionalProperties 'extra' not allowed"},
		{jsonManifest(strings.Replace(item, `"a/scan.json"`, `"../scan.json"`, 1)), `bundle/manifest.json:2: at /items/0/files/0/path: path "../scan.json" is not a clean path`},
	} {
		fsys := &countingFS{FS: fstest.MapFS{
			"manifest.json": &fstest.MapFile{Data: []byte(tc.manifest)},
			"a/scan.json":   &fstest.MapFile{Data: []byte("scan")},
		}}
		_, err := Load(fsys, "bundle")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
		if slices.ContainsFunc(fsys.opened, func(n string) bool { return !slices.Contains(ManifestNames, n) }) {
			t.Errorf("opened %q while loading an invalid manifest", fsys.opened)
		}
	}
}
