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
		"bundle-windows-com0.zip":        rawZip{entries: []rawEntry{manifest, stored("scans/COM0.log", "x")}}.bytes(),
		"bundle-symlink-atari.zip": rawZip{entries: scan(func(e *rawEntry) {
			e.central = func(h *hdr) { h.madeBy, h.attrs = 5<<8|20, 0o120777<<16 }
		})}.bytes(),
		"bundle-setuid.zip": rawZip{entries: scan(func(e *rawEntry) {
			e.central = func(h *hdr) { h.attrs = 0o104777 << 16 }
		})}.bytes(),
		"bundle-sigma-duplicate.zip": rawZip{entries: []rawEntry{manifest, utf8Named("scans/\u03c2.txt", "a"), utf8Named("scans/\u03c3.txt", "b")}}.bytes(),
		"bundle-nfd-duplicate.zip":   rawZip{entries: []rawEntry{manifest, utf8Named("caf\u00e9.txt", "a"), utf8Named("cafe\u0301.txt", "b")}}.bytes(),
		"bundle-folder-case.zip":     rawZip{entries: []rawEntry{manifest, stored("Scans/a.txt", "a"), stored("scans/b.txt", "b")}}.bytes(),
		"bundle-entry-comment-zip.zip": rawZip{entries: scan(func(e *rawEntry) {
			e.central = func(h *hdr) { h.comment = rawZip{entries: []rawEntry{stored("evil.sh", "#!/bin/sh\n")}}.bytes() }
		})}.bytes(),
		"bundle-extra-local.zip": rawZip{entries: scan(func(e *rawEntry) {
			e.local = func(h *hdr) { h.extra = block(0xcafe, make([]byte, 600)) }
		})}.bytes(),
		"bundle-extra-central.zip": rawZip{entries: scan(func(e *rawEntry) {
			e.central = func(h *hdr) { h.extra = block(0xcafe, make([]byte, 600)) }
		})}.bytes(),
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

// utf8Named is a stored entry with the UTF-8 flag, for non-ASCII names.
func utf8Named(name, data string) rawEntry {
	flag := func(h *hdr) { h.flags |= 0x800 }
	return rawEntry{name: name, data: data, local: flag, central: flag}
}
