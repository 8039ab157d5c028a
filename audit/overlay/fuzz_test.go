package overlay

import (
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
)

// FuzzApply decodes an overlay as the configuration does (schema first) and
// applies it to a small model. Whatever the overlay says, Apply must not
// panic, must leave the input model alone, and every warning and error must
// point into the overlay.
func FuzzApply(f *testing.F) {
	f.Add([]byte(`{"zones":[{"match":{"id":"z1"},"tags":["cde"],"trust":"trusted"}]}`))
	f.Add([]byte("mitigations:\n  - match: {pattern: '(?i)tls'}\n    provides: [{capability: encrypt-in-transit}]\n    status: planned\n    targets: [c1]\n"))
	f.Add([]byte("data_assets:\n  - match: {name: card number}\n    classifications: [pan]\ncomponents:\n  - match: {id: c1}\n    zone: z9\n    stores: [d1]\n    out_of_scope: true\n"))
	f.Add([]byte("add_data_assets: [{id: d3, name: x}]\nadd_mitigations: [{id: m3, title: t, status: implemented}]\nflows: [{match: {pattern: '.*'}, encrypted: null}]\n"))
	f.Add([]byte("components:\n  - match: {id: c1}\n    encrypted_at_rest: unknown\n    stores_credentials: false\n    internet_facing: null\nflows: [{match: {name: x}, public_network: \"unknown\", admin: true}]\n"))
	schema := schemadoc.MustCompile("https://auditpack.invalid/schemas/overlay/v1", Schema())
	f.Fuzz(func(t *testing.T, data []byte) {
		o := &Overlay{}
		if _, err := schemadoc.Decode("overlay.yaml", data, schema, o); err != nil {
			return
		}
		in := sample()
		before := len(in.Mitigations) + len(in.DataAssets)
		out, warns, err := Apply(in, o)
		if len(in.Mitigations)+len(in.DataAssets) != before || in.Zones[0].Tags != nil {
			t.Fatal("Apply changed its input model")
		}
		if err != nil {
			if !strings.Contains(err.Error(), "/overlay/") {
				t.Fatalf("error does not point into the overlay: %v", err)
			}
			return
		}
		for _, w := range warns {
			if !strings.HasPrefix(w.Pointer, "/overlay/") {
				t.Fatalf("warning pointer %q is not in the overlay", w.Pointer)
			}
		}
		// The result may name zones or data that do not exist; model.New
		// must then refuse it with an error, not a panic.
		_, _ = model.New(out)
	})
}
