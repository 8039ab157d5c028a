package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// lastLine is the line at which text appended to data after one more
// newline starts; data ends with a newline.
func lastLine(data []byte) string {
	return strconv.Itoa(bytes.Count(data, []byte("\n")) + 2)
}

// TestDiffRefusesBadInputs: every unusable input exits 2 with a message
// naming the file.
func TestDiffRefusesBadInputs(t *testing.T) {
	q3 := quarterResults(t, "q3")
	good, _ := os.ReadFile(filepath.Join(q3, "results.json"))
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	outside := write("secret/results.json", string(good))
	linked := filepath.Join(dir, "linked")
	os.MkdirAll(linked, 0o755)
	if err := os.Symlink(outside, filepath.Join(linked, "results.json")); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(dir, "nope"), "nope: no such file or directory"},
		{"empty directory", t.TempDir(), " has no results.json: not an audit package"},
		{"not json", write("garbage.json", "{not json"), "garbage.json"},
		{"other schema", write("other.json", `{"schema_version": "someone/else/v1"}`), "other.json: not auditpack results"},
		{"schema violation", write("bad.json", strings.Replace(string(good), `"verdict":"satisfied"`, `"verdict":"fine"`, 1)), "bad.json"},
		{"fifo", fifo, "fifo.json: not a regular file"},
		{"symlink out of the package", linked, "results.json"},
		{"zip slip", zipOfResults(t, map[string]string{"../results.json": string(good), "results.json": string(good)}), `entry "../results.json": unsafe entry name`},
		{"absolute name", zipOfResults(t, map[string]string{"/etc/results.json": "x", "results.json": string(good)}), "unsafe entry name"},
		{"backslash", zipOfResults(t, map[string]string{`inputs\model.yaml`: "x", "results.json": string(good)}), "unsafe entry name"},
		{"duplicate by case", zipOfResults(t, map[string]string{"Results.json": "x", "results.json": string(good)}), "duplicate entry"},
		{"zip without results", zipOfResults(t, map[string]string{"manifest.json": "{}"}), "package.zip:results.json: not an audit package"},
		{"truncated zip", write("broken.zip", "PK\x03\x04broken"), "broken.zip"},
		{"trailing json", write("trail.json", string(good)+"\n{\"schema_version\":\"evil\"} trailing garbage ]["), "trail.json:" + lastLine(good) + ": JSON syntax error at column 1: unexpected '{' after the end of the JSON document"},
		{"trailing document", write("trail2.json", string(good)+"\n---\n["), "trail2.json:" + lastLine(good) + ": JSON syntax error at column 1: unexpected '-' after the end of the JSON document"},
		{"broken json", write("broken.json", "{\"schema_version\": \"auditpack/results/v1\",\n \"tool\": }"), "broken.json:2: JSON syntax error at column 10: unexpected '}', expected a value"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "diff", tt.path, q3)
			if code != exitInput || !strings.Contains(stderr, tt.want) || strings.Contains(stderr, "statat") {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, exitInput, tt.want)
			}
		})
	}
	for _, args := range [][]string{{"diff", q3}, {"diff", "--format", "xml", q3, q3}} {
		if code, _, _ := runCLI(t, args...); code != exitInput {
			t.Errorf("%v exited %d, want %d", args, code, exitInput)
		}
	}
}
