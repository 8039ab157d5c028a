package bench

import (
	"io"
	"os"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/resultsfile"
	"github.com/auditpack/auditpack/reports/diagram"
)

// BenchmarkDiagram lays out the scope diagrams and writes them as SVG, the
// diagram stage of a package (the PDF chapter draws the same layout).
func BenchmarkDiagram(b *testing.B) {
	eachScale(b, func(b *testing.B, f *fixture) { benchDiagram(b, f.results) })
}

// BenchmarkDiagramResults is BenchmarkDiagram on the results.json named
// by AUDITPACK_BENCH_RESULTS, for instance that of an x100 package that
// bench/run.sh built, without generating and evaluating the project again.
func BenchmarkDiagramResults(b *testing.B) {
	name := os.Getenv("AUDITPACK_BENCH_RESULTS")
	if name == "" {
		b.Skip("AUDITPACK_BENCH_RESULTS names no results.json")
	}
	f, err := os.Open(name)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	rd, err := resultsfile.Decode(name, f, resultsfile.MaxSize, true)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	benchDiagram(b, rd.Results)
}

func benchDiagram(b *testing.B, r *audit.Results) {
	b.ReportAllocs()
	for b.Loop() {
		if err := diagram.RenderSVG(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}
