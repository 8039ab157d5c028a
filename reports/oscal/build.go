package oscal

import (
	"fmt"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/reports/view"
)

// builder derives every UUID from a scope naming the run, so that two
// documents of different runs never share observation or finding UUIDs,
// while components keep theirs from run to run.
type builder struct {
	r        *audit.Results
	v        *view.View // the threats in scope, raised as risks
	run      string     // organisation, system, as-of and model hash
	system   string     // organisation and system
	elements map[string]string
	// threatsOf lists, per element id, the open threats targeting it (as
	// indexes of the model's threats, in model order, each once), and
	// resultsOf the rule results about an element an open threat targets
	// (as indexes, in results order): lookups that would otherwise scan
	// every threat per finding and every rule result per threat.
	threatsOf map[string][]int
	resultsOf map[string][]int
	// files holds what the document says of each evidence file of the
	// bundle, which every observation using the file repeats.
	files     map[fileKey]fileRef
	collected string // the as-of date as a date-time
}

// fileKey names an evidence file: its path and expected SHA-256.
type fileKey struct{ path, sum string }

// fileRef is a verified file's href in the package and the link to its
// back-matter resource.
type fileRef struct {
	href  string
	links []Link
}

func newBuilder(r *audit.Results, v *view.View) *builder {
	b := &builder{r: r, v: v, elements: map[string]string{}, files: map[fileKey]fileRef{},
		collected: stamp(r.Project.AsOf)}
	b.system = r.Project.Organisation + "\x1f" + r.Project.System
	b.run = strings.Join([]string{b.system, r.Project.AsOf, r.Model.Source.SHA256, r.Tool.Version}, "\x1f")
	b.threatsOf, b.resultsOf = map[string][]int{}, map[string][]int{}
	// Only the threats the document raises as risks, so that no finding
	// names a risk the document does not hold.
	risky := map[*model.Threat]bool{}
	for _, t := range b.v.Threats {
		risky[t] = true
	}
	for i := range r.Model.Threats {
		t := &r.Model.Threats[i]
		if !risky[t] {
			continue
		}
		for _, id := range t.Targets {
			if at := b.threatsOf[id]; len(at) == 0 || at[len(at)-1] != i {
				b.threatsOf[id] = append(at, i)
			}
		}
	}
	for i, rr := range r.RuleResults {
		if _, ok := b.threatsOf[rr.Element.ID]; ok {
			b.resultsOf[rr.Element.ID] = append(b.resultsOf[rr.Element.ID], i)
		}
	}
	for _, it := range r.Evidence.Items {
		for _, f := range it.Files {
			b.file(f.Path, f.SHA256)
		}
	}
	return b
}

// file returns the href and resource link of an evidence file, derived
// once per file.
func (b *builder) file(path, sum string) fileRef {
	k := fileKey{path, sum}
	if ref, ok := b.files[k]; ok {
		return ref
	}
	ref := fileRef{href: href(path), links: []Link{{Href: "#" + resourceUUID(path, sum), Rel: "evidence"}}}
	b.files[k] = ref
	return ref
}

func (b *builder) uuid(kind string, parts ...string) string {
	var all [4]string
	return UUID(append(append(all[:0], kind, b.run), parts...)...)
}

// componentUUID is scoped to the system only: the same element is the same
// component in every quarter's document.
func (b *builder) componentUUID(id string) string { return UUID("component", b.system, id) }

func (b *builder) planUUID() string {
	var parts []string
	for _, rs := range b.r.RuleSets {
		parts = append(parts, rs.ID+"@"+rs.Version)
	}
	for _, f := range b.r.Frameworks {
		parts = append(parts, f.Ref)
	}
	return UUID(append([]string{"assessment-plan"}, parts...)...)
}

func (b *builder) components() []Component {
	r := b.r
	out := []Component{{UUID: b.componentUUID(""), Type: "this-system", Title: text(r.Project.System, "system"),
		Description: text(r.Model.Title, "the system under assessment"), Status: State{"operational"}}}
	add := func(id, name, kind, typ, desc string, props ...Prop) {
		if _, dup := b.elements[id]; dup || id == "" {
			return
		}
		b.elements[id] = b.componentUUID(id)
		props = append([]Prop{{Name: "element-id", NS: NS, Value: text(id, "-")}, {Name: "element-kind", NS: NS, Value: kind}}, props...)
		out = append(out, Component{UUID: b.elements[id], Type: typ, Title: text(name, id), Description: text(desc, kind+" "+id),
			Props: props, Status: State{"operational"}})
	}
	for _, z := range r.Model.Zones {
		add(z.ID, z.Name, model.KindZone, "network", z.Description)
	}
	for _, c := range r.Model.Components {
		typ := "service"
		switch c.Kind {
		case model.KindDatastore:
			typ = "software"
		case model.KindExternalEntity:
			typ = "interconnection"
		}
		var props []Prop
		if c.Zone != "" {
			props = append(props, Prop{Name: "zone", NS: NS, Value: text(c.Zone, "-")})
		}
		add(c.ID, c.Name, c.Kind, typ, c.Description, props...)
	}
	for _, f := range r.Model.Flows {
		desc := f.Description
		if desc == "" {
			desc = "data flow from " + f.Source + " to " + f.Target
		}
		add(f.ID, f.Name, model.KindDataflow, "interconnection", desc,
			Prop{Name: "source", NS: NS, Value: text(f.Source, "-")}, Prop{Name: "target", NS: NS, Value: text(f.Target, "-")})
	}
	return out
}

