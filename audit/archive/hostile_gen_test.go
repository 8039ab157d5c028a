package archive

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var updateHostile = flag.Bool("update-hostile", false, "regenerate the bundle zips of testdata/hostile made by hostileBundles")

// hostileBundles are evidence bundles, a manifest and one file, each with
// one lie in the archive's records, kept in testdata/hostile so that the
// command line is held to refusing them.
func hostileBundles() map[string][]byte {
	manifest := stored("manifest.yaml", "schema: auditpack/evidence/v1\nitems: []\n")
	scan := func(change func(e *rawEntry)) []rawEntry {
		e := rawEntry{name: "scan.txt", data: "port 22 closed\n", method: 8}
		change(&e)
		return []rawEntry{manifest, e}
	}
	plain := []rawEntry{manifest, {name: "scan.txt", data: "port 22 closed\n", method: 8}}
	return map[string][]byte{
		"bundle-encrypted.zip": rawZip{entries: scan(func(e *rawEntry) {
			e.local = func(h *hdr) { h.flags |= 1 }
			e.central = func(h *hdr) { h.flags |= 1 }
		})}.bytes(),
		"bundle-unknown-method.zip": rawZip{entries: scan(func(e *rawEntry) {
			e.local = func(h *hdr) { h.method = 14 }
			e.central = func(h *hdr) { h.method = 14 }
		})}.bytes(),
		"bundle-extra-length-lie.zip": rawZip{entries: scan(func(e *rawEntry) {
			e.local = func(h *hdr) { h.extra = []byte{0x55, 0x54, 0xff, 0, 1} }
		})}.bytes(),
		"bundle-comment-length-lie.zip": rawZip{entries: plain, comment: []byte("ok"), end: func(b []byte) { b[20] = 40 }}.bytes(),
		"bundle-two-end-records.zip":    rawZip{entries: plain, comment: rawZip{entries: []rawEntry{stored("other.txt", "x")}}.bytes()}.bytes(),
		"bundle-directory-offset-inside-data.zip": rawZip{entries: plain, end: func(b []byte) {
			b[16], b[17], b[18], b[19] = 30, 0, 0, 0
		}}.bytes(),
		"bundle-directory-with-data.zip": rawZip{entries: []rawEntry{manifest, stored("logs/", "hidden payload")}}.bytes(),
		"bundle-stored-descriptor.zip":   rawZip{entries: []rawEntry{manifest, {name: "scan.txt", data: "port 22 closed\n", descriptor: true}}}.bytes(),
		"bundle-zip64-locator-lie.zip":   rawZip{entries: plain, beforeEnd: zip64Locator(0)}.bytes(),
		"bundle-windows-device.zip":      rawZip{entries: []rawEntry{manifest, stored("scans/nul.txt", "x")}}.bytes(),
	}
}

// TestHostileBundlesAreRefused keeps the committed bundles equal to what
// hostileBundles makes (rewrite them with -update-hostile) and refused.
func TestHostileBundlesAreRefused(t *testing.T) {
	for name, data := range hostileBundles() {
		p := filepath.Join("..", "..", "testdata", "hostile", name)
		if *updateHostile {
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != string(data) {
			t.Errorf("%s is missing or stale (go test ./audit/archive -run %s -update-hostile): %v", name, t.Name(), err)
		}
		if _, err := open(data, Options{AllowComment: true, RefuseNested: true}); err == nil {
			t.Errorf("%s is accepted", name)
		}
	}
}
