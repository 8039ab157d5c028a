package bench

import (
	"io"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/reports/pdf"
	"github.com/auditpack/auditpack/reports/reporttest"
)

// BenchmarkPDFHeap measures what the PDF report holds while it renders,
// for the demo and each scale: fpdf builds the whole document in memory
// and writes it out only at the end, so the report is the one artefact
// that is not streamed. It reports
//
//   - pdf-MB: the size of the report;
//   - held-MB: the live heap, above what was live before, when the report
//     starts being written (after a collection): the finished document and
//     fpdf's state, which is what the renderer keeps;
//   - peak-heap-MB: the largest heap of objects, above the same base,
//     sampled every millisecond without collecting: garbage not yet freed
//     (earlier layout passes, page buffers) included, so it moves with
//     GOGC and with the size of the results already live;
//   - B/op: everything allocated during one rendering.
func BenchmarkPDFHeap(b *testing.B) {
	b.Run("demo", func(b *testing.B) { benchmarkPDFHeap(b, reporttest.Demo(b)) })
	eachScale(b, func(b *testing.B, f *fixture) { benchmarkPDFHeap(b, f.results) })
}

func benchmarkPDFHeap(b *testing.B, res *audit.Results) {
	b.ReportAllocs()
	var size, held, peak uint64
	for b.Loop() {
		runtime.GC()
		base := liveHeap()
		w := &heldWriter{base: base}
		s := startHeapSampler()
		err := pdf.Render(w, res, pdf.Options{PackageID: "AP-BENCH"})
		top := s.stop()
		if err != nil {
			b.Fatal(err)
		}
		size = w.n
		held = max(held, w.held)
		if top > base {
			peak = max(peak, top-base)
		}
	}
	b.ReportMetric(float64(size)/(1<<20), "pdf-MB")
	b.ReportMetric(float64(held)/(1<<20), "held-MB")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// liveHeap is the heap in use by objects, live or not yet swept.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// heldWriter discards the report, and on its first write collects and
// records the live heap above base: the renderer's hold on the finished
// document.
type heldWriter struct {
	base, held uint64
	n          uint64
}

func (w *heldWriter) Write(p []byte) (int, error) {
	if w.n == 0 {
		runtime.GC()
		if h := liveHeap(); h > w.base {
			w.held = h - w.base
		}
	}
	w.n += uint64(len(p))
	return io.Discard.Write(p)
}

// heapSampler records the largest heap of objects seen until stopped.
type heapSampler struct {
	done chan struct{}
	wg   sync.WaitGroup
	peak uint64
}

func startHeapSampler() *heapSampler {
	s := &heapSampler{done: make(chan struct{})}
	s.peak = liveHeap()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-s.done:
				return
			case <-t.C:
				s.peak = max(s.peak, liveHeap())
			}
		}
	}()
	return s
}

func (s *heapSampler) stop() uint64 {
	close(s.done)
	s.wg.Wait()
	return max(s.peak, liveHeap())
}