// subject is the component an element refers to; a system-level result,
// or an element the model section does not list, is about the system.
func (b *builder) subject(e eval.ElementRef) Subject {
	if id, ok := b.elements[e.ID]; ok {
		return Subject{SubjectUUID: id, Type: "component", Title: text(e.Name, e.ID)}
	}
	return Subject{SubjectUUID: b.componentUUID(""), Type: "component", Title: text(b.r.Project.System, "system")}
}

func (b *builder) reviewedControls() ReviewedControls {
	rc := ReviewedControls{ControlSelections: []ControlSelection{}}
	for _, f := range b.r.Frameworks {
		cs := ControlSelection{Description: text(f.Title, f.Ref), Props: []Prop{{Name: "framework", NS: NS, Value: text(f.Ref, "-")}}}
		for _, c := range b.r.Controls {
			if c.Framework == f.Ref {
				cs.IncludeControls = append(cs.IncludeControls, SelectControl{ControlID: ControlID(f.ID, c.ID)})
			}
		}
		rc.ControlSelections = append(rc.ControlSelections, cs)
	}
	if len(rc.ControlSelections) == 0 {
		rc.ControlSelections = append(rc.ControlSelections, ControlSelection{Description: "no framework was selected"})
	}
	return rc
}

func (b *builder) observationUUID(rule, element string) string {
	return b.uuid("observation", rule, element)
}

func (b *builder) observations() []Observation {
	var out []Observation
	for i := range b.r.RuleResults {
		out = append(out, b.observation(&b.r.RuleResults[i]))
	}
	return out
}

// observation is the observation of one rule result. It only reads the
// builder, so observations may be made concurrently.
func (b *builder) observation(rr *eval.Result) Observation {
	subj := b.subject(rr.Element)
	o := Observation{
		UUID:        b.observationUUID(rr.Rule, rr.Element.ID),
		Title:       text(rr.Rule+" on "+subj.Title, rr.Rule),
		Description: text(string(rr.Verdict)+": "+audit.KeyReason(*rr), string(rr.Verdict)),
		Props: []Prop{{Name: "rule", NS: NS, Value: text(rr.Rule, "-")},
			{Name: "verdict", NS: NS, Value: string(rr.Verdict)}},
		Methods:   []string{"TEST"},
		Subjects:  []Subject{subj},
		Collected: b.collected,
	}
	var remarks strings.Builder
	size, files := 0, 0
	for _, rs := range rr.Reasons {
		size += len(rs.Code) + len(": ") + len(rs.Message) + len("\n")
	}
	remarks.Grow(size)
	for i, rs := range rr.Reasons {
		if i > 0 {
			remarks.WriteByte('\n')
		}
		remarks.WriteString(rs.Code)
		remarks.WriteString(": ")
		remarks.WriteString(rs.Message)
	}
	o.Remarks = remarks.String()
	for _, u := range rr.Evidence {
		files += max(1, len(u.Files))
	}
	if files > 0 {
		o.RelevantEvidence = make([]Evidence, 0, files)
	}
	for _, u := range rr.Evidence {
		o.RelevantEvidence = b.evidence(o.RelevantEvidence, &u)
	}
	return o
}

// evidence appends the files of an evidence item as an observation used it.
// A file that did not verify gets no href: the package does not carry it.
func (b *builder) evidence(out []Evidence, u *eval.EvidenceUse) []Evidence {
	props := []Prop{{Name: "evidence-item", NS: NS, Value: text(u.Item, "-")}, {Name: "evidence-status", NS: NS, Value: text(u.Status, "-")}}
	desc := text(u.Item+" "+u.Title+" ("+u.Kind+", collected "+u.CollectedAt+"): "+u.Status, u.Item)
	if len(u.Files) == 0 {
		return append(out, Evidence{Description: desc, Props: props, Remarks: u.Message})
	}
	for _, f := range u.Files {
		e := Evidence{Description: text(desc+"; file "+f.Path, desc), Props: props, Remarks: u.Message}
		if f.OK {
			ref, ok := b.files[fileKey{f.Path, f.SHA256}]
			if !ok {
				ref = fileRef{href: href(f.Path), links: []Link{{Href: "#" + resourceUUID(f.Path, f.SHA256), Rel: "evidence"}}}
			}
			e.Href, e.Links = ref.href, ref.links
		}
		out = append(out, e)
	}
	return out
}

func resourceUUID(path, sum string) string { return UUID("evidence-file", path, sum) }

