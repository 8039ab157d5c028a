package threagile

import (
	"fmt"
	"strings"

	"github.com/auditpack/auditpack/audit/model"
	"go.yaml.in/yaml/v3"
)

type rawRiskCategory struct {
	ID              string    `yaml:"id"`
	Description     string    `yaml:"description"`
	Impact          string    `yaml:"impact"`
	Action          string    `yaml:"action"`
	Mitigation      string    `yaml:"mitigation"`
	Check           string    `yaml:"check"`
	STRIDE          string    `yaml:"stride"`
	CWE             string    `yaml:"cwe"`
	RisksIdentified yaml.Node `yaml:"risks_identified"`
}

type rawRisk struct {
	Severity         string `yaml:"severity"`
	DataAsset        string `yaml:"most_relevant_data_asset"`
	TechnicalAsset   string `yaml:"most_relevant_technical_asset"`
	Link             string `yaml:"most_relevant_communication_link"`
	TrustBoundary    string `yaml:"most_relevant_trust_boundary"`
	SharedRuntime    string `yaml:"most_relevant_shared_runtime"`
	LikelihoodRating string `yaml:"exploitation_likelihood"`
	ImpactRating     string `yaml:"exploitation_impact"`
}

type rawTracking struct {
	Status        string `yaml:"status"`
	Justification string `yaml:"justification"`
	Ticket        string `yaml:"ticket"`
	Date          string `yaml:"date"`
	CheckedBy     string `yaml:"checked_by"`
}

// tracking is one risk_tracking entry; used marks an exact match with an
// individual risk, which then carries its status instead of a threat of its
// own.
type tracking struct {
	id    string
	raw   rawTracking
	entry entry
	used  bool
}

// riskAt records the threat built for a synthetic risk id.
type riskAt struct{ threat int }

func (b *builder) readTracking() error {
	for _, t := range b.tracked {
		if t.used {
			continue
		}
		ref := t.entry.ref(secTracking)
		status := b.status(t, ref)
		th := model.Threat{
			ID:          b.claim(t.id, "risk:"),
			Title:       t.id,
			Description: strings.TrimSpace(t.raw.Justification),
			Category:    strings.SplitN(t.id, "@", 2)[0],
			Severity:    "unknown",
			Status:      status,
			RawStatus:   strings.TrimSpace(t.raw.Status),
			Targets:     b.segmentTargets(t.id, ref),
			Ref:         ref,
		}
		b.addThreat(th, "", t)
	}
	return nil
}

// loadTracking decodes risk_tracking before individual risks need it.
func (b *builder) loadTracking() error {
	for _, e := range b.doc.sections[secTracking] {
		var r rawTracking
		if err := decode(e, secTracking, &r); err != nil {
			return err
		}
		t := &tracking{id: strings.TrimSpace(e.title), raw: r, entry: e}
		b.tracked = append(b.tracked, t)
		if b.exact == nil {
			b.exact = map[string]*tracking{}
		}
		if _, dup := b.exact[t.id]; !dup {
			b.exact[t.id] = t
		}
		if strings.Contains(t.id, "*") {
			b.wildcards = append(b.wildcards, t)
		}
	}
	return nil
}

func (b *builder) readRiskCategories() error {
	if err := b.loadTracking(); err != nil {
		return err
	}
	for _, e := range b.doc.sections[secRiskCats] {
		var c rawRiskCategory
		if err := decode(e, secRiskCats, &c); err != nil {
			return err
		}
		catID, err := entryID(e, secRiskCats, c.ID)
		if err != nil {
			return err
		}
		risks, err := sub(e, &c.RisksIdentified)
		if err != nil {
			return err
		}
		for _, re := range risks {
			var r rawRisk
			if err := decode(re, secRiskCats+"."+e.title+".risks_identified", &r); err != nil {
				return err
			}
			ref := fmt.Sprintf("%s:%d:%s.%s.risks_identified.%s", re.file, re.key.Line, secRiskCats, e.title, re.title)
			b.individualRisk(catID, c, r, re.title, ref)
		}
	}
	return nil
}

func (b *builder) individualRisk(catID string, c rawRiskCategory, r rawRisk, title, ref string) {
	parts := []string{catID}
	for _, p := range []string{r.TechnicalAsset, r.Link, r.TrustBoundary, r.SharedRuntime, r.DataAsset} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	synth := strings.Join(parts, "@")
	if _, dup := b.risks[synth]; dup {
		b.warn(ref, "risk %q is identified twice; the second one was not imported", synth)
		return
	}
	var targets []string
	if id := strings.TrimSpace(r.TechnicalAsset); id != "" {
		targets = b.target(targets, id, ref, "technical asset", b.assetID)
	}
	if id := strings.TrimSpace(r.Link); id != "" {
		targets = b.target(targets, id, ref, "communication link", b.flowID)
	}
	if id := strings.TrimSpace(r.TrustBoundary); id != "" {
		targets = b.target(targets, id, ref, "trust boundary", b.zoneID)
	}
	cat := strings.TrimSpace(c.STRIDE)
	if n, ok := strideNames[strings.ToLower(cat)]; ok {
		cat = n
	} else if cat == "" {
		cat = catID
	}
	desc := strings.TrimSpace(c.Description)
	if imp := strings.TrimSpace(c.Impact); imp != "" {
		desc = strings.TrimSpace(desc + "\n\nImpact: " + imp)
	}
	th := model.Threat{
		ID:          b.claim(synth, "risk:"),
		Title:       plainText(title),
		Description: desc,
		Category:    cat,
		Severity:    severity(r.Severity),
		Status:      model.ThreatOpen,
		RawStatus:   "unchecked",
		Targets:     targets,
		Ref:         ref,
	}
	if cwe := strings.TrimSpace(c.CWE); cwe != "" {
		th.Description = strings.TrimSpace(th.Description + "\nCWE-" + strings.TrimPrefix(strings.ToUpper(cwe), "CWE-"))
	}
	t := b.matchTracking(synth)
	if t != nil {
		th.Status = b.status(t, ref)
		th.RawStatus = strings.TrimSpace(t.raw.Status)
		if j := strings.TrimSpace(t.raw.Justification); j != "" {
			th.Description = strings.TrimSpace(th.Description + "\n\nTracking: " + j)
		}
	}
	b.risks[synth] = &riskAt{threat: len(b.m.Threats)}
	b.addThreat(th, mitigationText(c), t)
}

