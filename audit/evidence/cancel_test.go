package evidence

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"
)

func bigBundle(files int, size int) (fstest.MapFS, *Manifest) {
	fsys := fstest.MapFS{}
	m := &Manifest{Schema: SchemaVersion}
	for i := range files {
		p := "f" + string(rune('a'+i%26)) + string(rune('a'+i/26%26))
		fsys[p] = &fstest.MapFile{Data: make([]byte, size)}
		m.Items = append(m.Items, Item{ID: "EV-" + p, Files: []File{{Path: p, SHA256: "00"}}})
	}
	return fsys, m
}

type countingProgress struct{ files, bytes, totalFiles, totalBytes atomic.Int64 }

func (c *countingProgress) Start(f int, b int64) { c.totalFiles.Store(int64(f)); c.totalBytes.Store(b) }
func (c *countingProgress) Add(f int, b int64)   { c.files.Add(int64(f)); c.bytes.Add(b) }

// Progress sees every file and byte, with the totals first.
func TestVerifyReportsProgress(t *testing.T) {
	fsys, m := bigBundle(40, 3<<20)
	var p countingProgress
	if _, err := Verify(fsys, m, Options{AsOf: time.Now(), Progress: &p}); err != nil {
		t.Fatal(err)
	}
	if p.totalFiles.Load() != 40 || p.files.Load() != 40 || p.totalBytes.Load() != 40*3<<20 || p.bytes.Load() != 40*3<<20 {
		t.Fatalf("progress: %d/%d files, %d/%d bytes", p.files.Load(), p.totalFiles.Load(), p.bytes.Load(), p.totalBytes.Load())
	}
}

// A cancelled context stops hashing and is reported as such.
func TestVerifyStopsWhenCancelled(t *testing.T) {
	fsys, m := bigBundle(200, 1<<20)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := VerifyContext(ctx, fsys, m, Options{AsOf: time.Now()})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want a cancellation", err)
	}
}
