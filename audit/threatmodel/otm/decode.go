package otm

import (
	"bytes"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
)

// Format is the stable name recorded in [model.Source] for OTM input.
const Format = "otm"

// Detect reports whether data is an Open Threat Model document, JSON or
// YAML: a mapping with "otmVersion", or with a "project" mapping next to
// OTM's trustZones, components or dataflows lists (so that a file missing
// its version is still routed here and refused with a clear error).
func Detect(data []byte) bool {
	if !bytes.Contains(data, []byte("otmVersion")) && !bytes.Contains(data, []byte("project")) {
		return false
	}
	root, err := parse(data)
	if err != nil {
		return false
	}
	if _, ok := root["otmVersion"]; ok {
		return true
	}
	if obj(root["project"]) == nil {
		return false
	}
	for _, k := range []string{"trustZones", "components", "dataflows"} {
		if _, ok := root[k].([]any); ok {
			return true
		}
	}
	return false
}

// Decode imports one OTM document (versions 0.x, JSON or YAML). fsys is
// unused (OTM has no includes); name is used in errors and Source.File.
// Anything that cannot be mapped is kept as a [model.Warning] with its JSON
// pointer.
func Decode(fsys fs.FS, name string, data []byte) (*model.Model, error) {
	root, err := parse(data)
	if err != nil {
		return nil, importer.Errorf(name, "%w", err)
	}
	d := &decoder{
		name:  name,
		zones: map[string]string{}, comps: map[string]string{}, assets: map[string]string{},
		threatDefs: map[string]definition{}, mitDefs: map[string]definition{},
		mitIndex: map[string]int{}, linked: map[[2]string]bool{}, usedThreats: map[string]bool{}, usedMits: map[string]bool{},
	}
	if err := d.header(root); err != nil {
		return nil, err
	}
	for _, k := range []string{"trustZones", "components", "dataflows", "assets", "threats", "mitigations"} {
		if v, ok := root[k]; ok && v != nil {
			if _, ok := v.([]any); !ok {
				return nil, importer.Errorf(name, "at /%s: not a list", k)
			}
		}
	}
	d.m.Source.SHA256 = importer.SHA256(data)
	d.trustZones(arr(root["trustZones"]))
	d.dataAssets(arr(root["assets"]))
	comps := arr(root["components"])
	d.components(comps)
	flows := d.dataflows(arr(root["dataflows"]))
	d.definitions(arr(root["threats"]), arr(root["mitigations"]))
	for i, c := range comps {
		cm := obj(c)
		d.instances(cm, fmt.Sprintf("/components/%d", i), d.comps[str(cm["id"])])
	}
	for i, f := range arr(root["dataflows"]) {
		d.instances(obj(f), fmt.Sprintf("/dataflows/%d", i), flows[i])
	}
	d.uninstantiated(arr(root["threats"]), arr(root["mitigations"]))
	return d.m, nil
}

type decoder struct {
	name string
	m    *model.Model
	// ids holds every id handed out, across all element kinds.
	ids importer.IDs
	// warnings adds m's warnings, a bounded number of each kind.
	warnings importer.Warner
	// zones, comps and assets map native OTM ids to model ids.
	zones, comps, assets map[string]string
	// threatDefs and mitDefs are the top-level catalogues, by native id.
	threatDefs, mitDefs map[string]definition
	// mitIndex finds a mitigation instance in m.Mitigations by model id.
	mitIndex map[string]int
	// linked holds (mitigation, threat) pairs already linked.
	linked                map[[2]string]bool
	usedThreats, usedMits map[string]bool
}

func (d *decoder) header(root map[string]any) error {
	v, ok := root["otmVersion"]
	if !ok || str(v) == "" {
		return importer.Errorf(d.name, "at /otmVersion: missing; every OTM document states its version")
	}
	version := str(v)
	major, minor, _ := strings.Cut(version, ".")
	if major != "0" {
		return importer.Errorf(d.name, "at /otmVersion: unsupported OTM version %q (0.1 and 0.2 are known)", version)
	}
	project := obj(root["project"])
	if project == nil {
		return importer.Errorf(d.name, "at /project: missing or not a mapping")
	}
	d.m = &model.Model{
		ID:          str(project["id"]),
		Title:       importer.Clean(str(project["name"])),
		Description: str(project["description"]),
		Owner:       importer.Clean(str(project["owner"])),
		Source:      model.Source{Format: Format, FormatVersion: version, File: d.name},
	}
	if n, err := strconv.Atoi(strings.SplitN(minor, ".", 2)[0]); err != nil || n > 2 {
		d.warn("/otmVersion", "OTM version %q is newer than 0.2; fields it added are ignored", version)
	}
	return nil
}

// register claims a model id for a native element id and reports a reused one.
func (d *decoder) register(native, kind, ref string, table map[string]string) (string, bool) {
	if native == "" {
		d.warn(ref, "%s has no id; skipped", kind)
		return "", false
	}
	if _, dup := table[native]; dup {
		d.warn(ref, "%s id %q is used twice; this %s is skipped", kind, native, kind)
		return "", false
	}
	id := d.ids.Claim(native)
	if id != native {
		d.warn(ref, "%s id %q is already used by another element; imported as %q", kind, native, id)
	}
	table[native] = id
	return id, true
}

func (d *decoder) warn(ref, format string, args ...any) {
	d.warnings.Warn(d.m, ref, format, args...)
}
