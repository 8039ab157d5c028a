package evidence

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/auditpack/auditpack/audit/evidence/facts"
)

// feed hands the bytes being hashed to a facts reader running beside the
// hash, so that a file is read once, however large. The reader may stop
// early (a format it does not recognise, a file it cannot parse): feeding
// then stops, and hashing carries on to the end of the file. What the
// reader says never becomes a hashing error, nor the other way round.
//
// A cancelled context closes the pipe at once, from a watcher, so a hash
// loop blocked in a write to a reader that is busy computing (a slow parse
// of a hostile file) returns instead of waiting for it; and nothing waits
// for a busy reader beyond [readerGrace]. A reader left running touches
// only the feed's own fields, which nobody reads once the feed has given
// up on it, and the pipe, whose reads then fail: the hash buffer is never
// its to read after a write has returned.
type feed struct {
	w     *io.PipeWriter
	done  chan struct{}
	stop  func() bool // stops the cancellation watcher
	read  *facts.Read
	err   error
	panic any
	// stopped is the hash loop's own: the reader no longer takes bytes.
	stopped bool
}

// errFactsDone tells the hash loop that the reader has returned.
var errFactsDone = errors.New("facts reader returned")

// readerGrace is how long an aborted feed waits for its reader to return,
// so that a reader that stops at once still has its panic raised, while
// one that is busy does not hold up a cancelled verification.
const readerGrace = 50 * time.Millisecond

func startFeed(ctx context.Context, readFacts func(io.Reader) (*facts.Read, error)) *feed {
	r, w := io.Pipe()
	f := &feed{w: w, done: make(chan struct{})}
	f.stop = context.AfterFunc(ctx, func() { w.CloseWithError(context.Cause(ctx)) })
	go func() {
		defer close(f.done)
		defer func() {
			// A reader that panics has a bug; the panic is raised again
			// where the hash loop waits, on the caller's goroutine.
			if v := recover(); v != nil {
				f.panic = v
			}
			r.CloseWithError(errFactsDone)
		}()
		f.read, f.err = readFacts(r)
	}()
	return f
}

// write passes a chunk on, unless the reader has stopped or the context
// was cancelled. It returns once the reader has taken all of p or the pipe
// is closed, and in either case the reader holds no reference to p, so the
// caller may reuse p.
func (f *feed) write(p []byte) {
	if f == nil || f.stopped || len(p) == 0 {
		return
	}
	if _, err := f.w.Write(p); err != nil {
		f.stopped = true
	}
}

// finish tells the reader the file has ended and returns what it read. If
// ctx is cancelled while the reader is still busy, it returns ctx's error
// without waiting for the reader.
func (f *feed) finish(ctx context.Context) (*facts.Read, error) {
	if f == nil {
		return nil, nil
	}
	f.w.Close()
	select {
	case <-f.done:
	case <-ctx.Done():
		f.stop()
		return nil, ctx.Err()
	}
	f.stop()
	if f.panic != nil {
		panic(f.panic)
	}
	return f.read, f.err
}

// abort stops the reader when the file could not be read to its end; what
// it read of a part of the file is dropped. It waits at most [readerGrace]
// for the reader to return.
func (f *feed) abort(err error) {
	if f == nil {
		return
	}
	f.stop()
	f.w.CloseWithError(err)
	t := time.NewTimer(readerGrace)
	defer t.Stop()
	select {
	case <-f.done:
	case <-t.C:
		return
	}
	if f.panic != nil {
		panic(f.panic)
	}
}
