package workers

import (
	"sync/atomic"
	"testing"
)

// Every index is worked on exactly once, whatever the number of pieces.
func TestRunCoversEveryIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 1000} {
		seen := make([]atomic.Int32, n)
		var workers atomic.Int32
		Run(n, func() func(int) {
			workers.Add(1)
			return func(i int) { seen[i].Add(1) }
		})
		for i := range seen {
			if c := seen[i].Load(); c != 1 {
				t.Fatalf("n=%d: index %d worked on %d times", n, i, c)
			}
		}
		if n == 0 && workers.Load() != 0 {
			t.Errorf("no piece, yet %d workers started", workers.Load())
		}
	}
}
