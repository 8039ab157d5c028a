package bench

import (
	"io"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/resultsfile"
	"github.com/auditpack/auditpack/reports/oscal"
	"github.com/auditpack/auditpack/reports/pdf"
	"github.com/auditpack/auditpack/reports/xlsx"
)

// peakLive runs fn and returns the largest heap the collector found live
// meanwhile (sampled every 10 ms) and the heap live before it, both in
// bytes.
func peakLive(fn func() error) (peak, base uint64, err error) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	base = sample[0].Value.Uint64()
	peak = base
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	err = fn()
	close(stop)
	wg.Wait()
	return peak, base, err
}

// BenchmarkPeakHeap reports, for each stage a build runs after evaluation,
// how far the live heap rises above the results while that stage runs
// alone (peak-live-MiB), and the live heap before it (before-live-MiB:
// the loaded project and its results).
// The build's peak RSS follows the largest of these plus the results,
// times about two (the collector's default heap growth).
func BenchmarkPeakHeap(b *testing.B) {
	stages := []struct {
		name   string
		render func(w io.Writer, r *audit.Results) error
	}{
		{"results-json", func(w io.Writer, r *audit.Results) error { return resultsfile.EncodeTo(w, r) }},
		{"oscal", func(w io.Writer, r *audit.Results) error { return oscal.Render(w, r) }},
		{"pdf", func(w io.Writer, r *audit.Results) error { return pdf.Render(w, r, pdf.Options{PackageID: "AP-BENCH"}) }},
		{"workbook", func(w io.Writer, r *audit.Results) error {
			return xlsx.Render(w, r, xlsx.Options{PackageID: "AP-BENCH"})
		}},
	}
	eachScale(b, func(b *testing.B, f *fixture) {
		for _, st := range stages {
			b.Run(st.name, func(b *testing.B) {
				var rise, base uint64
				for b.Loop() {
					peak, before, err := peakLive(func() error { return st.render(io.Discard, f.results) })
					if err != nil {
						b.Fatal(err)
					}
					rise, base = max(rise, peak-before), before
				}
				b.ReportMetric(float64(rise)/(1<<20), "peak-live-MiB")
				b.ReportMetric(float64(base)/(1<<20), "before-live-MiB")
			})
		}
	})
}
