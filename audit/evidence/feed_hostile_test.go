package evidence

import (
	"context"
	"errors"
	"io"
	"testing"
	"testing/fstest"
	"time"

	"github.com/auditpack/auditpack/audit/evidence/facts"
)

// TestHashFileCancelledWhileReaderBusy: a cancelled verification must stop
// promptly even while the facts reader is busy and takes no bytes (a slow
// parse of a hostile file: today a sub-megabyte nmap file keeps a reader
// busy for tens of seconds, and an interrupted evidence verify on it took
// 39 s to exit). The hash loop blocks in the pipe write, where it never
// looks at the context, and abort then waits for the reader to return.
func TestHashFileCancelledWhileReaderBusy(t *testing.T) {
	fsys := fstest.MapFS{"scan.xml": &fstest.MapFile{Data: make([]byte, 4<<20)}}
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	busy := func(r io.Reader) (*facts.Read, error) {
		<-release // a reader computing, not reading
		_, err := io.Copy(io.Discard, r)
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	done := make(chan hashResult, 1)
	go func() {
		done <- hashFile(ctx, fsOpener{fsys}, "scan.xml", make([]byte, 64<<10), noProgress{}, busy)
	}()
	select {
	case res := <-done:
		if !errors.Is(res.err, context.Canceled) {
			t.Fatalf("got %v, want the cancellation", res.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("hashFile did not return 10 s after cancellation: it waits for the facts reader")
	}
}
