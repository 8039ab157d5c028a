package bench

import (
	"testing"

	"github.com/auditpack/auditpack/audit"
)

// BenchmarkRedrawSamples draws every sample of a run again, as `auditpack
// sample` does; drawing them first is part of BenchmarkEvaluate.
func BenchmarkRedrawSamples(b *testing.B) {
	eachScale(b, func(b *testing.B, f *fixture) {
		b.ReportMetric(float64(len(f.results.Samples)), "samples")
		for b.Loop() {
			x := audit.NewSampler(f.results)
			for _, s := range f.results.Samples {
				if _, err := x.Redraw(s, 0); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
