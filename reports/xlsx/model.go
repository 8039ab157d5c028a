package xlsx

import (
	"fmt"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit/model"
)

var threatColumns = []column{
	{"Threat", 12, plain},
	{"Title", 40, wrapped},
	{"Category", 20, wrapped},
	{"Severity", 10, plain},
	{"Status", 16, plain},
	{"Status as exported", 16, plain},
	{"Targets", 36, wrapped},
	{"Mitigations", 36, wrapped},
	{"Description", 50, wrapped},
	{"Model ref", 16, plain},
}

// threats writes the model's threats as exported, with their targets and
// mitigations by id and name.
func (wb *workbook) threats() error {
	t, err := newTable(wb.f, wb.st, SheetThreats, 1, threatColumns)
	if err != nil {
		return err
	}
	for _, th := range wb.r.Model.Threats {
		err := t.add(th.ID, th.Title, th.Category, th.Severity, th.Status, th.RawStatus,
			wb.named(th.Targets), wb.mitigationNames(th.Mitigations), th.Description, th.Ref)
		if err != nil {
			return err
		}
	}
	return t.close()
}

// mitigationNames shows mitigation ids with their titles, one per line.
func (wb *workbook) mitigationNames(ids []string) string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if title := wb.mitigationTitles[id]; title != "" {
			id += " (" + title + ")"
		}
		out = append(out, id)
	}
	return lines(out)
}

var mitigationColumns = []column{
	{"Mitigation", 16, plain},
	{"Title", 40, wrapped},
	{"Status", 14, plain},
	{"Status as exported", 16, plain},
	{"Provides", 44, wrapped},
	{"Targets", 36, wrapped},
	{"Threats", 12, wrapped},
	{"Evidence", 26, wrapped},
	{"Description", 50, wrapped},
	{"Model ref", 16, plain},
}

// mitigations writes the model's mitigations: what the findings cite.
func (wb *workbook) mitigations() error {
	t, err := newTable(wb.f, wb.st, SheetMitigation, 1, mitigationColumns)
	if err != nil {
		return err
	}
	for _, m := range wb.r.Model.Mitigations {
		err := t.add(m.ID, m.Title, m.Status, m.RawStatus, lines(provisions(m.Provides)), wb.named(m.Targets),
			lines(m.Threats), lines(m.Evidence), m.Description, m.Ref)
		if err != nil {
			return err
		}
	}
	return t.close()
}

// provisions shows capabilities with their parameters, keys in name order.
func provisions(list []model.Provision) []string {
	out := make([]string, 0, len(list))
	for _, p := range list {
		keys := make([]string, 0, len(p.Params))
		for k := range p.Params {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		params := make([]string, 0, len(keys))
		for _, k := range keys {
			params = append(params, fmt.Sprintf("%s=%v", k, p.Params[k]))
		}
		s := p.Capability
		if len(params) > 0 {
			s += " (" + strings.Join(params, ", ") + ")"
		}
		out = append(out, s)
	}
	return out
}

var componentColumns = []column{
	{"Component", 20, plain},
	{"Name", 28, wrapped},
	{"Kind", 15, plain},
	{"Type", 14, plain},
	{"Zone", 24, wrapped},
	{"Tags", 16, wrapped},
	{"Stores", 20, wrapped},
	{"Processes", 20, wrapped},
	{"Encrypted at rest", 10, plain},
	{"Stores credentials", 11, plain},
	{"Stores logs", 9, plain},
	{"Internet facing", 9, plain},
	{"Authenticates", 13, plain},
	{"In scope", 9, plain},
	{"Out-of-scope reason", 30, wrapped},
	{"Description", 44, wrapped},
	{"Model ref", 16, plain},
}

// components writes the model's processes, data stores and external
// entities. Unknown facts read "unknown", never "false".
func (wb *workbook) components() error {
	t, err := newTable(wb.f, wb.st, SheetComponents, 1, componentColumns)
	if err != nil {
		return err
	}
	for _, c := range wb.r.Model.Components {
		err := t.add(c.ID, c.Name, c.Kind, c.Type, wb.named(nonEmpty(c.Zone)), lines(c.Tags), lines(c.Stores),
			lines(c.Processes), tri(c.EncryptedAtRest), tri(c.StoresCredentials), tri(c.StoresLogs),
			tri(c.InternetFacing), tri(c.Authenticates), inScope(c.OutOfScope), c.OutOfScopeReason,
			c.Description, c.Ref)
		if err != nil {
			return err
		}
	}
	return t.close()
}

var flowColumns = []column{
	{"Flow", 18, plain},
	{"Name", 28, wrapped},
	{"Source", 24, wrapped},
	{"Target", 24, wrapped},
	{"Bidirectional", 13, plain},
	{"Protocol", 13, plain},
	{"Data", 20, wrapped},
	{"Classifications", 16, wrapped},
	{"Leaves zones", 16, wrapped},
	{"Enters zones", 16, wrapped},
	{"Crosses lines", 14, wrapped},
	{"Encrypted", 10, plain},
	{"Authenticated", 14, plain},
	{"Public network", 9, plain},
	{"Interactive", 11, plain},
	{"Admin", 9, plain},
	{"In scope", 9, plain},
	{"Out-of-scope reason", 30, wrapped},
	{"Description", 44, wrapped},
	{"Model ref", 16, plain},
}

// flows writes the model's data flows with the zone boundaries each one
// crosses, as computed during evaluation.
func (wb *workbook) flows() error {
	t, err := newTable(wb.f, wb.st, SheetFlows, 1, flowColumns)
	if err != nil {
		return err
	}
	for _, f := range wb.r.Model.Flows {
		err := t.add(f.ID, f.Name, wb.named([]string{f.Source}), wb.named([]string{f.Target}), yesNo(f.Bidirectional),
			f.Protocol, lines(f.Data), lines(f.Classifications), lines(f.Crossing.Left), lines(f.Crossing.Entered),
			lines(f.Crossing.Lines), tri(f.Encrypted), tri(f.Authenticated), tri(f.PublicNetwork),
			tri(f.Interactive), tri(f.Admin), inScope(f.OutOfScope), f.OutOfScopeReason, f.Description, f.Ref)
		if err != nil {
			return err
		}
	}
	return t.close()
}

var zoneColumns = []column{
	{"Zone", 18, plain},
	{"Name", 30, wrapped},
	{"Parent", 24, wrapped},
	{"Trust", 24, plain},
	{"Tags", 18, wrapped},
	{"Description", 50, wrapped},
	{"Model ref", 16, plain},
}

// zones writes the trust zones; a zone without its own trust level says
// which parent it inherits from.
func (wb *workbook) zones() error {
	t, err := newTable(wb.f, wb.st, SheetZones, 1, zoneColumns)
	if err != nil {
		return err
	}
	for _, z := range wb.r.Model.Zones {
		trust := z.Trust
		if trust == "" && z.Parent != "" {
			trust = "inherited from " + z.Parent
		}
		err := t.add(z.ID, z.Name, wb.named(nonEmpty(z.Parent)), trust, lines(z.Tags), z.Description, z.Ref)
		if err != nil {
			return err
		}
	}
	return t.close()
}

// tri shows a tri-state fact; an unstated fact is "unknown", never "no".
func tri(t model.Tri) string {
	switch t {
	case model.True:
		return "yes"
	case model.False:
		return "no"
	}
	return "unknown"
}

func inScope(out bool) string { return yesNo(!out) }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
