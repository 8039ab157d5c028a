package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/diff"
	"github.com/auditpack/auditpack/audit/resultsfile"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
)

// A results.json larger than the bound on documents read whole is read,
// and compares as the same results: only the bound of its own
// (resultsfile.MaxSize) applies, since it is read one element at a time.
func TestDiffReadsResultsOverTheDocumentBound(t *testing.T) {
	q3, q4 := quarterResults(t, "q3"), quarterResults(t, "q4")
	good, err := os.ReadFile(filepath.Join(q3, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(t.TempDir(), "results.json")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// White space is the cheapest way past the bound; the reader must
	// still read every byte of it, for the hash.
	f.Write(good[:1])
	pad := bytes.Repeat([]byte(" "), 1<<20)
	for range schemadoc.MaxSize>>20 + 1 {
		f.Write(pad)
	}
	f.Write(good[1:])
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	_, want, _ := runCLI(t, "diff", "--format", "json", q3, q4)
	code, got, stderr := runCLI(t, "diff", "--format", "json", big, q4)
	if code != exitOK || got != want {
		t.Errorf("diff from a %d MiB results.json: exit %d (%s), output differs: %v", (schemadoc.MaxSize>>20)+1, code, stderr, got != want)
	}
}

// damagedDeep is good results with the verdict of its last rule result
// made invalid, and the JSON pointer of that verdict. Each rule result is
// a line of its own.
func damagedDeep(t *testing.T, good []byte) ([]byte, string) {
	t.Helper()
	lines := bytes.Split(good, []byte("\n"))
	first, last := -1, -1
	for i, l := range lines {
		if bytes.HasPrefix(l, []byte(`"rule_results":[`)) {
			first = i + 1
		}
		if first > 0 && i >= first && bytes.HasPrefix(l, []byte("]")) {
			last = i - 1
			break
		}
	}
	if first < 0 || last-first < 2 {
		t.Fatalf("rule results on lines %d to %d", first, last)
	}
	re := regexp.MustCompile(`"verdict":"[a-z-]+"`)
	if !re.Match(lines[last]) {
		t.Fatalf("no verdict in %s", lines[last])
	}
	lines[last] = re.ReplaceAll(lines[last], []byte(`"verdict":"fine"`))
	return bytes.Join(lines, []byte("\n")), "/rule_results/" + strconv.Itoa(last-first) + "/verdict"
}

// A damaged element deep in rule_results is refused, in every form of
// package, naming the file, the line and the element's pointer.
func TestDiffRefusesADamagedElementWithItsPointer(t *testing.T) {
	q3 := quarterResults(t, "q3")
	good, err := os.ReadFile(filepath.Join(q3, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	bad, ptr := damagedDeep(t, good)
	// The line of the damaged verdict, as the file gives it.
	at := bytes.Index(bad, []byte(`"verdict":"fine"`))
	line := strconv.Itoa(bytes.Count(bad[:at], []byte("\n")) + 1)
	dir := filepath.Join(t.TempDir(), "pkg")
	os.MkdirAll(dir, 0o755)
	if err := os.WriteFile(filepath.Join(dir, "results.json"), bad, 0o644); err != nil {
		t.Fatal(err)
	}
	zipped := zipOfResults(t, map[string]string{"results.json": string(bad), "manifest.json": "{}"})
	for _, tt := range []struct{ path, want string }{
		{dir, filepath.Join(dir, "results.json") + ":" + line + ": at " + ptr + ": "},
		{filepath.Join(dir, "results.json"), filepath.Join(dir, "results.json") + ":" + line + ": at " + ptr + ": "},
		{zipped, "package.zip:results.json:" + line + ": at " + ptr + ": "},
	} {
		code, _, stderr := runCLI(t, "diff", tt.path, q3)
		if code != exitInput || !strings.Contains(stderr, tt.want) {
			t.Errorf("diff %s: exit %d, stderr %q; want %d and %q", tt.path, code, stderr, exitInput, tt.want)
		}
	}
}

// The previous results are copied into a package only as they were read:
// a file changed since is refused, not copied.
func TestPreviousCopyRefusesAChangedFile(t *testing.T) {
	q3 := quarterResults(t, "q3")
	good, err := os.ReadFile(filepath.Join(q3, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "results.json")
	os.WriteFile(p, good, 0o644)
	l, err := readResultsData(p)
	if err != nil {
		t.Fatal(err)
	}
	var copied bytes.Buffer
	if err := l.copyTo(&copied); err != nil || !bytes.Equal(copied.Bytes(), good) {
		t.Fatalf("copy: %v, same bytes %v", err, bytes.Equal(copied.Bytes(), good))
	}
	os.WriteFile(p, bytes.Replace(good, []byte(`"satisfied"`), []byte(`"excepted" `), 1), 0o644)
	if err := l.copyTo(io.Discard); err == nil || !strings.Contains(err.Error(), "changed while the package was built") {
		t.Errorf("copy of a changed file: %v", err)
	}
}

// Results read as a stream, slimmed to what Compare reads, compare exactly
// as the whole documents do.
func TestStreamedResultsCompareAsWholeOnes(t *testing.T) {
	read := func(q string) (*audit.Results, *audit.Results) {
		p := filepath.Join(quarterResults(t, q), "results.json")
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var whole audit.Results
		if err := unmarshalResults(data, &whole); err != nil {
			t.Fatal(err)
		}
		slim, sum, size, err := decodeResultsStream(p, bytes.NewReader(data), resultsfile.MaxSize)
		if err != nil {
			t.Fatal(err)
		}
		if want := sha256.Sum256(data); sum != hex.EncodeToString(want[:]) || size != int64(len(data)) {
			t.Errorf("%s: hash %s size %d, want the file's", q, sum, size)
		}
		return &whole, slim
	}
	wholeOld, slimOld := read("q3")
	wholeNew, slimNew := read("q4")
	want, _ := json.Marshal(diff.Compare(wholeOld, wholeNew))
	got, _ := json.Marshal(diff.Compare(slimOld, slimNew))
	if !bytes.Equal(got, want) {
		t.Errorf("changes differ:\n got %s\nwant %s", got, want)
	}
	if bytes.Contains(want, []byte(`"controls":[]`)) || bytes.Contains(want, []byte(`"evidence":[]`)) {
		t.Fatalf("the quarters show no control or evidence change to compare: %s", want)
	}
}

// One leading byte order mark is allowed, as in every document auditpack
// reads, and counts in the hash and size of the file; a second is refused.
func TestResultsStreamTakesOneByteOrderMark(t *testing.T) {
	good, err := os.ReadFile(filepath.Join(quarterResults(t, "q3"), "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	data := append([]byte("\xef\xbb\xbf"), good...)
	_, sum, size, err := decodeResultsStream("r.json", bytes.NewReader(data), resultsfile.MaxSize)
	want := sha256.Sum256(data)
	if err != nil || sum != hex.EncodeToString(want[:]) || size != int64(len(data)) {
		t.Errorf("with a byte order mark: %v, hash %s, size %d of %d", err, sum, size, len(data))
	}
	twice := append([]byte("\xef\xbb\xbf"), data...)
	if _, _, _, err := decodeResultsStream("r.json", bytes.NewReader(twice), resultsfile.MaxSize); err == nil || !strings.Contains(err.Error(), "r.json:1: a byte order mark stands after the start") {
		t.Errorf("with two: %v", err)
	}
}

// A package written before results.json version 2 compares with one
// written after: the demo's results in both versions show no change.
func TestDiffReadsVersion1(t *testing.T) {
	v1 := filepath.Join("..", "..", "testdata", "results", "demo-v1.json")
	v2 := filepath.Join("..", "..", "testdata", "results", "demo.json")
	for _, args := range [][]string{{v1, v2}, {v2, v1}} {
		code, stdout, stderr := runCLI(t, append([]string{"diff"}, args...)...)
		if code != exitOK || !strings.Contains(stdout, "nothing changed") {
			t.Errorf("diff %s: exit %d, %s%s", strings.Join(args, " "), code, stdout, stderr)
		}
	}
	data, err := os.ReadFile(v1)
	if err != nil || !bytes.Contains(data[:200], []byte(`"schema_version": "auditpack/results/v1"`)) {
		t.Fatalf("%s is not version 1 results: %v", v1, err)
	}
}
