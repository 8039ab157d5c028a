// Package workers runs independent pieces of work on every core.
//
// Evaluating rules, checking the elements of a results.json read back and
// hashing a package's files are each many pieces that depend on nothing
// but themselves; each is written to its own slot, so the output does not
// depend on which core ran which piece.
package workers

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Run calls work(i) once for every i in [0, n), on at most GOMAXPROCS
// goroutines, each taking the next index as it finishes one so that a
// long piece does not leave the others waiting behind it. newWorker is
// called once per goroutine and gives that goroutine's work function, so
// that a worker can keep buffers of its own. Run returns when every piece
// is done.
func Run(n int, newWorker func() func(i int)) {
	if n <= 0 {
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			work := newWorker()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				work(i)
			}
		})
	}
	wg.Wait()
}
