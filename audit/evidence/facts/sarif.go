package facts

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// sarif reads SARIF 2.1.0 (Checkov, Semgrep, CodeQL and every other tool
// that writes it), streaming: each result and each rule is decoded alone,
// and results are counted per rule and level as they come, so a file of a
// million results costs what its distinct rules and files cost.
//
// A run may list its results before its tool (Semgrep does), so a rule's
// severity is not known while its results are read: they are counted by
// the rule reference they carry (id, index, tool component) and resolved
// once the whole file is read.
var sarif = parser{id: "sarif", name: "SARIF 2.1.0",
	detect: detectSARIF, parse: parseSARIF,
	yields: []string{"scan.tool", "scan.date", "scan.targets", "scan.findings_open",
		"scan.critical_open", "scan.high_open", "scan.medium_open", "scan.low_open",
		"scan.vulnerability_ids", "scan.failed_checks", "scan.failed_resources",
		"scan.errors", "scan.complete"}}

// detectSARIF looks for a SARIF $schema, or for version 2.1.0 next to a
// runs array (some writers give no $schema; Semgrep writes version last).
func detectSARIF(head []byte) bool {
	s, ok := shapeOf(head)
	if !ok || s.Array {
		return false
	}
	if schema, ok := s.Strings["$schema"]; ok {
		return strings.Contains(strings.ToLower(schema), "sarif")
	}
	return s.Strings["version"] == "2.1.0" && s.Has("runs")
}

// sarifRule is what one rule says about severity and vulnerability ids.
type sarifRule struct {
	ID                   string `json:"id"`
	DefaultConfiguration struct {
		Level string `json:"level"`
	} `json:"defaultConfiguration"`
	Properties struct {
		SecuritySeverity any      `json:"security-severity"`
		Tags             []string `json:"tags"`
	} `json:"properties"`
	at string
}

// sarifResult is the part of one result auditpack reads.
type sarifResult struct {
	RuleID    string `json:"ruleId"`
	RuleIndex *int   `json:"ruleIndex"`
	Rule      *struct {
		ID            string `json:"id"`
		Index         *int   `json:"index"`
		ToolComponent *struct {
			Index *int `json:"index"`
		} `json:"toolComponent"`
	} `json:"rule"`
	Kind          string `json:"kind"`
	Level         string `json:"level"`
	BaselineState string `json:"baselineState"`
	Suppressions  []struct {
		Status string `json:"status"`
	} `json:"suppressions"`
	Locations []struct {
		PhysicalLocation *struct {
			ArtifactLocation *struct {
				URI   string `json:"uri"`
				Index *int   `json:"index"`
			} `json:"artifactLocation"`
		} `json:"physicalLocation"`
	} `json:"locations"`
	Properties struct {
		SecuritySeverity any `json:"security-severity"`
	} `json:"properties"`
}

// sarifInvocation is the part of one invocation auditpack reads.
type sarifInvocation struct {
	ExecutionSuccessful            *bool               `json:"executionSuccessful"`
	StartTimeUTC                   string              `json:"startTimeUtc"`
	EndTimeUTC                     string              `json:"endTimeUtc"`
	ToolExecutionNotifications     []sarifNotification `json:"toolExecutionNotifications"`
	ToolConfigurationNotifications []sarifNotification `json:"toolConfigurationNotifications"`
}

type sarifNotification struct {
	Level   string `json:"level"`
	Message struct {
		Text string `json:"text"`
	} `json:"message"`
}

func parseSARIF(r io.Reader) (*Read, error) {
	d := newPtrDecoder("sarif", r)
	s := newSARIFState()
	if err := d.open("", '{', "the document"); err != nil {
		return nil, err
	}
	sawRuns := false
	for d.dec.More() {
		k, err := d.key("")
		if err != nil {
			return nil, err
		}
		at := ptr("", k)
		switch k {
		case "version":
			var v string
			if err := d.decode(at, &v); err != nil {
				return nil, err
			}
			if v != "2.1.0" {
				return nil, d.failf(at, "SARIF version %q; auditpack reads 2.1.0", v)
			}
		case "runs":
			sawRuns = true
			if err := d.open(at, '[', "runs"); err != nil {
				return nil, err
			}
			for i := 0; d.dec.More(); i++ {
				if err := s.run(d, i); err != nil {
					return nil, err
				}
			}
			if err := d.close(at); err != nil {
				return nil, err
			}
		default:
			if err := d.skip(at); err != nil {
				return nil, err
			}
		}
	}
	if err := d.close(""); err != nil {
		return nil, err
	}
	if err := d.end(); err != nil {
		return nil, err
	}
	if !sawRuns {
		return nil, d.failf("/runs", "the document has no runs")
	}
	return s.read(), nil
}

