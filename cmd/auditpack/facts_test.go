package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/evidence/facts"
)

// corpusFile is a real tool output of testdata/evidence/<format>/ that a
// parser recognises and reads, with the format it was read as.
type corpusFile struct{ path, format string }

// goldenOf is where the golden `evidence facts` text of a corpus file is
// kept: testdata/evidence-facts/<format dir>/<file>.txt, apart from the
// corpus, whose directories the parsers' own tests read whole.
func goldenOf(path string) string {
	return filepath.Join("testdata", "evidence-facts", filepath.Base(filepath.Dir(path)), filepath.Base(path)+".txt")
}

// evidenceCorpus lists the files of testdata/evidence/*/ (not the edge
// cases below them) that auditpack reads: every format's parser brings its
// real files, and these tests cover them without a change.
func evidenceCorpus(t *testing.T) []corpusFile {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", "evidence", "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	var out []corpusFile
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			continue // a directory
		}
		if read, err := facts.ReadAll(bytes.NewReader(data)); err == nil && read != nil {
			out = append(out, corpusFile{p, read.Format})
		}
	}
	return out
}

// evidenceGoldens lists every corpus file with a golden `evidence facts`
// text output ([goldenOf]). With -update, every corpus file gets one. Each
// format read in the corpus must have at least one.
func evidenceGoldens(t *testing.T) []string {
	t.Helper()
	corpus := evidenceCorpus(t)
	if len(corpus) == 0 {
		t.Skip("no file of testdata/evidence/*/ is of a format auditpack reads yet")
	}
	var files []string
	have := map[string]bool{}
	for _, c := range corpus {
		if _, err := os.Stat(goldenOf(c.path)); err != nil && !*update {
			continue
		}
		files = append(files, c.path)
		have[c.format] = true
	}
	for _, c := range corpus {
		if !have[c.format] {
			t.Errorf("format %s has no golden evidence facts output (go test ./cmd/auditpack -run TestEvidenceFactsGolden -update, then review)", c.format)
			have[c.format] = true
		}
	}
	return files
}

// TestEvidenceFactsGolden holds `evidence facts FILE` to the golden text
// of each file, checks that flags may follow FILE, and that --format json
// prints what package facts read, whole.
func TestEvidenceFactsGolden(t *testing.T) {
	files := evidenceGoldens(t)
	for _, file := range files {
		t.Run(filepath.Base(filepath.Dir(file))+"/"+filepath.Base(file), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "evidence", "facts", file)
			if code != exitOK || stderr != "" {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			golden := goldenOf(file)
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if stdout != string(want) {
				t.Errorf("evidence facts %s differs from %s (go test -update to refresh after review)\ngot:\n%s", file, golden, stdout)
			}
			if code, after, _ := runCLI(t, "evidence", "facts", file, "--format", "text"); code != exitOK || after != stdout {
				t.Errorf("--format text after FILE: exit %d, output differs", code)
			}

			code, js, stderr := runCLI(t, "evidence", "facts", file, "--format=json")
			if code != exitOK {
				t.Fatalf("--format json: exit %d\n%s", code, stderr)
			}
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			read, err := facts.ReadAll(bytes.NewReader(data))
			if err != nil || read == nil {
				t.Fatalf("facts.ReadAll: %v, %v", read, err)
			}
			var want2 bytes.Buffer
			enc := json.NewEncoder(&want2)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			if err := enc.Encode(stableRead(read)); err != nil {
				t.Fatal(err)
			}
			if got := js; got != want2.String() {
				t.Errorf("--format json is not the facts read:\ngot  %s\nwant %s", got, want2.String())
			}
			if code, again, _ := runCLI(t, "evidence", "facts", "--format", "json", file); code == exitOK && again != js {
				t.Errorf("two runs of --format json differ")
			}
		})
	}
}

