package evidence

import (
	"errors"
	"io"

	"github.com/auditpack/auditpack/audit/evidence/facts"
)

// feed hands the bytes being hashed to a facts reader running beside the
// hash, so that a file is read once, however large. The reader may stop
// early (a format it does not recognise, a file it cannot parse): feeding
// then stops, and hashing carries on to the end of the file. What the
// reader says never becomes a hashing error, nor the other way round.
type feed struct {
	w       *io.PipeWriter
	done    chan struct{}
	stopped bool
	read    *facts.Read
	err     error
	panic   any
}

// errFactsDone tells the hash loop that the reader has returned.
var errFactsDone = errors.New("facts reader returned")

func startFeed(readFacts func(io.Reader) (*facts.Read, error)) *feed {
	r, w := io.Pipe()
	f := &feed{w: w, done: make(chan struct{})}
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

// write passes a chunk on, unless the reader has stopped. It returns once
// the reader has taken all of p, so the caller may reuse p.
func (f *feed) write(p []byte) {
	if f == nil || f.stopped || len(p) == 0 {
		return
	}
	if _, err := f.w.Write(p); err != nil {
		f.stopped = true
	}
}

// finish tells the reader the file has ended and returns what it read.
func (f *feed) finish() (*facts.Read, error) {
	if f == nil {
		return nil, nil
	}
	f.w.Close()
	<-f.done
	if f.panic != nil {
		panic(f.panic)
	}
	return f.read, f.err
}

// abort stops the reader when the file could not be read to its end; what
// it read of a part of the file is dropped.
func (f *feed) abort(err error) {
	if f == nil {
		return
	}
	f.w.CloseWithError(err)
	<-f.done
	if f.panic != nil {
		panic(f.panic)
	}
}
