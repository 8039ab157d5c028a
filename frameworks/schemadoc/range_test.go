package schemadoc

import (
	"strings"
	"testing"
)

// TestNumberTooLargeForItsFieldIsPlaced: a whole number the schema allows
// but the Go field cannot hold is reported at its line and pointer, not as
// encoding/json's message with the number rewritten.
func TestNumberTooLargeForItsFieldIsPlaced(t *testing.T) {
	s := MustCompile("t.json", []byte(`{"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object",
		"properties": {"days": {"type": "integer", "minimum": 1}}}}}}`))
	var out struct {
		Items []struct {
			Days int `json:"days"`
		} `json:"items"`
	}
	for doc, want := range map[string]string{
		"items:\n  - days: 3\n  - days: 99999999999999999999\n":            "f:3: at /items/1/days: the number does not fit",
		"{\"items\": [{\"days\": 3},\n {\"days\": 99999999999999999999}]}": "f:2: at /items/1/days: the number does not fit",
	} {
		_, err := Decode("f", []byte(doc), s, &out)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "Go struct") {
			t.Errorf("%q: error = %v, want %q", doc, err, want)
		}
	}
}
