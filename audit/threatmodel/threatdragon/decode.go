package threatdragon

import (
	"bytes"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
)

// Format is the stable name recorded in [model.Source] for Threat Dragon input.
const Format = "threat-dragon"

// Detect reports whether data is a Threat Dragon model: a JSON object with
// a "summary" and a "detail" object holding a "diagrams" array. A "summary"
// with the misspelt "details" is claimed too, so that Decode can refuse it
// with a clear message. It looks at content only, never at a file name.
func Detect(data []byte) bool {
	if t := bytes.TrimLeft(importer.TrimBOM(data), " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return false // Threat Dragon writes JSON objects only
	}
	root, err := parse(data)
	if err != nil || obj(root["summary"]) == nil {
		return false
	}
	if obj(root["details"]) != nil {
		return true
	}
	_, ok := obj(root["detail"])["diagrams"].([]any)
	return ok
}

// Decode imports one Threat Dragon v1 or v2 model. fsys is unused (the
// format has no includes); name is used in errors and Source.File. Anything
// that cannot be mapped is kept as a [model.Warning] with its JSON pointer.
func Decode(fsys fs.FS, name string, data []byte) (*model.Model, error) {
	root, err := parse(data)
	if err != nil {
		return nil, importer.Errorf(name, "%w", err)
	}
	d := &decoder{name: name}
	if err := d.header(root); err != nil {
		return nil, err
	}
	d.m.Source.SHA256 = importer.SHA256(data)
	diagrams := arr(obj(root["detail"])["diagrams"])
	d.planIDs(diagrams)
	for i, dg := range diagrams {
		d.diagram(i, obj(dg))
	}
	d.synthesiseData()
	return d.m, nil
}

type decoder struct {
	name string
	m    *model.Model
	// ids holds every id handed out, across all element kinds.
	ids importer.IDs
	// warnings adds m's warnings, a bounded number of each kind.
	warnings importer.Warner
	// shared holds native cell ids that occur in more than one diagram.
	shared map[string]bool
	// creds and card list components flagged storesCredentials and
	// handlesCardPayment, with the pointer of the first flag seen.
	creds, card       []string
	credsRef, cardRef string
	// work counts geometry operations against maxGeometryWork.
	work int
}

func (d *decoder) header(root map[string]any) error {
	version := ""
	if v, ok := root["version"]; ok {
		version = strings.TrimSpace(str(v))
		major, _, _ := strings.Cut(version, ".")
		if n, err := strconv.Atoi(major); err != nil || n != 2 {
			return importer.Errorf(d.name, "at /version: unsupported Threat Dragon version %q (v1 files have no version, v2 files 2.x)", str(v))
		}
	} else {
		version = "1"
	}
	if _, ok := root["details"]; ok && root["detail"] == nil {
		return importer.Errorf(d.name, "at /details: Threat Dragon keeps diagrams under \"detail\", not \"details\"")
	}
	summary := obj(root["summary"])
	if summary == nil {
		return importer.Errorf(d.name, "at /summary: missing or not an object")
	}
	detail := obj(root["detail"])
	if detail == nil {
		return importer.Errorf(d.name, "at /detail: missing or not an object")
	}
	if _, ok := detail["diagrams"].([]any); !ok && detail["diagrams"] != nil {
		return importer.Errorf(d.name, "at /detail/diagrams: not an array")
	}
	d.m = &model.Model{
		Title:       importer.Clean(str(summary["title"])),
		Description: strings.TrimSpace(str(summary["description"])),
		Owner:       importer.Clean(str(summary["owner"])),
		Source:      model.Source{Format: Format, FormatVersion: version, File: d.name},
	}
	if id, ok := summary["id"].(string); ok {
		d.m.ID = strings.TrimSpace(id)
	}
	return nil
}

// planIDs finds cell ids used in more than one diagram. Threat Dragon gives
// each diagram its own id space (a copied diagram repeats every id), so
// such ids are prefixed with "d<diagram position>:" in every diagram.
func (d *decoder) planIDs(diagrams []any) {
	first := map[string]int{}
	d.shared = map[string]bool{}
	for i, dg := range diagrams {
		for _, c := range cellsOf(obj(dg)) {
			id := str(obj(c)["id"])
			if id == "" {
				continue
			}
			if j, ok := first[id]; ok && j != i {
				d.shared[id] = true
			} else if !ok {
				first[id] = i
			}
		}
	}
}

// cellsOf returns a diagram's cells: v2 keeps them in "cells", v1 in
// "diagramJson.cells".
func cellsOf(dg map[string]any) []any {
	if c, ok := dg["cells"].([]any); ok {
		return c
	}
	return arr(obj(dg["diagramJson"])["cells"])
}

func cellsPointer(i int, dg map[string]any) string {
	if _, ok := dg["cells"].([]any); ok {
		return fmt.Sprintf("/detail/diagrams/%d/cells", i)
	}
	return fmt.Sprintf("/detail/diagrams/%d/diagramJson/cells", i)
}

func (d *decoder) warn(ref, format string, args ...any) {
	d.warnings.Warn(d.m, ref, format, args...)
}

// synthesiseData turns the storesCredentials and handlesCardPayment flags
// into data assets so that classification-based rules can see them.
func (d *decoder) synthesiseData() {
	add := func(id, name, class, ref string, comps []string, stored bool) {
		if len(comps) == 0 {
			return
		}
		id = d.ids.Claim(id)
		d.m.DataAssets = append(d.m.DataAssets, model.DataAsset{
			ID: id, Name: name, Classifications: []string{class}, Ref: ref,
			Description: "Synthesised from the Threat Dragon flag at " + ref + " and the same flag on other elements.",
		})
		for i := range d.m.Components {
			c := &d.m.Components[i]
			for _, cid := range comps {
				if c.ID != cid {
					continue
				}
				if stored {
					c.Stores = append(c.Stores, id)
				} else {
					c.Processes = append(c.Processes, id)
				}
			}
		}
	}
	add("td-stored-credentials", "Stored credentials", "credentials", d.credsRef, d.creds, true)
	add("td-card-payment-data", "Card payment data", "pan", d.cardRef, d.card, false)
}
