package tmt

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/auditpack/auditpack/audit/model"
)

// The expected/ folder holds what third-party converters made of the same
// .tm7 files. They are oracles for counts and placements, not for bytes.

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	if err := json.Unmarshal(read(t, "expected/"+name), v); err != nil {
		t.Fatal(err)
	}
}

func count(m *model.Model, kind string) int {
	n := 0
	for _, c := range m.Components {
		if c.Kind == kind {
			n++
		}
	}
	return n
}

func TestAgainstStartLeft(t *testing.T) {
	var otm struct {
		TrustZones []struct{ ID string } `json:"trustZones"`
		Components []struct {
			ID     string
			Parent struct{ TrustZone string } `json:"parent"`
		} `json:"components"`
		Dataflows []struct {
			ID          string
			Source      string `json:"source"`
			Destination string `json:"destination"`
		} `json:"dataflows"`
		Threats     []any `json:"threats"`
		Mitigations []any `json:"mitigations"`
	}
	readJSON(t, "MTMT_MVP.startleft.otm", &otm)
	m := decodeSample(t, "startleft/MTMT_MVP.tm7")
	if len(m.Zones) != len(otm.TrustZones) || len(m.Components) != len(otm.Components) ||
		len(m.Flows) != len(otm.Dataflows) || len(m.Threats) != len(otm.Threats) || len(m.Mitigations) != len(otm.Mitigations) {
		t.Errorf("zones/components/flows/threats/mitigations = %d/%d/%d/%d/%d, StartLeft has %d/%d/%d/%d/%d",
			len(m.Zones), len(m.Components), len(m.Flows), len(m.Threats), len(m.Mitigations),
			len(otm.TrustZones), len(otm.Components), len(otm.Dataflows), len(otm.Threats), len(otm.Mitigations))
	}
	zones := map[string]string{}
	for _, c := range m.Components {
		zones[c.ID] = c.Zone
	}
	for _, c := range otm.Components {
		if got, ok := zones[c.ID]; !ok || got != c.Parent.TrustZone {
			t.Errorf("component %s is in zone %q, StartLeft says %q", c.ID, got, c.Parent.TrustZone)
		}
	}
	flows := map[string]model.Flow{}
	for _, f := range m.Flows {
		flows[f.ID] = f
	}
	for _, f := range otm.Dataflows {
		if got := flows[f.ID]; got.Source != f.Source || got.Target != f.Destination {
			t.Errorf("flow %s = %s → %s, StartLeft says %s → %s", f.ID, got.Source, got.Target, f.Source, f.Destination)
		}
	}
}

