package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestManifestPathsNoBundleCanHoldExitTwo checks that a manifest path no
// bundle entry may have (an invisible or reordering character, a space
// other than U+0020, a lookalike of "/" or ".", an overlong segment or
// path) is refused when the manifest is read, with exit 2 and the pointer
// to the path, rather than later as a missing file with exit 3.
func TestManifestPathsNoBundleCanHoldExitTwo(t *testing.T) {
	for _, name := range []string{"bidi", "zero-width", "bom", "nbsp", "ideographic-space", "fullwidth-slash",
		"division-slash", "fraction-slash", "fullwidth-dots", "long-segment", "long-path", "superscript-device"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "hostile", "manifest-"+name+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		mustWrite(t, filepath.Join(dir, "manifest.yaml"), data, 0o644)
		code, _, stderr := runCLI(t, "evidence", "verify", dir)
		if code != exitInput || !strings.Contains(stderr, "manifest.yaml:7: at /items/0/files/0/path: ") {
			t.Errorf("%s: exit %d, want %d with the line and pointer:\n%s", name, code, exitInput, stderr)
		}
		if len(stderr) > 400 {
			t.Errorf("%s: the message reprints the whole path (%d bytes)", name, len(stderr))
		}
	}
}
