package mappings_test

import (
	"io/fs"
	"testing"

	"github.com/auditpack/auditpack/mappings"
)

func FuzzParseAndLint(f *testing.F) {
	for _, n := range []string{"rules/pci-dss.rules.yaml", "rules/soc2.rules.yaml"} {
		data, err := fs.ReadFile(mappings.BuiltinFS(), n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := mappings.Parse("f.rules.yaml", data)
		if err != nil {
			return
		}
		_ = mappings.Lint([]*mappings.RuleSet{rs}, func(string) error { return nil })
	})
}
