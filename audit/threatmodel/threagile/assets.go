package threagile

import (
	"strings"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
	"go.yaml.in/yaml/v3"
)

type rawDataAsset struct {
	ID              string   `yaml:"id"`
	Description     string   `yaml:"description"`
	Usage           string   `yaml:"usage"`
	Tags            []string `yaml:"tags"`
	Origin          string   `yaml:"origin"`
	Owner           string   `yaml:"owner"`
	Quantity        string   `yaml:"quantity"`
	Confidentiality string   `yaml:"confidentiality"`
	Integrity       string   `yaml:"integrity"`
	Availability    string   `yaml:"availability"`
	Justification   string   `yaml:"justification_cia_rating"`
}

type rawAsset struct {
	ID                   string    `yaml:"id"`
	Description          string    `yaml:"description"`
	Type                 string    `yaml:"type"`
	Usage                string    `yaml:"usage"`
	UsedAsClientByHuman  *bool     `yaml:"used_as_client_by_human"`
	OutOfScope           *bool     `yaml:"out_of_scope"`
	JustificationOOS     string    `yaml:"justification_out_of_scope"`
	Size                 string    `yaml:"size"`
	Technology           string    `yaml:"technology"`
	Technologies         []string  `yaml:"technologies"`
	Tags                 []string  `yaml:"tags"`
	Internet             *bool     `yaml:"internet"`
	Machine              string    `yaml:"machine"`
	Encryption           string    `yaml:"encryption"`
	Owner                string    `yaml:"owner"`
	Confidentiality      string    `yaml:"confidentiality"`
	Integrity            string    `yaml:"integrity"`
	Availability         string    `yaml:"availability"`
	MultiTenant          *bool     `yaml:"multi_tenant"`
	Redundant            *bool     `yaml:"redundant"`
	CustomDevelopedParts *bool     `yaml:"custom_developed_parts"`
	DataAssetsProcessed  []string  `yaml:"data_assets_processed"`
	DataAssetsStored     []string  `yaml:"data_assets_stored"`
	DataFormatsAccepted  []string  `yaml:"data_formats_accepted"`
	CommunicationLinks   yaml.Node `yaml:"communication_links"`
}

type rawLink struct {
	Target             string   `yaml:"target"`
	Description        string   `yaml:"description"`
	Protocol           string   `yaml:"protocol"`
	Authentication     string   `yaml:"authentication"`
	Authorization      string   `yaml:"authorization"`
	Tags               []string `yaml:"tags"`
	VPN                *bool    `yaml:"vpn"`
	IPFiltered         *bool    `yaml:"ip_filtered"`
	Readonly           *bool    `yaml:"readonly"`
	Usage              string   `yaml:"usage"`
	DataAssetsSent     []string `yaml:"data_assets_sent"`
	DataAssetsReceived []string `yaml:"data_assets_received"`
}

type dataEntry struct {
	raw   rawDataAsset
	entry entry
}

func (b *builder) readDataAssets() ([]dataEntry, error) {
	var out []dataEntry
	for _, e := range b.doc.sections[secData] {
		var d rawDataAsset
		if err := decode(e, secData, &d); err != nil {
			return nil, err
		}
		if err := checkRatings(e, secData, map[string]string{"confidentiality": d.Confidentiality,
			"integrity": d.Integrity, "availability": d.Availability, "usage": d.Usage, "quantity": d.Quantity}); err != nil {
			return nil, err
		}
		id, err := entryID(e, secData, d.ID)
		if err != nil {
			return nil, err
		}
		d.ID = id
		out = append(out, dataEntry{d, e})
	}
	return out, nil
}

// addDataAssets registers data assets after components, flows and zones, so
// that those keep their Threagile ids when ids collide.
func (b *builder) addDataAssets(entries []dataEntry) {
	for _, de := range entries {
		d, e := de.raw, de.entry
		if _, dup := b.data[d.ID]; dup {
			b.warn(e.ref(secData), "data asset id %q is used twice; the second definition was skipped", d.ID)
			continue
		}
		id := b.claim(d.ID, "data:")
		b.data[d.ID] = id
		b.m.DataAssets = append(b.m.DataAssets, model.DataAsset{
			ID:              id,
			Name:            e.title,
			Classifications: classify(d),
			Description:     dataDescription(d),
			Ref:             e.ref(secData),
		})
	}
}

func classify(d rawDataAsset) []string {
	var out []string
	if c, ok := confidentialityClass[strings.ToLower(strings.TrimSpace(d.Confidentiality))]; ok {
		out = append(out, c)
	}
	for _, t := range cleanTags(d.Tags) {
		if c, ok := tagClass[t]; ok {
			out = appendUnique(out, c)
		}
	}
	return out
}

