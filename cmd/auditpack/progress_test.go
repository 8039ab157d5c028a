package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	p := &progressBar{w: &buf, label: "hashing evidence", unit: "files", start: time.Unix(0, 0)}
	p.Start(20000, 4<<30)
	p.Add(5000, 1<<30)
	got := p.line(time.Unix(2, 0))
	for _, want := range []string{"hashing evidence", "5000/20000 files", "1.0 GiB/4.0 GiB", "512.0 MiB/s", "0:06 left"} {
		if !strings.Contains(got, want) {
			t.Errorf("line %q lacks %q", got, want)
		}
	}
	p.Finish()
	if !strings.HasSuffix(buf.String(), "\n") {
		t.Error("Finish does not end the line")
	}
}

// Progress stays silent off a terminal: a buffer, a pipe, a CI log.
func TestProgressSilentOffTerminal(t *testing.T) {
	if isTerminal(&bytes.Buffer{}) {
		t.Fatal("a buffer is not a terminal")
	}
	code, _, stderr := runCLI(t, "demo", "--out", t.TempDir()+"/pkg")
	if code != exitOK || strings.Contains(stderr, "\r") {
		t.Fatalf("exit %d, stderr has progress: %q", code, stderr)
	}
}
