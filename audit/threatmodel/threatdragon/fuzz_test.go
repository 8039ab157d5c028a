package threatdragon

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/auditpack/auditpack/audit/model"
)

// FuzzDecode checks that no input panics Decode and that every model it
// returns is accepted by model.New.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(samples, "*.json"))
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(nested))
	f.Add([]byte(stated))
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		m, err := Decode(nil, "fuzz.json", data)
		if err != nil {
			return
		}
		if _, err := model.New(m); err != nil {
			t.Fatalf("model.New refuses a decoded model: %v", err)
		}
	})
}

// BenchmarkDecode decodes the largest sample.
func BenchmarkDecode(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(samples, "cryptocurrency-wallet.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Decode(nil, "cryptocurrency-wallet.json", data); err != nil {
			b.Fatal(err)
		}
	}
}
