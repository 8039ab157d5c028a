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

// TestHashFileCancelledWhileReaderBusyAtTheEnd: a reader that has taken
// the whole file and is still computing when the hash reaches its end
// must not hold up a cancelled verification either: finish waits for it
// only until the context is cancelled.
func TestHashFileCancelledWhileReaderBusyAtTheEnd(t *testing.T) {
	const size = 1000
	fsys := fstest.MapFS{"scan.xml": &fstest.MapFile{Data: make([]byte, size)}}
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	took := make(chan struct{})
	busy := func(r io.Reader) (*facts.Read, error) {
		if _, err := io.ReadFull(r, make([]byte, size)); err != nil {
			return nil, err
		}
		close(took)
		<-release // computing on what it read
		return nil, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan hashResult, 1)
	go func() {
		done <- hashFile(ctx, fsOpener{fsys}, "scan.xml", make([]byte, 64<<10), noProgress{}, busy)
	}()
	<-took
	time.Sleep(20 * time.Millisecond) // let the hash reach finish
	cancel()
	select {
	case res := <-done:
		if !errors.Is(res.err, context.Canceled) {
			t.Fatalf("got %+v, want the cancellation", res)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("hashFile did not return 2 s after cancellation: finish waits for the facts reader")
	}
}

// TestHashFileReaderPanicStillRaised: a reader that panics is a bug and
// is raised on the hashing goroutine, also now that the feed no longer
// waits unboundedly for its reader.
func TestHashFileReaderPanicStillRaised(t *testing.T) {
	fsys := fstest.MapFS{"scan.xml": &fstest.MapFile{Data: make([]byte, 3<<20)}}
	boom := func(r io.Reader) (*facts.Read, error) {
		io.ReadFull(r, make([]byte, 10))
		panic("reader bug")
	}
	defer func() {
		if v := recover(); v != "reader bug" {
			t.Fatalf("recovered %v, want the reader's panic", v)
		}
	}()
	hashFile(context.Background(), fsOpener{fsys}, "scan.xml", make([]byte, 64<<10), noProgress{}, boom)
	t.Fatal("hashFile returned without raising the reader's panic")
}
