//go:build unix

package rootfs

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestOpenRefusesWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip(err)
	}
	for _, tt := range []struct{ name, kind string }{{fifo, "a named pipe (FIFO)"}, {"/dev/null", "a device"}, {dir, "a directory"}} {
		_, err := ReadFile(tt.name, tt.name, 1<<20)
		var nr *NotRegularError
		if !errors.As(err, &nr) || nr.Kind != tt.kind || nr.Name != tt.name {
			t.Errorf("%s: got %v, want %s", tt.name, err, tt.kind)
		}
	}
}

func TestReadIsBounded(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, make([]byte, 11), 0o644); err != nil {
		t.Fatal(err)
	}
	var tl *TooLargeError
	if _, err := ReadFile(p, "f", 10); !errors.As(err, &tl) || tl.Limit != 10 {
		t.Fatalf("got %v", err)
	}
	if data, err := ReadFile(p, "f", 11); err != nil || len(data) != 11 {
		t.Fatalf("got %d bytes, %v", len(data), err)
	}
}

func TestFSStaysInsideItsDirectory(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "d")
	os.Mkdir(dir, 0o755)
	os.WriteFile(filepath.Join(base, "secret"), []byte("s"), 0o644)
	os.WriteFile(filepath.Join(dir, "ok"), []byte("ok"), 0o644)
	os.Symlink("../secret", filepath.Join(dir, "out"))
	os.Symlink("ok", filepath.Join(dir, "in"))
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	fsys := New(root, dir)
	defer fsys.Close()
	if _, err := fsys.Open("out"); !errors.Is(err, ErrOutside) {
		t.Errorf("a link out: got %v", err)
	}
	if f, err := fsys.Open("in"); err != nil {
		t.Errorf("a link inside: %v", err)
	} else {
		f.Close()
	}
	if _, err := fsys.Open("../secret"); err == nil {
		t.Error("a path with .. opened")
	}
}
