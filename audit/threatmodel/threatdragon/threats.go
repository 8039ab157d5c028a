package threatdragon

import (
	"fmt"
	"strings"

	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/importer"
)

// threatStatuses maps Threat Dragon threat statuses, compared in lower
// case without spaces, to the model's. v1 wrote "Not Applicable"; the v2
// schema also lists Avoided and Eliminated, both meaning the threat no
// longer applies because it was designed out.
var threatStatuses = map[string]string{
	"open":          model.ThreatOpen,
	"mitigated":     model.ThreatMitigated,
	"avoided":       model.ThreatMitigated,
	"eliminated":    model.ThreatMitigated,
	"accepted":      model.ThreatAccepted,
	"transferred":   model.ThreatTransferred,
	"notapplicable": model.ThreatNotApplicable,
	"na":            model.ThreatNotApplicable,
	"n/a":           model.ThreatNotApplicable,
}

// mitigationStatuses derives the status of the mitigation synthesised from
// a threat's mitigation text. Threat Dragon records a decision only on the
// threat: "Mitigated" means the text describes what was done; on an open
// threat the text is a proposal; on an accepted or transferred threat it
// often states the justification rather than a control, so nothing is claimed.
var mitigationStatuses = map[string]string{
	model.ThreatOpen:          model.MitigationRecommended,
	model.ThreatMitigated:     model.MitigationImplemented,
	model.ThreatAccepted:      model.MitigationUnknown,
	model.ThreatTransferred:   model.MitigationUnknown,
	model.ThreatNotApplicable: model.MitigationNotApplicable,
}

var severities = map[string]string{
	"critical": "critical", "high": "high", "medium": "medium", "low": "low",
	"info": "info", "informational": "info", "tba": "unknown", "": "unknown",
}

// threats imports the threats recorded on a cell: v2 keeps them in
// cell.data.threats, v1 on the cell.
func (d *decoder) threats(c *cell, targets []string) {
	list, ok := c.data["threats"].([]any)
	base := c.ref + "/data/threats"
	if !ok {
		list, base = arr(c.raw["threats"]), c.ref+"/threats"
	}
	owner := c.id
	if owner == "" {
		owner = c.native
		if len(list) > 0 {
			d.warn(c.ref, "the %d threat(s) of cell %q are imported without a target", len(list), c.native)
		}
	}
	for i, v := range list {
		ref := fmt.Sprintf("%s/%d", base, i)
		t := obj(v)
		if t == nil {
			d.warn(ref, "threat is not an object; skipped")
			continue
		}
		d.threat(t, ref, fmt.Sprintf("%s/threat-%d", owner, i+1), targets)
	}
}

func (d *decoder) threat(t map[string]any, ref, fallback string, targets []string) {
	id := strings.TrimSpace(str(t["id"]))
	if id == "" {
		id = strings.TrimSpace(str(t["threatId"]))
	}
	if id == "" || d.ids.Used(id) {
		id = fallback
	}
	th := model.Threat{
		ID:          d.ids.Claim(id),
		Title:       importer.Clean(str(t["title"])),
		Description: strings.TrimSpace(str(t["description"])),
		Category:    importer.Clean(str(t["type"])),
		RawStatus:   str(t["status"]),
		Targets:     targets,
		Ref:         ref,
	}
	rawSev := importer.Clean(str(t["severity"]))
	if s, ok := severities[strings.ToLower(rawSev)]; ok {
		th.Severity = s
	} else {
		th.Severity = "unknown"
		d.warn(ref+"/severity", "unknown severity %q; recorded as unknown", rawSev)
	}
	key := strings.ToLower(strings.Join(strings.Fields(th.RawStatus), ""))
	switch s, ok := threatStatuses[key]; {
	case ok:
		th.Status = s
	case key == "":
		th.Status = model.ThreatOpen
	default:
		th.Status = model.ThreatOpen
		d.warn(ref+"/status", "unknown threat status %q; treated as open", th.RawStatus)
	}
	if text := strings.TrimSpace(str(t["mitigation"])); text != "" {
		mi := model.Mitigation{
			ID:          d.ids.Claim(th.ID + "-mitigation"),
			Title:       firstLine(text),
			Description: text,
			Status:      mitigationStatuses[th.Status],
			Targets:     targets,
			Threats:     []string{th.ID},
			RawStatus:   th.RawStatus,
			Ref:         ref + "/mitigation",
		}
		th.Mitigations = []string{mi.ID}
		d.m.Mitigations = append(d.m.Mitigations, mi)
	}
	d.m.Threats = append(d.m.Threats, th)
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = importer.Clean(l); l != "" {
			return l
		}
	}
	return ""
}
