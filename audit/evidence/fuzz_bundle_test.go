package evidence

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"strings"
	"testing"
)

// FuzzOpenZip reads arbitrary archives as evidence bundles. Whatever the
// input, opening and reading every file must not panic, must stay within
// the limits, and every name the bundle lists must be one the checks allow.
func FuzzOpenZip(f *testing.F) {
	seed := func(entries ...zipEntry) { f.Add(makeZip(f, entries...)) }
	seed(zipEntry{name: "manifest.yaml", data: "schema: auditpack/evidence/v1\nitems: []\n"}, zipEntry{name: "docs/a.txt", data: "a"})
	seed(zipEntry{name: "../evil.txt", data: "x"})
	seed(zipEntry{name: "link", data: "/etc/passwd", mode: fs.ModeSymlink | 0o777})
	seed(zipEntry{name: "A.txt"}, zipEntry{name: "a.txt"})
	seed(zipEntry{name: "zeros", data: strings.Repeat("\x00", 1<<16)})
	lim := Limits{MaxEntries: 64, MaxFileSize: 1 << 20, MaxTotal: 4 << 20, MaxRatio: 100, RatioFloor: 1 << 12}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys, err := OpenZip(bytes.NewReader(data), int64(len(data)), "fuzz.zip", lim)
		if err != nil {
			var be *BundleError
			if !errors.As(err, &be) {
				t.Fatalf("refusal is not a BundleError: %v", err)
			}
			return
		}
		var total int64
		err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || p == "." {
				return nil
			}
			if cerr := CheckEntryName(p); cerr != nil {
				t.Fatalf("bundle lists %q, which the checks refuse: %v", p, cerr)
			}
			if d.IsDir() {
				return nil
			}
			file, err := fsys.Open(p)
			if err != nil {
				return nil
			}
			n, _ := io.Copy(io.Discard, file)
			file.Close()
			total += n
			if n > lim.MaxFileSize {
				t.Fatalf("%s yielded %d bytes, over the per-file limit", p, n)
			}
			return nil
		})
		if total > lim.MaxTotal {
			t.Fatalf("bundle yielded %d bytes, over the total limit", total)
		}
	})
}
