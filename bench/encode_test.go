package bench

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/bench/internal/synthetic"
	"github.com/auditpack/auditpack/reports/oscal"
)

// Streaming the document field by field and the rule results one by one
// gives exactly the bytes of encoding the whole document at once.
func TestEncodeStreamsWithoutChangingBytes(t *testing.T) {
	s := synthetic.Scale(2)
	s.EvidenceBytes = int64(s.EvidenceFiles) * 64
	res := evaluate(t, s)
	if len(res.RuleResults) < 2048 {
		t.Fatalf("only %d rule results: a large document is not exercised", len(res.RuleResults))
	}
	got, err := audit.Encode(res)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(res); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		i := 0
		for i < len(got) && i < len(want.Bytes()) && got[i] == want.Bytes()[i] {
			i++
		}
		t.Fatalf("streamed encoding differs at byte %d of %d/%d", i, len(got), want.Len())
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
