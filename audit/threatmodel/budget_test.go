package threatmodel

import (
	"strings"
	"testing"
)

// flatModel is a native model of 2 MiB holding nothing but a million zone
// values: before parsing was budgeted, it took seconds and a gigabyte.
func flatModel() []byte {
	var b strings.Builder
	b.WriteString("schema: auditpack/model/v1\nzones: [0")
	for b.Len() < 2<<20 {
		b.WriteString(",0")
	}
	b.WriteString("]\n")
	return []byte(b.String())
}

// The 2 MiB flat model is refused by its value budget, naming the file
// and the line; BenchmarkFlatModel shows it is refused in milliseconds.
func TestFlatModelIsRefused(t *testing.T) {
	for _, tt := range []struct{ name, prefix, suffix string }{
		{"native yaml", "", ""},
		{"native json", "{\"schema\": \"auditpack/model/v1\", \"zones\": [0", "]}"},
		{"no format", "zones: [0", "]\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := flatModel()
			if tt.prefix != "" {
				data = []byte(tt.prefix + strings.Repeat(",0", 1<<20) + tt.suffix)
			}
			_, err := Decode(nil, "flat.yaml", data)
			if err == nil || !strings.Contains(err.Error(), "flat.yaml:") || !strings.Contains(err.Error(), "the document holds more than") {
				t.Fatalf("got %v", err)
			}
		})
	}
}

func BenchmarkFlatModel(b *testing.B) {
	data := flatModel()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Decode(nil, "flat.yaml", data); err == nil {
			b.Fatal("accepted")
		}
	}
}