func dataDescription(d rawDataAsset) string {
	var facts []string
	for _, f := range [][2]string{
		{"confidentiality", d.Confidentiality}, {"integrity", d.Integrity}, {"availability", d.Availability},
		{"usage", d.Usage}, {"quantity", d.Quantity}, {"origin", d.Origin}, {"owner", d.Owner},
	} {
		if v := strings.TrimSpace(f[1]); v != "" {
			facts = append(facts, f[0]+"="+v)
		}
	}
	desc := strings.TrimSpace(d.Description)
	if len(facts) > 0 {
		desc = strings.TrimSpace(desc + "\n\nThreagile: " + strings.Join(facts, ", "))
	}
	if j := strings.TrimSpace(d.Justification); j != "" {
		desc += "\nCIA rating: " + j
	}
	return desc
}

var kinds = map[string]string{
	"external-entity": model.KindExternalEntity,
	"process":         model.KindProcess,
	"datastore":       model.KindDatastore,
}

func (b *builder) readAssets() error {
	for _, e := range b.doc.sections[secAssets] {
		var a rawAsset
		if err := decode(e, secAssets, &a); err != nil {
			return err
		}
		if err := checkRatings(e, secAssets, map[string]string{"confidentiality": a.Confidentiality,
			"integrity": a.Integrity, "availability": a.Availability, "usage": a.Usage}); err != nil {
			return err
		}
		id, err := entryID(e, secAssets, a.ID)
		if err != nil {
			return err
		}
		if _, dup := b.assets[id]; dup {
			return importer.Errorf(e.file, "line %d: technical asset id %q is used twice", e.key.Line, id)
		}
		kind, ok := kinds[strings.ToLower(strings.TrimSpace(a.Type))]
		if !ok {
			return importer.Errorf(e.file, "line %d: technical asset %q: type %q is not external-entity, process or datastore", e.key.Line, e.title, a.Type)
		}
		tech := a.Technology
		if tech == "" && len(a.Technologies) > 0 {
			tech = a.Technologies[0]
		}
		c := model.Component{
			ID:          b.claim(id, "asset:"),
			Name:        e.title,
			Kind:        kind,
			Type:        componentType(tech),
			Tags:        cleanTags(a.Tags),
			Description: strings.TrimSpace(a.Description),
			Props:       assetProps(a),
			Ref:         e.ref(secAssets),
		}
		var known bool
		if c.EncryptedAtRest, known = stated(a.Encryption, encryptions); !known {
			b.warn(c.Ref, "encryption %q is not one Threagile defines; encryption at rest left unknown", a.Encryption)
		}
		if a.Internet != nil {
			c.InternetFacing = model.TriOf(*a.Internet)
		}
		if a.OutOfScope != nil && *a.OutOfScope {
			c.OutOfScope = true
			c.OutOfScopeReason = strings.TrimSpace(a.JustificationOOS)
		}
		b.m.Components = append(b.m.Components, c)
		as := &asset{comp: len(b.m.Components) - 1, raw: a, entry: e, internet: a.Internet != nil && *a.Internet}
		b.assets[id] = as
		b.order = append(b.order, as)
	}
	return nil
}

func assetProps(a rawAsset) map[string]string {
	p := map[string]string{}
	strProp(p, "technology", a.Technology)
	strProp(p, "technologies", strings.Join(a.Technologies, ","))
	strProp(p, "type", a.Type)
	strProp(p, "usage", a.Usage)
	strProp(p, "size", a.Size)
	strProp(p, "machine", a.Machine)
	strProp(p, "encryption", a.Encryption)
	strProp(p, "owner", a.Owner)
	strProp(p, "confidentiality", a.Confidentiality)
	strProp(p, "integrity", a.Integrity)
	strProp(p, "availability", a.Availability)
	strProp(p, "data_formats_accepted", strings.Join(a.DataFormatsAccepted, ","))
	boolProp(p, "used_as_client_by_human", a.UsedAsClientByHuman)
	boolProp(p, "multi_tenant", a.MultiTenant)
	boolProp(p, "redundant", a.Redundant)
	boolProp(p, "custom_developed_parts", a.CustomDevelopedParts)
	return p
}

// resolveAssetData fills Stores and Processes once data assets have ids.
func (b *builder) resolveAssetData() {
	for _, as := range b.order {
		c := &b.m.Components[as.comp]
		c.Processes = b.dataRefs(as.raw.DataAssetsProcessed, as.entry.ref(secAssets, "data_assets_processed"))
		c.Stores = b.dataRefs(as.raw.DataAssetsStored, as.entry.ref(secAssets, "data_assets_stored"))
	}
}

func (b *builder) dataRefs(ids []string, ref string) []string {
	var out []string
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if id == "" {
			continue
		}
		mid, ok := b.data[id]
		if !ok {
			b.warn(ref, "data asset %q is not defined; the reference was dropped", id)
			continue
		}
		out = appendUnique(out, mid)
	}
	return out
}