// run walks one run.
func (s *sarifState) run(d *ptrDecoder, i int) error {
	at := ptr("/runs", i)
	if err := d.open(at, '{', "a run"); err != nil {
		return err
	}
	s.runs++
	run := &sarifRunState{components: map[int][]sarifRule{}}
	s.runState = append(s.runState, run)
	for d.dec.More() {
		k, err := d.key(at)
		if err != nil {
			return err
		}
		kat := ptr(at, k)
		switch k {
		case "tool":
			err = s.tool(d, i, kat)
		case "results":
			err = s.results(d, i, kat)
		case "invocations":
			err = eachElement(d, kat, "invocations", func(j int, eat string) error {
				var inv sarifInvocation
				if err := d.decode(eat, &inv); err != nil {
					return err
				}
				return s.invocation(d, i, eat, inv)
			})
		case "versionControlProvenance":
			err = eachElement(d, kat, "versionControlProvenance", func(j int, eat string) error {
				var v struct {
					RepositoryURI string `json:"repositoryUri"`
				}
				if err := d.decode(eat, &v); err != nil {
					return err
				}
				if v.RepositoryURI != "" {
					s.repos = append(s.repos, v.RepositoryURI)
				}
				return nil
			})
		case "originalUriBaseIds":
			var bases map[string]struct {
				URI string `json:"uri"`
			}
			if err = d.decode(kat, &bases); err == nil {
				for _, name := range sortedKeys(bases) {
					if u := bases[name].URI; strings.Contains(u, "://") {
						s.roots = append(s.roots, u)
					}
				}
			}
		case "artifacts":
			err = eachElement(d, kat, "artifacts", func(j int, eat string) error {
				var a struct {
					Location struct {
						URI string `json:"uri"`
					} `json:"location"`
				}
				if err := d.decode(eat, &a); err != nil {
					return err
				}
				run.artifacts = append(run.artifacts, a.Location.URI)
				return nil
			})
		default:
			err = d.skip(kat)
		}
		if err != nil {
			return err
		}
	}
	if !run.sawResults {
		s.errors = append(s.errors, fmt.Sprintf("run %d: no results array: the tool did not run its analysis", i))
		s.errorsKnown = true
	}
	return d.close(at)
}

// tool walks run.tool: the driver and its extensions.
func (s *sarifState) tool(d *ptrDecoder, run int, at string) error {
	if err := d.open(at, '{', "tool"); err != nil {
		return err
	}
	for d.dec.More() {
		k, err := d.key(at)
		if err != nil {
			return err
		}
		kat := ptr(at, k)
		switch k {
		case "driver":
			err = s.component(d, run, -1, kat)
		case "extensions":
			err = eachElement(d, kat, "extensions", func(j int, eat string) error {
				return s.component(d, run, j, eat)
			})
		default:
			err = d.skip(kat)
		}
		if err != nil {
			return err
		}
	}
	return d.close(at)
}

// component walks a tool component (the driver is -1, extensions count
// from 0, as results' toolComponent.index does).
func (s *sarifState) component(d *ptrDecoder, run, comp int, at string) error {
	if err := d.open(at, '{', "a tool component"); err != nil {
		return err
	}
	var name, version, semantic string
	for d.dec.More() {
		k, err := d.key(at)
		if err != nil {
			return err
		}
		kat := ptr(at, k)
		switch k {
		case "name":
			err = d.decode(kat, &name)
		case "version":
			err = d.decode(kat, &version)
		case "semanticVersion":
			err = d.decode(kat, &semantic)
		case "rules":
			err = eachElement(d, kat, "rules", func(j int, eat string) error {
				var r sarifRule
				if err := d.decode(eat, &r); err != nil {
					return err
				}
				r.at = eat
				rs := s.runState[run]
				rs.components[comp] = append(rs.components[comp], r)
				return nil
			})
		default:
			err = d.skip(kat)
		}
		if err != nil {
			return err
		}
	}
	if comp == -1 {
		if semantic != "" {
			version = semantic
		}
		tool := name
		if isVersion(version) {
			tool = strings.TrimSpace(name + " " + version)
		}
		if tool != "" {
			s.addTool(tool, at)
		}
	}
	return d.close(at)
}

// results counts one run's results.
func (s *sarifState) results(d *ptrDecoder, run int, at string) error {
	tok, err := d.token(at)
	if err != nil {
		return err
	}
	if tok == nil {
		return nil // null: as if absent, which run() reports
	}
	if tok != json.Delim('[') {
		return d.failf(at, "results is %s, want an array", tokenKind(tok))
	}
	s.runState[run].sawResults = true
	s.resultsAt = append(s.resultsAt, at)
	for j := 0; d.dec.More(); j++ {
		eat := ptr(at, j)
		var res sarifResult
		if err := d.decode(eat, &res); err != nil {
			return err
		}
		s.result(run, eat, &res)
	}
	return d.close(at)
}

// eachElement walks an array, handing each element's pointer to fn,
// which must consume the element.
func eachElement(d *ptrDecoder, at, what string, fn func(i int, at string) error) error {
	if err := d.open(at, '[', what); err != nil {
		return err
	}
	for i := 0; d.dec.More(); i++ {
		if err := fn(i, ptr(at, i)); err != nil {
			return err
		}
	}
	return d.close(at)
}
