package importer

import (
	"io/fs"
	"testing"

	"github.com/auditpack/auditpack/audit/model"
)

// TestDecode reads the sample name from fsys, checks that detect claims
// it and returns what decode makes of it, stopping the test on any failure
// or if [model.New] refuses the result. fsys is passed to decode, so
// formats with includes read them from the same place.
func TestDecode(tb testing.TB, fsys fs.FS, name string, detect func([]byte) bool,
	decode func(fs.FS, string, []byte) (*model.Model, error)) *model.Model {
	tb.Helper()
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		tb.Fatal(err)
	}
	if !detect(data) {
		tb.Fatalf("%s: not detected as this importer's format", name)
	}
	m, err := decode(fsys, name, data)
	if err != nil {
		tb.Fatalf("Decode(%s): %v", name, err)
	}
	if _, err := model.New(m); err != nil {
		tb.Fatalf("model.New refuses the import of %s: %v", name, err)
	}
	return m
}

// Counts is what an importer's sample tests expect of a decoded model.
// Every field is checked, zero included, so that a sample which silently
// loses or gains elements fails its test.
type Counts struct {
	Processes, Datastores, ExternalEntities int
	Flows, Zones, DataAssets                int
	Threats, Mitigations                    int
	Warnings                                int
}

// TestCounts checks m against want, reporting every count that differs,
// and checks that [model.New] accepts m: an importer must never hand the
// rest of auditpack a model with dangling references.
func TestCounts(tb testing.TB, m *model.Model, want Counts) {
	tb.Helper()
	kinds := map[string]int{}
	for _, c := range m.Components {
		kinds[c.Kind]++
	}
	got := Counts{
		Processes: kinds[model.KindProcess], Datastores: kinds[model.KindDatastore], ExternalEntities: kinds[model.KindExternalEntity],
		Flows: len(m.Flows), Zones: len(m.Zones), DataAssets: len(m.DataAssets),
		Threats: len(m.Threats), Mitigations: len(m.Mitigations), Warnings: len(m.Warnings),
	}
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"processes", got.Processes, want.Processes},
		{"datastores", got.Datastores, want.Datastores},
		{"external entities", got.ExternalEntities, want.ExternalEntities},
		{"flows", got.Flows, want.Flows},
		{"zones", got.Zones, want.Zones},
		{"data assets", got.DataAssets, want.DataAssets},
		{"threats", got.Threats, want.Threats},
		{"mitigations", got.Mitigations, want.Mitigations},
		{"warnings", got.Warnings, want.Warnings},
	} {
		if c.got != c.want {
			tb.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	if got.Warnings != want.Warnings {
		for _, w := range m.Warnings {
			tb.Logf("warning at %s: %s", w.Ref, w.Message)
		}
	}
	if _, err := model.New(m); err != nil {
		tb.Errorf("model.New refuses the import: %v", err)
	}
}

// TestFind returns the item of items whose key is want, and stops the
// test if there is none, so that a test can go on to check its fields.
func TestFind[T any](tb testing.TB, items []T, key func(T) string, want string) T {
	tb.Helper()
	for _, it := range items {
		if key(it) == want {
			return it
		}
	}
	tb.Fatalf("no element %q", want)
	var zero T
	return zero
}
