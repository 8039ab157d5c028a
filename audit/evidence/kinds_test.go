package evidence

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/auditpack/auditpack/mappings"
)

// The manifest schema, published for editors, must take exactly the kinds
// the rules know: a kind it lacks could not be filed, one it adds could be
// filed and never count.
func TestManifestSchemaListsEveryEvidenceKind(t *testing.T) {
	var doc struct {
		Properties struct {
			Items struct {
				Items struct {
					Properties struct {
						Kind struct {
							Enum []string `json:"enum"`
						} `json:"kind"`
					} `json:"properties"`
				} `json:"items"`
			} `json:"items"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(Schema(), &doc); err != nil {
		t.Fatal(err)
	}
	got := doc.Properties.Items.Items.Properties.Kind.Enum
	if want := mappings.EvidenceKindIDs(); !slices.Equal(got, want) {
		t.Errorf("manifest.schema.json kinds %v, want %v", got, want)
	}
}

// Both decoding paths take the new kinds and refuse an unknown one.
func TestManifestTakesTypedKinds(t *testing.T) {
	for _, kind := range []string{"asv-scan", "segmentation-test", "configuration", "scan-result"} {
		data := []byte(`{"schema":"auditpack/evidence/v1","items":[{"id":"EV-1","title":"t","kind":"` + kind +
			`","collected_at":"2026-01-01","files":[{"path":"a.txt","sha256":"` + zeros + `"}],"supports":[{"rule":"r"}]}]}`)
		if _, err := ParseManifest("manifest.json", data); err != nil {
			t.Errorf("%s: %v", kind, err)
		}
	}
	data := []byte(`{"schema":"auditpack/evidence/v1","items":[{"id":"EV-1","title":"t","kind":"asv-scna","collected_at":"2026-01-01","files":[{"path":"a.txt","sha256":"` + zeros + `"}],"supports":[{"rule":"r"}]}]}`)
	if _, err := ParseManifest("manifest.json", data); err == nil {
		t.Error("an unknown kind was accepted")
	}
}

const zeros = "0000000000000000000000000000000000000000000000000000000000000000"