// TestEvidenceFactsTruncated cuts each golden file in half: a file whose
// start a format recognises but that ends early is bad input, exit 2,
// naming the file and the place (line or byte) where it broke.
func TestEvidenceFactsTruncated(t *testing.T) {
	files := evidenceGoldens(t)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			cut := filepath.Join(t.TempDir(), "cut-"+filepath.Base(file))
			if err := os.WriteFile(cut, data[:len(data)/2], 0o644); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := runCLI(t, "evidence", "facts", cut)
			if code != exitInput || stdout != "" {
				t.Fatalf("truncated %s: exit %d, stdout %q", file, code, stdout)
			}
			if !strings.Contains(stderr, cut+": ") || !(strings.Contains(stderr, ": line ") || strings.Contains(stderr, ": byte ")) {
				t.Errorf("the message must name the file and the place:\n%s", stderr)
			}
		})
	}
}

func TestEvidenceFactsRefusals(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(plain, []byte("the firewall was reviewed on 2026-10-01\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	object := filepath.Join(dir, "other.json")
	if err := os.WriteFile(object, []byte(`{"hello": "world"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "pipe")
	mkfifo(t, fifo)
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"plain text", []string{"evidence", "facts", plain}, []string{plain + ": no known evidence format recognised (formats: ", "nmap"}},
		{"other JSON, flag after", []string{"evidence", "facts", object, "--format", "json"}, []string{object + ": no known evidence format recognised"}},
		{"directory", []string{"evidence", "facts", dir}, []string{dir, "is a directory"}},
		{"device", []string{"evidence", "facts", "/dev/zero"}, []string{"/dev/zero", "is a device"}},
		{"FIFO", []string{"evidence", "facts", fifo}, []string{fifo, "named pipe"}},
		{"missing", []string{"evidence", "facts", filepath.Join(dir, "nope.json")}, []string{"nope.json: no such file"}},
		{"no file", []string{"evidence", "facts"}, []string{"evidence facts takes one argument"}},
		{"two files", []string{"evidence", "facts", plain, object}, []string{"unexpected"}},
		{"unknown output format", []string{"evidence", "facts", plain, "--format", "yaml"}, []string{`unknown format "yaml" (valid: text, json)`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != exitInput || stdout != "" {
				t.Fatalf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}

// TestEvidenceInitProposesKinds runs evidence init on a bundle of one real
// file per format read: each item gets the kind its tool produces, and no
// stated facts.
func TestEvidenceInitProposesKinds(t *testing.T) {
	corpus := evidenceCorpus(t)
	if len(corpus) == 0 {
		t.Skip("no file of testdata/evidence/*/ is of a format auditpack reads yet")
	}
	dir := t.TempDir()
	want := map[string]string{}
	for _, c := range corpus {
		if _, seen := want[c.format]; seen {
			continue
		}
		data, err := os.ReadFile(c.path)
		if err != nil {
			t.Fatal(err)
		}
		name := c.format + "-" + filepath.Base(c.path)
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		want[c.format] = name
	}
	if code, _, stderr := runCLI(t, "evidence", "init", dir); code != exitOK {
		t.Fatalf("evidence init: exit %d\n%s", code, stderr)
	}
	manifest, err := os.ReadFile(filepath.Join(dir, "manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(manifest)
	for format, name := range want {
		at := strings.Index(text, "title: "+strconv.Quote(name))
		if at < 0 {
			t.Fatalf("no item for %s:\n%s", name, text)
		}
		item := text[at:]
		if end := strings.Index(item, "\n  - id:"); end > 0 {
			item = item[:end]
		}
		if !strings.Contains(item, "kind: "+kindOf[format].kind+"   # proposed: the file is "+format) {
			t.Errorf("%s: no kind proposed from its format:\n%s", name, item)
		}
		if strings.Contains(item, "\n    facts:") {
			t.Errorf("%s: facts read from the file are stated:\n%s", name, item)
		}
	}
}