func TestAgainstTMFileParser(t *testing.T) {
	var s1 struct {
		DrawingSurfaceList struct {
			DrawingSurfaceModel []struct {
				Borders struct {
					KV []struct {
						Value struct {
							GenericTypeID string `json:"genericTypeId"`
						} `json:"value"`
					} `json:"keyValueOfguidanyType"`
				} `json:"borders"`
				Lines struct {
					KV []struct {
						Value struct {
							GenericTypeID string `json:"genericTypeId"`
						} `json:"value"`
					} `json:"keyValueOfguidanyType"`
				} `json:"lines"`
			} `json:"drawingSurfaceModel"`
		} `json:"drawingSurfaceList"`
	}
	readJSON(t, "sample1.tm-file-parser.json", &s1)
	byType := map[string]int{}
	for _, d := range s1.DrawingSurfaceList.DrawingSurfaceModel {
		for _, kv := range append(d.Borders.KV, d.Lines.KV...) {
			byType[kv.Value.GenericTypeID]++
		}
	}
	m := decodeSample(t, "tm-file-parser/sample1.tm7")
	if byType["GE.DS"] != count(m, model.KindDatastore) || byType["GE.TB.B"] != len(m.Zones) || byType["GE.DF"] != len(m.Flows) {
		t.Errorf("sample1: parser counts %v; ours %d stores, %d zones, %d flows",
			byType, count(m, model.KindDatastore), len(m.Zones), len(m.Flows))
	}

	var s2 struct {
		Diagrams []struct {
			Boundaries []struct {
				Name              string
				Assets            []struct{ Guid string }
				ChildBoundaries   []struct{ Name string }
				CrossingDataflows []struct {
					SourceAsset struct{ Guid string }
					TargetAsset struct{ Guid string }
				}
			} `json:"boundaries"`
			Connectors []any `json:"connectors"`
			Assets     []any `json:"assets"`
		} `json:"diagrams"`
		Threats []any `json:"threats"`
	}
	readJSON(t, "sample2-all.tm-file-parser.json", &s2)
	m = decodeSample(t, "tm-file-parser/sample2.tm7")
	x, err := model.New(m)
	if err != nil {
		t.Fatal(err)
	}
	d := s2.Diagrams[0]
	if len(d.Assets) != len(m.Components) || len(d.Connectors) != len(m.Flows) ||
		len(d.Boundaries) != len(m.Zones) || len(s2.Threats) != len(m.Threats) {
		t.Errorf("sample2: parser has %d assets, %d connectors, %d boundaries, %d threats; ours %d, %d, %d, %d",
			len(d.Assets), len(d.Connectors), len(d.Boundaries), len(s2.Threats),
			len(m.Components), len(m.Flows), len(m.Zones), len(m.Threats))
	}
	zoneID := map[string]string{}
	for _, z := range m.Zones {
		zoneID[z.Name] = z.ID
	}
	for _, b := range d.Boundaries {
		for _, c := range b.ChildBoundaries {
			if got := x.Zone(zoneID[c.Name]).Parent; got != zoneID[b.Name] {
				t.Errorf("%s: parent %q, want %q", c.Name, got, zoneID[b.Name])
			}
		}
		for _, a := range b.Assets {
			// The parser lists every box an element's centre lies in; we
			// keep the smallest. "IoT Field Gateway Zone" overlaps the Azure
			// boundary without being inside it, and wins for Azure Storage.
			chain := x.ZoneChain(x.Component(a.Guid).Zone)
			if !slices.Contains(chain, zoneID[b.Name]) && chain[0] != zoneID["IoT Field Gateway Zone"] {
				t.Errorf("%s: element %s is in %v", b.Name, a.Guid, chain)
			}
		}
		for _, f := range b.CrossingDataflows {
			found := false
			for _, fl := range m.Flows {
				if fl.Source == f.SourceAsset.Guid && fl.Target == f.TargetAsset.Guid &&
					slices.Contains(x.Crossing(fl.ID).Boundaries(), zoneID[b.Name]) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: no flow %s → %s crosses it", b.Name, f.SourceAsset.Guid, f.TargetAsset.Guid)
			}
		}
	}
}

func TestAgainstTMT2TD(t *testing.T) {
	var td struct {
		Detail struct {
			Diagrams []struct {
				DiagramJSON struct {
					Cells []struct {
						Type    string
						Threats []any
					}
				} `json:"diagramJson"`
			}
		}
	}
	readJSON(t, "Transpiled_Sample_Threat_Model.td-v1.json", &td)
	types := map[string]int{}
	threats := 0
	for _, d := range td.Detail.Diagrams {
		for _, c := range d.DiagramJSON.Cells {
			types[c.Type]++
			threats += len(c.Threats)
		}
	}
	m := decodeSample(t, "threat-dragon/Sample_Threat_Model.tm7")
	got := map[string]int{
		"tm.Process": count(m, model.KindProcess), "tm.Store": count(m, model.KindDatastore),
		"tm.Actor": count(m, model.KindExternalEntity), "tm.Flow": len(m.Flows), "tm.Boundary": len(m.Zones),
	}
	for k, v := range got {
		if types[k] != v {
			t.Errorf("%s: TMT2TD has %d, we have %d", k, types[k], v)
		}
	}
	if threats != len(m.Threats) {
		t.Errorf("threats: TMT2TD has %d, we have %d", threats, len(m.Threats))
	}
}
