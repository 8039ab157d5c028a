package oscal

import (
	"bytes"
	"encoding/json"
	"io"
	"sync"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/synthetic"
	"github.com/auditpack/auditpack/reports/reporttest"
)

// whole is the plain encoding of the document: everything at once, as
// Render wrote it before it encoded the large arrays apart.
func whole(t testing.TB, r *audit.Results) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(Build(r)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// generated evaluates a synthetic project held in memory, once per size.
var generated sync.Map // synthetic.Spec → *audit.Results

func generate(tb testing.TB, s synthetic.Spec) *audit.Results {
	tb.Helper()
	if r, ok := generated.Load(s); ok {
		return r.(*audit.Results)
	}
	p, err := synthetic.Generate(s)
	if err != nil {
		tb.Fatal(err)
	}
	fsys, err := p.MapFS()
	if err != nil {
		tb.Fatal(err)
	}
	l, err := synthetic.Load(fsys, 0)
	if err != nil {
		tb.Fatal(err)
	}
	r, err := audit.Run(l.Inputs)
	if err != nil {
		tb.Fatal(err)
	}
	generated.Store(s, r)
	return r
}

// small is a generated project big enough that every large array of the
// document spans several chunks.
var small = synthetic.Spec{Components: 120, Flows: 600, EvidenceFiles: 60, EvidenceBytes: 60 << 10, Seed: 3}

func TestRenderIsThePlainEncodingOfBuild(t *testing.T) {
	hostile := reporttest.Demo(t)
	hostile.Project.System = "<Payments & Co> \u2028 \"core\""
	hostile.RuleResults[0].Reasons = append(hostile.RuleResults[0].Reasons,
		eval.Reason{Code: "x<y>&z", Message: "line\nbreak \x00 \xff </script> \u2029"})
	hostile.Evidence.Items = nil // back-matter left out

	bare := reporttest.Demo(t)
	bare.RuleResults, bare.Controls, bare.Frameworks = nil, nil, nil
	bare.Model.Threats, bare.Model.Zones, bare.Model.Components, bare.Model.Flows = nil, nil, nil, nil

	for name, r := range map[string]*audit.Results{
		"demo":      reporttest.Demo(t),
		"hostile":   hostile,
		"bare":      bare,
		"generated": generate(t, small),
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := encodeDocument(&buf, r); err != nil {
				t.Fatal(err)
			}
			got, want := buf.Bytes(), whole(t, r)
			if !bytes.Equal(got, want) {
				at := 0
				for at < min(len(got), len(want)) && got[at] == want[at] {
					at++
				}
				t.Fatalf("Render differs from the plain encoding at byte %d of %d (want %d):\n got …%s…\nwant …%s…",
					at, len(got), len(want), got[max(0, at-80):min(len(got), at+80)], want[max(0, at-80):min(len(want), at+80)])
			}
		})
	}
}

// BenchmarkRender renders the document of a project the size of the
// benchmarks' ×1 scale (evidence contents are small: only their hashes
// reach the document).
func BenchmarkRender(b *testing.B) {
	s := synthetic.Scale(1)
	s.EvidenceBytes = int64(s.EvidenceFiles) << 10
	r := generate(b, s)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := Render(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}
