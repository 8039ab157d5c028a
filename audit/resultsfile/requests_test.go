package resultsfile

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// Evidence requests survive a write and a read whole, and results written
// before them (no "requests" member) still read, with none.
func TestRequestsRoundTrip(t *testing.T) {
	data, res := demo(t, "demo.json")
	if len(res.Requests) == 0 {
		t.Fatal("the demo results carry no requests")
	}
	again, err := Encode(res)
	if err != nil {
		t.Fatal(err)
	}
	rd, err := Decode("again.json", bytes.NewReader(again), MaxSize, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rd.Results.Requests, res.Requests) {
		t.Error("requests changed on the way through a slimmed read")
	}
	i := bytes.Index(data, []byte(",\n\"requests\":"))
	if i < 0 {
		t.Fatal("no requests member in demo.json")
	}
	old := append(bytes.Clone(data[:i]), []byte("\n}\n")...)
	rd, err = Decode("old.json", bytes.NewReader(old), MaxSize, true)
	if err != nil {
		t.Fatalf("results without requests: %v", err)
	}
	if rd.Results.Requests != nil {
		t.Errorf("results without requests read with %d", len(rd.Results.Requests))
	}
	// A request the schema does not describe is refused, by its place.
	bad := bytes.Replace(data, []byte(`"need":"coverage"`), []byte(`"need":"sometime"`), 1)
	if _, err := Decode("bad.json", bytes.NewReader(bad), MaxSize, true); err == nil || !strings.Contains(err.Error(), "/requests/0/need") {
		t.Errorf("unknown need: %v, want an error at /requests/0/need", err)
	}
}
