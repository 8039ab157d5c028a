package resultsfile

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// Samples are written and read back whole; a file without them, as every
// one written before samples were drawn, reads with none and writes again
// to the same bytes.
func TestSamplesRoundTrip(t *testing.T) {
	_, res := demo(t, "demo.json")
	if len(res.Samples) == 0 {
		t.Fatal("the demo has no samples")
	}
	data, err := Encode(res)
	if err != nil {
		t.Fatal(err)
	}
	rd, err := Decode("again.json", bytes.NewReader(data), MaxSize, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rd.Results.Samples, res.Samples) {
		t.Errorf("samples read back differ:\n%+v\n%+v", rd.Results.Samples[0], res.Samples[0])
	}

	res.Samples = nil
	without, err := Encode(res)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(without), `"samples"`) {
		t.Fatal("results without samples must not write the member")
	}
	rd, err = Decode("old.json", bytes.NewReader(without), MaxSize, true)
	if err != nil {
		t.Fatalf("a file without samples must still read: %v", err)
	}
	if rd.Results.Samples != nil {
		t.Errorf("a file without samples read %d", len(rd.Results.Samples))
	}
	again, err := Encode(rd.Results)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, without) {
		t.Error("a file without samples does not write again as the same bytes")
	}

	// A sample whose seed is not a SHA-256 is refused by the schema.
	bad := strings.Replace(string(data), `"seed":"`, `"seed":"x`, 1)
	if _, err := Decode("bad.json", strings.NewReader(bad), MaxSize, false); err == nil || !strings.Contains(err.Error(), "seed") {
		t.Errorf("a malformed seed was accepted: %v", err)
	}
}