// matchTracking finds the tracking entry for a synthetic risk id: the exact
// entry if there is one (marked used), else the first wildcard entry whose
// @-segments all match.
func (b *builder) matchTracking(synth string) *tracking {
	if t := b.exact[synth]; t != nil {
		t.used = true
		return t
	}
	want := strings.Split(synth, "@")
	for _, t := range b.wildcards {
		got := strings.Split(t.id, "@")
		if len(got) != len(want) {
			continue
		}
		ok := true
		for i := range got {
			if got[i] != "*" && got[i] != want[i] {
				ok = false
				break
			}
		}
		if ok {
			return t
		}
	}
	return nil
}

func (b *builder) status(t *tracking, ref string) string {
	raw := strings.ToLower(strings.TrimSpace(t.raw.Status))
	if raw == "" {
		return model.ThreatOpen
	}
	s, ok := trackingStatus[raw]
	if !ok {
		b.warn(ref, "risk status %q is not a Threagile status; treated as open", t.raw.Status)
		return model.ThreatOpen
	}
	return s
}

func mitigationText(c rawRiskCategory) string {
	var parts []string
	for _, s := range []string{c.Mitigation, c.Action, c.Check} {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "\n")
}

// addThreat appends a threat and, when there is mitigation text or a
// tracking entry that records a countermeasure, its synthesised mitigation.
func (b *builder) addThreat(th model.Threat, text string, t *tracking) {
	title := plainText(strings.SplitN(text, "\n", 2)[0])
	var evidence string
	if t != nil {
		var facts []string
		for _, f := range [][2]string{{"ticket", t.raw.Ticket}, {"date", t.raw.Date}, {"checked by", t.raw.CheckedBy}} {
			if v := strings.TrimSpace(f[1]); v != "" {
				facts = append(facts, f[0]+": "+v)
			}
		}
		evidence = strings.Join(facts, "; ")
		if text == "" && (th.Status == model.ThreatMitigated || th.Status == model.ThreatInProgress) {
			title = strings.TrimSpace(t.raw.Justification)
			if title == "" {
				title = "Countermeasure tracked for " + t.id
			}
			text = title
		}
	}
	if text == "" {
		b.m.Threats = append(b.m.Threats, th)
		return
	}
	mi := model.Mitigation{
		ID:          b.claim(th.ID+"-mitigation", "mitigation:"),
		Title:       title,
		Description: strings.TrimSpace(text + "\n" + evidence),
		Status:      mitigationStatus(th.Status),
		RawStatus:   th.RawStatus,
		Targets:     th.Targets,
		Threats:     []string{th.ID},
		Ref:         th.Ref,
	}
	th.Mitigations = []string{mi.ID}
	b.m.Threats = append(b.m.Threats, th)
	b.m.Mitigations = append(b.m.Mitigations, mi)
}

// segmentTargets resolves the @-segments of a tracked risk id (after the
// category) to the components, flows and zones they name.
func (b *builder) segmentTargets(id, ref string) []string {
	var out []string
	var unknown []string
	wildcards := 0
	for _, seg := range strings.Split(id, "@")[1:] {
		seg = strings.TrimSpace(seg)
		switch {
		case seg == "*":
			wildcards++
		case b.assets[seg] != nil:
			out = appendUnique(out, b.assetID(seg))
		case b.flowID(seg) != "":
			out = appendUnique(out, b.flowID(seg))
		case b.zones[seg] != "":
			out = appendUnique(out, b.zones[seg])
		case b.data[seg] != "", b.runtimes[seg]:
			// data assets and shared runtimes are not elements that can be targets
		default:
			unknown = append(unknown, seg)
		}
	}
	if len(unknown) > 0 {
		b.warn(ref, "risk id names %q, which is not an asset, link, boundary, runtime or data asset of this model", strings.Join(unknown, `", "`))
	}
	if len(out) == 0 {
		b.warn(ref, "no target element could be resolved from risk id %q (%d wildcard segments)", id, wildcards)
	}
	return out
}

func (b *builder) target(list []string, id, ref, what string, resolve func(string) string) []string {
	if mid := resolve(id); mid != "" {
		return appendUnique(list, mid)
	}
	b.warn(ref, "%s %q is not defined; it is not a target of the risk", what, id)
	return list
}

func (b *builder) assetID(id string) string {
	if as := b.assets[id]; as != nil {
		return b.m.Components[as.comp].ID
	}
	return ""
}

func (b *builder) flowID(id string) string { return b.flows[id] }

func (b *builder) zoneID(id string) string { return b.zones[id] }
