package evidence

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/auditpack/auditpack/audit/evidence/facts"
)

// describe renders a hash result for comparison, errors by their message.
func describe(r hashResult) string {
	return fmt.Sprintf("sum=%s size=%d missing=%v err=%v", r.sum, r.size, r.missing, r.err)
}

// Opening through a worker's directory handles gives what opening through
// the bundle's root gives, for plain files in many interleaved directories
// and for everything that must be refused or reported, including entries
// swapped for a pipe or a link after the bundle was checked.
func TestDirCursorAgreesWithOpen(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret.txt")
	os.WriteFile(outside, []byte("secret"), 0o644)
	write := func(p, data string) {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	for i := range 2 * cursorDirs {
		for _, top := range []string{"config", "scans", "config/deeper"} {
			p := fmt.Sprintf("%s/%03d/f%d.txt", top, i, i)
			write(p, p)
			names = append(names, p)
		}
	}
	for _, p := range []string{"top.txt", "sub/fifo.txt", "sub/link.txt", "sub/escape.txt", "sub/plain.txt", "sub/dir.txt/x"} {
		write(p, p)
	}
	fsys, err := openDirBundle(t, dir, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub")
	os.Remove(filepath.Join(sub, "fifo.txt"))
	if err := syscall.Mkfifo(filepath.Join(sub, "fifo.txt"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	os.Remove(filepath.Join(sub, "link.txt"))
	os.Remove(filepath.Join(sub, "escape.txt"))
	if os.Symlink("plain.txt", filepath.Join(sub, "link.txt")) != nil || os.Symlink(outside, filepath.Join(sub, "escape.txt")) != nil {
		t.Skip("cannot make symbolic links")
	}
	names = append(names, "top.txt", "sub/fifo.txt", "sub/link.txt", "sub/escape.txt", "sub/plain.txt",
		"sub/dir.txt", "sub", "sub/missing.txt", "nodir/x.txt", "top.txt/x", "sub/../top.txt", "/top.txt", "")

	cur := newOpener(fsys)
	defer cur.close()
	if _, ok := cur.(*dirCursor); !ok {
		t.Fatalf("a directory bundle's opener is a %T", cur)
	}
	plain := fsOpener{fsys}
	buf := make([]byte, 64)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 2 {
			for _, n := range names {
				got, want := describe(hashFile(context.Background(), cur, n, buf, noProgress{}, facts.ReadAll)), describe(hashFile(context.Background(), plain, n, buf, noProgress{}, facts.ReadAll))
				if got != want {
					t.Errorf("%q: through the directory handles %s, through the root %s", n, got, want)
				}
				gi, gerr := cur.stat(n)
				wi, werr := plain.stat(n)
				if fmt.Sprint(gerr) != fmt.Sprint(werr) || (gerr == nil && (gi.Mode() != wi.Mode() || gi.Size() != wi.Size())) {
					t.Errorf("%q: stat through the directory handles %v, %v; through the root %v, %v", n, gi, gerr, wi, werr)
				}
			}
		}
		if n := len(cur.(*dirCursor).dirs); n > cursorDirs {
			t.Errorf("%d directory handles open, more than %d", n, cursorDirs)
		}
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("opening hangs")
	}
}

// The size limits count the bytes read through the directory handles too.
func TestDirCursorCountsBytesRead(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "logs"), 0o755)
	os.WriteFile(filepath.Join(dir, "logs", "big.log"), make([]byte, 1000), 0o644)
	lim := DefaultLimits
	lim.MaxFileSize = 100
	fsys, err := openDirBundle(t, dir, lim)
	if err != nil {
		t.Fatal(err)
	}
	cur := newOpener(fsys)
	defer cur.close()
	r := hashFile(context.Background(), cur, "logs/big.log", make([]byte, 64), noProgress{}, facts.ReadAll)
	wantRefusal(t, r.err, "logs/big.log", "per-file limit")
}
