package staging

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUndoMovesBackOnlyWhatItMoved: a placed output that another run has
// replaced since is not taken back; the other run's output stays.
func TestUndoMovesBackOnlyWhatItMoved(t *testing.T) {
	dir := t.TempDir()
	from, to := filepath.Join(dir, "staged"), filepath.Join(dir, "out")
	mk(t, from, "full-dir")
	m := move{from: from, to: to}
	if err := m.rename(); err != nil {
		t.Fatal(err)
	}
	// Another run moves ours aside and puts its own in place.
	if err := os.Rename(to, filepath.Join(dir, "aside")); err != nil {
		t.Fatal(err)
	}
	mk(t, to, "empty-dir")
	if m.undo() {
		t.Fatal("undo took back another run's output")
	}
	if kind(t, to) != "empty-dir" || kind(t, from) != "missing" {
		t.Errorf("out is %s, staged is %s", kind(t, to), kind(t, from))
	}
	// Unchanged, it is taken back.
	os.Remove(to)
	os.Rename(filepath.Join(dir, "aside"), to)
	if !m.undo() || kind(t, from) != "full-dir" {
		t.Error("undo did not take back its own output")
	}
}

// TestKeptErrorSaysWhatIsLeft: each combination of what could be kept
// gives a message that names it and claims nothing false.
func TestKeptErrorSaysWhatIsLeft(t *testing.T) {
	for _, c := range []struct {
		e    KeptError
		want string
	}{
		{KeptError{Path: "p", Why: "p appeared", Kept: "p.new", Zip: "p.new.zip"}, "kept at p.new and p.new.zip"},
		{KeptError{Path: "p", Why: "p appeared", Kept: "p.new"}, "kept at p.new"},
		{KeptError{Path: "p", Why: "p.zip appeared", Zip: "p.new.zip"}, "has since been replaced by another run, and its zip was kept at p.new.zip"},
		{KeptError{Path: "p", Why: "p appeared"}, "nothing of this package is left"},
	} {
		if got := c.e.Error(); !strings.HasPrefix(got, c.e.Why+"; ") || !strings.Contains(got, c.want) {
			t.Errorf("%+v: %q, want %q", c.e, got, c.want)
		}
	}
}