// resources lists every verified evidence file of the bundle once, with
// its SHA-256, in the order of the evidence items.
func (b *builder) resources() []Resource {
	var out []Resource
	seen := map[string]bool{}
	for _, it := range b.r.Evidence.Items {
		for _, f := range it.Files {
			id := resourceUUID(f.Path, f.SHA256)
			if !f.OK || seen[id] {
				continue
			}
			seen[id] = true
			props := []Prop{{Name: "evidence-item", NS: NS, Value: text(it.ID, "-")}, {Name: "collected", NS: NS, Value: text(it.CollectedAt, "-")}}
			// The tool format the file was read as: its facts came from it,
			// not from the manifest.
			for _, fr := range it.Reads {
				if fr.Path == f.Path && fr.Read != nil {
					props = append(props, Prop{Name: "evidence-format", NS: NS, Value: text(fr.Read.Format, "-")})
				}
			}
			out = append(out, Resource{UUID: id, Title: text(it.ID+": "+f.Path, f.Path), Description: text(it.Title, it.ID),
				Props:  props,
				RLinks: []RLink{{Href: b.file(f.Path, f.SHA256).href, Hashes: []Hash{{Algorithm: "SHA-256", Value: f.SHA256}}}}})
		}
	}
	return out
}

func (b *builder) riskUUID(threat string) string { return b.uuid("risk", threat) }

func (b *builder) risks() []Risk {
	var out []Risk
	for _, t := range b.v.Threats {
		rk := Risk{UUID: b.riskUUID(t.ID), Title: text(t.Title, t.ID), Description: text(t.Description, t.Title),
			Statement: text(fmt.Sprintf("Threat %s (%s, severity %s) against %s is %s in the threat model.", t.ID, t.Category, t.Severity, targetsOf(t), t.Status), t.ID),
			Props:     []Prop{{Name: "threat-status", NS: NS, Value: text(t.Status, "-")}},
			Status:    "open",
			ThreatIDs: []ThreatID{{System: "urn:auditpack:threat-model", ID: "urn:auditpack:threat:" + escapeID(t.ID)}},
		}
		if t.Status != model.ThreatOpen {
			rk.Status = "remediating"
		}
		if t.Severity != "" {
			rk.Props = append(rk.Props, Prop{Name: "severity", NS: NS, Value: text(t.Severity, "-")})
		}
		// The rule results about any of the targets, in results order and
		// each once, however often the threat names its element.
		var about []int
		for _, id := range t.Targets {
			about = append(about, b.resultsOf[id]...)
		}
		slices.Sort(about)
		for _, i := range slices.Compact(about) {
			rr := &b.r.RuleResults[i]
			rk.RelatedObservations = append(rk.RelatedObservations, RelatedObsrv{b.observationUUID(rr.Rule, rr.Element.ID)})
		}
		out = append(out, rk)
	}
	return out
}

// targetsOf names what a threat is against; a threat with no target is
// against the system as a whole.
func targetsOf(t *model.Threat) string {
	if len(t.Targets) == 0 {
		return "the system as a whole"
	}
	return strings.Join(t.Targets, ", ")
}

func escapeID(id string) string {
	return strings.NewReplacer("%", "%25", " ", "%20", "#", "%23", "?", "%3F", "/", "%2F").Replace(text(id, "-"))
}

func (b *builder) findings() []Finding {
	var out []Finding
	for _, c := range b.r.Controls {
		cid := ControlID(frameworkID(c.Framework), c.ID)
		state, reason := status(c.Verdict)
		f := Finding{UUID: b.uuid("finding", c.Ref), Title: text(c.Ref+" "+c.Name, c.Ref),
			Description: text(string(c.Verdict)+": "+c.Reason, string(c.Verdict)),
			Props:       []Prop{{Name: "control", NS: NS, Value: text(c.Ref, "-")}, {Name: "coverage", NS: NS, Value: text(c.Coverage, "-")}},
			Target: Target{Type: "objective-id", TargetID: ObjectiveID(cid),
				Props:  []Prop{{Name: "verdict", NS: NS, Value: string(c.Verdict)}},
				Status: TargetStatus{State: state, Reason: reason}},
		}
		for _, x := range c.Exceptions {
			f.Props = append(f.Props, Prop{Name: "exception", NS: NS, Value: text(x, "-")})
		}
		risks := map[string]bool{}
		for _, fd := range c.Findings {
			f.RelatedObservations = append(f.RelatedObservations, RelatedObsrv{b.observationUUID(fd.Rule, fd.Element.ID)})
			for _, i := range b.threatsOf[fd.Element.ID] {
				if t := &b.r.Model.Threats[i]; !risks[t.ID] {
					risks[t.ID] = true
					f.RelatedRisks = append(f.RelatedRisks, RelatedRisk{b.riskUUID(t.ID)})
				}
			}
		}
		out = append(out, f)
	}
	return out
}

// frameworkID is the id part of a framework reference ("pci-dss@4.0.1").
func frameworkID(ref string) string {
	id, _, _ := strings.Cut(ref, "@")
	return id
}
