package threagile

import (
	"errors"
	"fmt"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
	"strings"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
	"go.yaml.in/yaml/v3"
)

// builder turns the merged document into a model. Threagile ids are mapped
// to model ids through the lookup tables; references that do not resolve
// become warnings.
type builder struct {
	doc document
	m   *model.Model
	ids importer.IDs
	// warnings adds m's warnings, a bounded number of each kind.
	warnings importer.Warner

	assets   map[string]*asset  // technical asset id → asset
	order    []*asset           // technical assets in document order
	flows    map[string]string  // link id → flow id
	zones    map[string]string  // trust boundary id → zone id
	data     map[string]string  // data asset id → model data asset id
	runtimes map[string]bool    // shared runtime ids
	risks    map[string]*riskAt // synthetic risk id → threat built from an individual risk

	pendingData []flowData
	tracked     []*tracking          // risk_tracking entries in document order
	exact       map[string]*tracking // risk_tracking entries by id
	wildcards   []*tracking          // risk_tracking entries with a * segment
}

// asset is a technical asset with the facts later stages need.
type asset struct {
	comp     int // index into m.Components
	raw      rawAsset
	entry    entry
	internet bool
}

func newBuilder(doc document) *builder {
	return &builder{
		doc:      doc,
		m:        &model.Model{Title: doc.title, Owner: doc.owner, Description: doc.description},
		assets:   map[string]*asset{},
		flows:    map[string]string{},
		zones:    map[string]string{},
		data:     map[string]string{},
		runtimes: map[string]bool{},
		risks:    map[string]*riskAt{},
	}
}

func (b *builder) build() error {
	dataEntries, err := b.readDataAssets()
	if err != nil {
		return err
	}
	if err := b.readAssets(); err != nil {
		return err
	}
	if err := b.readLinks(); err != nil {
		return err
	}
	if err := b.readBoundaries(); err != nil {
		return err
	}
	b.addDataAssets(dataEntries)
	b.resolveAssetData()
	b.resolveFlowData()
	if err := b.readRuntimes(); err != nil {
		return err
	}
	if err := b.readRiskCategories(); err != nil {
		return err
	}
	if err := b.readTracking(); err != nil {
		return err
	}
	for _, n := range b.doc.notes {
		b.warn(n.ref, "%s", n.msg)
	}
	return nil
}

// claim reserves id for an element, prefixing it when an earlier element
// already holds it. The result is deterministic for a given document. The
// prefix scheme is the one the package documentation promises, so it stays
// here rather than in importer, whose Claim appends "-2", "-3", ….
func (b *builder) claim(id, prefix string) string {
	if b.ids.Take(id) {
		return id
	}
	p := prefix + id
	for i := 2; !b.ids.Take(p); i++ {
		p = fmt.Sprintf("%s%s~%d", prefix, id, i)
	}
	return p
}

func (b *builder) warn(ref, format string, args ...any) {
	b.warnings.Warn(b.m, ref, format, args...)
}

// decode decodes one entry into v, naming the file and entry on error.
func decode(e entry, section string, v any) error {
	if err := e.value.Decode(v); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		var te *yaml.TypeError
		if errors.As(err, &te) && len(te.Errors) > 0 {
			msg = te.Errors[0]
			if len(te.Errors) > 1 {
				msg += fmt.Sprintf(" (and %d more)", len(te.Errors)-1)
			}
		}
		return importer.Errorf(e.file, "line %d: %s %q: %s", e.key.Line, section, e.title, schemadoc.WithoutContent(msg))
	}
	return nil
}

// entryID returns the id an entry declares, or an error naming the entry.
func entryID(e entry, section, id string) (string, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return "", importer.Errorf(e.file, "line %d: %s %q has no id", e.key.Line, section, e.title)
	}
	return id, nil
}

// sub lists the titled entries of a nested mapping (links, identified
// risks), keeping the parent's file for Refs.
func sub(parent entry, n *yaml.Node) ([]entry, error) {
	ps, err := pairs(parent.file, n)
	if err != nil {
		return nil, err
	}
	out := make([]entry, 0, len(ps))
	for _, p := range ps {
		out = append(out, entry{title: p.key.Value, key: p.key, value: p.value, file: parent.file})
	}
	return out, nil
}

func boolProp(props map[string]string, key string, v *bool) {
	if v != nil {
		props[key] = fmt.Sprint(*v)
	}
}

func strProp(props map[string]string, key, v string) {
	if v = strings.TrimSpace(v); v != "" {
		props[key] = v
	}
}

// cleanTags trims, lower-cases and drops empty tags, keeping their order.
func cleanTags(tags []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range tags {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func appendUnique(list []string, items ...string) []string {
	for _, s := range items {
		if s != "" && !contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}
