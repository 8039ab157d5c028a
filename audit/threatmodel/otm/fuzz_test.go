package otm

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/auditpack/auditpack/audit/model"
)

// FuzzDecode checks that no input panics Decode and that every model it
// returns is accepted by model.New.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(samples, "*"))
	for _, p := range files {
		if ext := filepath.Ext(p); ext == ".md" || ext == ".txt" {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(edgy))
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		m, err := Decode(nil, "fuzz.otm", data)
		if err != nil {
			return
		}
		if _, err := model.New(m); err != nil {
			t.Fatalf("model.New refuses a decoded model: %v", err)
		}
	})
}

// BenchmarkDecode decodes the largest JSON and the largest YAML sample.
func BenchmarkDecode(b *testing.B) {
	for _, name := range []string{"mobile-cloud.otm.json", "mtmt_example.yaml"} {
		data, err := os.ReadFile(filepath.Join(samples, name))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Decode(nil, name, data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
