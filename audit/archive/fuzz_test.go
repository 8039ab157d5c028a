package archive

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"strings"
	"testing"
)

// FuzzOpen reads arbitrary bytes as an archive. Whatever the input, Open
// and reading every file must not panic; a refusal is a Refusal of typed
// problems; and an archive that is accepted must look the same to
// archive/zip, which trusts only the central directory: the same entries,
// the same bytes, every name one the checks allow, every file no larger
// than the limits.
func FuzzOpen(f *testing.F) {
	f.Add(goZip(f))
	f.Add(rawZip{entries: []rawEntry{stored("a.txt", "alpha"), {name: "b.txt", data: strings.Repeat("beta ", 50), method: 8, descriptor: true}}}.bytes())
	f.Add(rawZip{entries: []rawEntry{stored("a.txt", "alpha")}, between: localHeader("evil", "x")}.bytes())
	f.Add(rawZip{entries: []rawEntry{{name: "z", data: strings.Repeat("\x00", 1<<17), method: 8}}}.bytes())
	f.Add(rawZip{entries: []rawEntry{stored("d/", ""), stored("d/x", "1")}, comment: []byte("c")}.bytes())
	f.Add(rawZip{entries: []rawEntry{{name: "c.txt", data: "c", central: func(h *hdr) {
		h.comment, h.extra = []byte("made by a scanner"), block(0x5455, []byte{1, 1, 2, 3, 4})
	}}}}.bytes())
	f.Add(rawZip{entries: []rawEntry{{name: "l", data: "x", central: func(h *hdr) { h.madeBy, h.attrs = 5<<8|20, 0o120777<<16 }}}}.bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		z, err := open(data, Options{AllowComment: true})
		if _, serr := open(data, Options{AllowComment: true, Strict: true}); serr == nil && err != nil {
			t.Fatalf("accepted under the strict rules, refused under the others: %v", err)
		}
		if err != nil {
			var ref Refusal
			if !errors.As(err, &ref) || len(ref) == 0 {
				t.Fatalf("refusal is not a Refusal: %v", err)
			}
			for _, e := range ref {
				if e.Kind == nil {
					t.Fatalf("problem without a kind: %v", e)
				}
			}
			return
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("accepted, but archive/zip refuses it: %v", err)
		}
		entries := z.Entries()
		if len(zr.File) != len(entries) {
			t.Fatalf("accepted %d entries, archive/zip lists %d", len(entries), len(zr.File))
		}
		for i, zf := range zr.File {
			e := entries[i]
			if name := strings.TrimSuffix(zf.Name, "/"); name != e.Name {
				t.Fatalf("entry %d is %q here, %q to archive/zip", i, e.Name, zf.Name)
			}
			if err := CheckName(e.Name); err != nil {
				t.Fatalf("accepted %q: %v", e.Name, err)
			}
			if len(zf.Comment) > MaxEntryComment || hasSignature([]byte(zf.Comment)) || len(zf.Extra) > MaxExtra {
				t.Fatalf("accepted %q with a comment of %d bytes and %d bytes of extra fields", e.Name, len(zf.Comment), len(zf.Extra))
			}
			if mode := zf.ExternalAttrs >> 16; mode&0o170000 != 0 && mode&0o170000 != 0o100000 && mode&0o170000 != 0o040000 || mode&0o7000 != 0 {
				t.Fatalf("accepted %q with mode %#o", e.Name, mode)
			}
			if e.Dir {
				continue
			}
			got, gerr := fs.ReadFile(z, e.Name)
			if int64(len(got)) > testLimits.MaxFileSize {
				t.Fatalf("%s yielded %d bytes, over the limit", e.Name, len(got))
			}
			rc, zerr := zf.Open()
			var want []byte
			if zerr == nil {
				want, zerr = io.ReadAll(rc)
			}
			if gerr == nil && (zerr != nil || !bytes.Equal(got, want)) {
				t.Fatalf("%s reads differently: %q here, %q (%v) through archive/zip", e.Name, got, want, zerr)
			}
		}
	})
}
