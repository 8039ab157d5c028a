package view_test

import (
	"testing"

	"github.com/auditpack/auditpack/reports/reporttest"
	"github.com/auditpack/auditpack/reports/view"
)

// BenchmarkOf measures building the view every renderer starts from.
func BenchmarkOf(b *testing.B) {
	r := reporttest.Demo(b)
	b.ReportAllocs()
	for b.Loop() {
		view.Of(r)
	}
}
