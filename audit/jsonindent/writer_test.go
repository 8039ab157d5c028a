package jsonindent

import (
	"bytes"
	"errors"
	"testing"
)

// A document written piece by piece, empty arrays and objects included, has
// the bytes of encoding it whole.
func TestWriterMatchesEncodingJSON(t *testing.T) {
	type elem struct {
		N    int               `json:"n"`
		Tags []string          `json:"tags"`
		M    map[string]string `json:"m"`
	}
	whole := map[string]any{
		"a":     "x <y> & \u2028",
		"empty": []elem{},
		"obj":   map[string]any{},
		"list":  []elem{{N: 1, Tags: []string{"p", "q"}}, {N: 2, M: map[string]string{"k": "v"}}},
	}
	var buf bytes.Buffer
	j := NewWriter(&buf, "  ")
	j.Begin('{')
	j.Key("a")
	j.Value(whole["a"])
	j.Key("empty")
	j.Begin('[')
	j.End(']')
	j.Key("list")
	j.Begin('[')
	for _, e := range whole["list"].([]elem) {
		j.Elem()
		j.Value(e)
	}
	j.End(']')
	j.Key("obj")
	j.Begin('{')
	j.End('}')
	j.End('}')
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if want := reference(t, whole, "", "  "); !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("got\n%s\nwant\n%s", buf.Bytes(), want)
	}
}

type failing struct{}

func (failing) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// A write error is kept and returned by Close, however late it shows.
func TestWriterKeepsTheFirstError(t *testing.T) {
	j := NewWriter(failing{}, "  ")
	j.Begin('[')
	j.Elem()
	j.Value(make(chan int)) // cannot be encoded: the first error
	j.End(']')
	if err := j.Close(); err == nil || err.Error() == "disk full" {
		t.Fatalf("want the encoding error, got %v", err)
	}
}
