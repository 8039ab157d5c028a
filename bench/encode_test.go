package bench

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/resultsfile"
	"github.com/auditpack/auditpack/bench/internal/synthetic"
	"github.com/auditpack/auditpack/reports/oscal"
)

// results.json written element by element, with its tables, reads back
// as every field of the results it was written from, on a project large
// enough that every table and large array holds many entries: the
// whole-document encoding of both is the same.
func TestResultsRoundTrip(t *testing.T) {
	s := synthetic.Scale(2)
	s.EvidenceBytes = int64(s.EvidenceFiles) * 64
	res := evaluate(t, s)
	if len(res.RuleResults) < 2048 {
		t.Fatalf("only %d rule results: a large document is not exercised", len(res.RuleResults))
	}
	if res.Inputs == nil { // evaluated in memory, from no files
		res.Inputs = []audit.InputFile{}
	}
	data, err := resultsfile.Encode(res)
	if err != nil {
		t.Fatal(err)
	}
	rd, err := resultsfile.Decode("results.json", bytes.NewReader(data), resultsfile.MaxSize, true)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(res)
	got, _ := json.Marshal(rd.Results)
	if !bytes.Equal(got, want) {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Fatalf("read back differs at byte %d of %d/%d: %.200s", i, len(got), len(want), got[max(i-100, 0):])
	}
	again, err := resultsfile.Encode(rd.Results)
	if err != nil || !bytes.Equal(again, data) {
		t.Errorf("writing what was read gives other bytes (%v)", err)
	}
}

// The OSCAL document, written member by member, is exactly the plain
// encoding of what oscal.Build makes, on a project large enough that every
// large array holds many elements.
func TestOSCALStreamsWithoutChangingBytes(t *testing.T) {
	s := synthetic.Spec{Components: 120, Flows: 600, EvidenceFiles: 60, EvidenceBytes: 60 << 10, Seed: 3}
	res := evaluate(t, s)
	var got, want bytes.Buffer
	if err := oscal.Render(&got, res); err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(&want)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(oscal.Build(res)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		i := 0
		for i < got.Len() && i < want.Len() && got.Bytes()[i] == want.Bytes()[i] {
			i++
		}
		t.Fatalf("streamed OSCAL differs at byte %d of %d/%d", i, got.Len(), want.Len())
	}
}

// evaluate generates the project s in memory and evaluates it.
func evaluate(t *testing.T, s synthetic.Spec) *audit.Results {
	t.Helper()
	p, err := synthetic.Generate(s)
	if err != nil {
		t.Fatal(err)
	}
	fsys, err := p.MapFS()
	if err != nil {
		t.Fatal(err)
	}
	l, err := synthetic.Load(fsys, 0)
	if err != nil {
		t.Fatal(err)
	}
	res, err := audit.Run(l.Inputs)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
