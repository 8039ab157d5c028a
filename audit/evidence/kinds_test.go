package evidence

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/audit/evidence/facts"
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

// The manifest schema documents every fact of the vocabulary, with its
// meaning and type, so an editor offers them; a fact added to the
// vocabulary and not to the schema fails here.
func TestManifestSchemaDocumentsTheFactVocabulary(t *testing.T) {
	var doc struct {
		Properties struct {
			Items struct {
				Items struct {
					Properties struct {
						Facts struct {
							Description string `json:"description"`
							Properties  map[string]struct {
								Description string `json:"description"`
							} `json:"properties"`
						} `json:"facts"`
					} `json:"properties"`
				} `json:"items"`
			} `json:"items"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(Schema(), &doc); err != nil {
		t.Fatal(err)
	}
	f := doc.Properties.Items.Items.Properties.Facts
	if !strings.Contains(f.Description, "facts_source: read") {
		t.Errorf("the facts description does not say stated facts are not read ones: %q", f.Description)
	}
	for _, d := range facts.Vocabulary {
		p, ok := f.Properties[d.Name]
		if !ok {
			t.Errorf("manifest.schema.json does not document the fact %s", d.Name)
			continue
		}
		if want := d.Meaning + " (" + string(d.Type); !strings.HasPrefix(p.Description, want) {
			t.Errorf("%s: description %q, want it to start %q", d.Name, p.Description, want)
		}
	}
	if len(f.Properties) != len(facts.Vocabulary) {
		t.Errorf("manifest.schema.json documents %d facts, the vocabulary has %d", len(f.Properties), len(facts.Vocabulary))
	}
}
