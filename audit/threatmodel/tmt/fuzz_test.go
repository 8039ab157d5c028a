package tmt

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(samples, "*", "*.tm7"))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`<ThreatModel xmlns="http://schemas.datacontract.org/2004/07/ThreatModeling.Model"><DrawingSurfaceList/></ThreatModel>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(nil, "fuzz.tm7", data)
		if err != nil {
			if strings.Contains(err.Error(), "internal error") {
				t.Fatal(err)
			}
			return
		}
		again, err := Decode(nil, "fuzz.tm7", data)
		if err != nil || !reflect.DeepEqual(m, again) {
			t.Fatalf("second decode differs: %v", err)
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	const name = "tm-file-parser/sample1.tm7" // the largest sample, 1.3 MB
	data := read(b, name)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Decode(nil, name, data); err != nil {
			b.Fatal(err)
		}
	}
}
