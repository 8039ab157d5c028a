// Package sarif renders [audit.Results] as a SARIF 2.1.0 log, so code
// scanning (GitHub, GitLab, Azure DevOps) shows failing controls on the
// pull request that broke them.
//
// # Mapping
//
// Each mapping rule is a reportingDescriptor (id, title, remediation as
// help, the controls it covers as properties). Each (rule, element) whose
// verdict is not satisfied is one result at the threat model file, with a
// logical location naming the element:
//
//   - not-satisfied → level error
//   - needs-evidence → level warning
//   - manual → level note
//   - excepted → the level of the assessed verdict, with a suppression
//     (kind external, status accepted, justification naming the exception)
//     so that viewers list it as suppressed and never as fixed or passing
//   - satisfied and not-applicable → no result
//
// The run's warnings (overlay entries that match nothing, tags that are
// near misses of those rules read) are not findings of a rule: each is a
// toolExecutionNotification of level warning on the run's invocation, at
// the input file it names.
//
// An exception covers a (rule, element) for one control; the result is
// suppressed only when exceptions cover it for every control the rule
// maps to, since one uncovered control still fails.
//
// The log holds nothing from the clock or the machine, and every list is
// in the order of the results, so equal results give identical bytes.
package sarif

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/auditpack/auditpack/reports/view"
	"io"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/eval"
)

// SchemaURI is the OASIS schema the log declares (2.1.0, errata 01).
const SchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// Render writes r as a SARIF log.
func Render(w io.Writer, r *audit.Results) error {
	log := Build(r)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(log); err != nil {
		return fmt.Errorf("encode sarif: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Build returns the SARIF log of r.
func Build(r *audit.Results) *Log {
	d := Driver{Name: "auditpack", Version: r.Tool.Version, Rules: []Rule{}}
	index := map[string]int{}
	for i, ri := range r.Rules {
		index[ri.ID] = i
		d.Rules = append(d.Rules, ruleOf(ri))
	}
	run := Run{Tool: Tool{Driver: d}, Results: []Result{}, ColumnKind: "unicodeCodePoints"}
	uri := modelURI(r.Model.Source.File)
	excepted := view.Of(r).Exceptions()
	controls := map[string][]string{}
	for _, ri := range r.Rules {
		if _, ok := controls[ri.ID]; !ok {
			controls[ri.ID] = nonNil(ri.Controls)
		}
	}
	for _, rr := range r.RuleResults {
		level := levelOf(rr.Verdict)
		if level == "" {
			continue
		}
		res := Result{RuleID: rr.Rule, RuleIndex: index[rr.Rule], Level: level,
			Message:             Message{Text: messageOf(rr)},
			Locations:           []Location{locationOf(uri, rr.Element)},
			PartialFingerprints: map[string]string{"auditpackFinding/v1": fingerprint(rr)},
			Properties:          map[string]any{"verdict": string(rr.Verdict), "controls": controlsOf(controls, rr.Rule)},
		}
		if ex := excepted.By(rr.Rule, rr.Element.ID); len(ex) > 0 {
			res.Suppressions = []Suppression{{Kind: "external", Status: "accepted", Justification: strings.Join(ex, ", ")}}
			res.Properties["verdict"] = string(eval.Excepted)
			res.Properties["assessed"] = string(rr.Verdict)
		}
		run.Results = append(run.Results, res)
	}
	if len(r.Warnings) > 0 {
		run.Invocations = []Invocation{{ExecutionSuccessful: true, ToolExecutionNotifications: notifications(r)}}
	}
	return &Log{Schema: SchemaURI, Version: "2.1.0", Runs: []Run{run}}
}

// notifications turns the run's warnings into tool execution notifications,
// each at the input file it names when that is one of the run's inputs.
func notifications(r *audit.Results) []Notification {
	files := map[string]bool{r.Model.Source.File: true}
	for _, f := range r.Inputs {
		files[f.Name] = true
	}
	out := make([]Notification, 0, len(r.Warnings))
	for _, w := range r.Warnings {
		n := Notification{Level: "warning", Message: Message{Text: w.Source + ": " + w.Message},
			Properties: map[string]any{"source": w.Source}}
		if file, _, _ := strings.Cut(w.Source, ": at "); file != "" && files[file] {
			n.Locations = []Location{{PhysicalLocation: &PhysicalLocation{ArtifactLocation: ArtifactLocation{URI: modelURI(file)}}}}
		}
		out = append(out, n)
	}
	return out
}

// levelOf maps an assessed verdict to a SARIF level; "" means no result.
func levelOf(v eval.Verdict) string {
	switch v {
	case eval.NotSatisfied:
		return "error"
	case eval.NeedsEvidence:
		return "warning"
	case eval.Manual:
		return "note"
	}
	return ""
}

func ruleOf(ri audit.RuleInfo) Rule {
	help := ri.Title
	if ri.Remediation != "" {
		help += "\n\nRemediation: " + ri.Remediation
	}
	if len(ri.ManualSteps) > 0 {
		help += "\n\nManual steps: " + strings.Join(ri.ManualSteps, "; ")
	}
	help += "\n\nControls: " + strings.Join(ri.Controls, ", ")
	props := map[string]any{"controls": nonNil(ri.Controls), "capabilities": nonNil(ri.Capabilities), "element": ri.Element,
		"tags": tagsOf(ri)}
	if ri.Severity != "" {
		props["severity"] = ri.Severity
	}
	return Rule{ID: ri.ID, Name: ri.ID, ShortDescription: &Text{Text: ri.Title}, Help: &Text{Text: help}, Properties: props}
}

// tagsOf tags a rule with its frameworks, which code-scanning viewers
// offer as filters.
func tagsOf(ri audit.RuleInfo) []string {
	tags := []string{"compliance"}
	for _, c := range ri.Controls {
		fw, _, _ := strings.Cut(c, ":")
		if !slices.Contains(tags, fw) {
			tags = append(tags, fw)
		}
	}
	return tags
}

// controlsOf returns the controls rule maps to, from the rules indexed by id.
func controlsOf(controls map[string][]string, rule string) []string {
	if c, ok := controls[rule]; ok {
		return c
	}
	return []string{}
}

func messageOf(rr eval.Result) string {
	who := rr.Element.Name
	if rr.Element.ID == "" {
		who = "system"
	}
	msg := fmt.Sprintf("%s: %s", rr.Verdict, who)
	if k := audit.KeyReason(rr); k != "" {
		msg += ": " + k
	}
	return msg
}

// locationOf points at the model file, and names the element logically:
// a threat model has no line for most elements, but viewers group results
// by file and show the logical location.
func locationOf(uri string, e eval.ElementRef) Location {
	ll := LogicalLocation{Name: e.Name, FullyQualifiedName: e.ID, Kind: e.Kind}
	if e.ID == "" {
		ll = LogicalLocation{Name: "system", FullyQualifiedName: "system", Kind: "system"}
	}
	return Location{PhysicalLocation: &PhysicalLocation{ArtifactLocation: ArtifactLocation{URI: uri}},
		LogicalLocations: []LogicalLocation{ll}}
}

// modelURI turns the model's file name into a relative URI reference.
func modelURI(file string) string {
	if file == "" {
		return "threat-model"
	}
	file = strings.ReplaceAll(file, `\`, "/")
	parts := strings.Split(path.Clean(file), "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

// fingerprint identifies a (rule, element) across runs, so code scanning
// tracks one alert per finding rather than one per run.
func fingerprint(rr eval.Result) string {
	sum := sha256.Sum256([]byte(rr.Rule + "\x00" + rr.Element.ID))
	return hex.EncodeToString(sum[:16])
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
