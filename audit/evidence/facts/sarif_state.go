package facts

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// sarifRef is the rule a result names: by id, by index into a tool
// component's rules (-1: none), in a run; comp -1 is the driver.
type sarifRef struct {
	run, comp, index int
	id               string
}

// sarifKey groups results that resolve to the same severity: the same
// rule reference, the same explicit level, the same result-level score.
type sarifKey struct {
	ref        sarifRef
	level, sev string
}

type sarifTally struct {
	open, pass int
	at         string
}

type sarifRunState struct {
	components map[int][]sarifRule
	artifacts  []string
	sawResults bool
}

type sarifState struct {
	runs     int
	runState []*sarifRunState
	tally    map[sarifKey]*sarifTally
	order    []sarifKey
	uris     map[string]bool
	pending  map[[2]int]bool // run, artifact index of an open result
	tools    []string
	toolSeen map[string]bool // what tools holds, for one look-up per run
	toolAt   string
	date     time.Time
	dateAt   string
	errors   []string
	// errorsKnown is set when the file says whether the tool succeeded
	// (invocations) or shows it did not (a run without results).
	errorsKnown  bool
	repos, roots []string
	resultsAt    []string
}

func newSARIFState() *sarifState {
	return &sarifState{tally: map[sarifKey]*sarifTally{}, uris: map[string]bool{}, pending: map[[2]int]bool{}}
}

func (s *sarifState) addTool(tool, at string) {
	if s.toolSeen == nil {
		s.toolSeen = map[string]bool{}
	}
	if !s.toolSeen[tool] {
		s.toolSeen[tool] = true
		s.tools = append(s.tools, tool)
	}
	if s.toolAt == "" {
		s.toolAt = at
	}
}

// result counts one result. Open means a failure (kind "fail", the
// default) that the tool did not suppress (a suppression without a status
// or "accepted"; "underReview" and "rejected" do not suppress) and that is
// not gone from the baseline (baselineState "absent").
func (s *sarifState) result(run int, at string, r *sarifResult) {
	ref := sarifRef{run: run, comp: -1, index: -1, id: r.RuleID}
	if r.RuleIndex != nil {
		ref.index = *r.RuleIndex
	}
	if r.Rule != nil {
		if ref.id == "" {
			ref.id = r.Rule.ID
		}
		if ref.index < 0 && r.Rule.Index != nil {
			ref.index = *r.Rule.Index
		}
		if r.Rule.ToolComponent != nil && r.Rule.ToolComponent.Index != nil {
			ref.comp = *r.Rule.ToolComponent.Index
		}
	}
	kind := strings.ToLower(r.Kind)
	suppressed := false
	for _, sup := range r.Suppressions {
		if st := strings.ToLower(sup.Status); st == "" || st == "accepted" {
			suppressed = true
		}
	}
	open := (kind == "" || kind == "fail") && r.BaselineState != "absent" && !suppressed
	pass := kind == "pass"
	if !open && !pass {
		return
	}
	key := sarifKey{ref: ref}
	if open {
		key.level = strings.ToLower(r.Level)
		if b, ok := scoreBucket(r.Properties.SecuritySeverity); ok {
			key.sev = b
		}
	}
	t := s.tally[key]
	if t == nil {
		t = &sarifTally{at: at}
		s.tally[key] = t
		s.order = append(s.order, key)
	}
	if pass {
		t.pass++
		return
	}
	t.open++
	for _, l := range r.Locations {
		if l.PhysicalLocation == nil || l.PhysicalLocation.ArtifactLocation == nil {
			continue
		}
		switch a := l.PhysicalLocation.ArtifactLocation; {
		case a.URI != "":
			s.uris[a.URI] = true
		case a.Index != nil:
			s.pending[[2]int{run, *a.Index}] = true
		}
	}
}

// invocation records whether the tool ran to its end, its errors, and its
// time.
func (s *sarifState) invocation(d *ptrDecoder, run int, at string, inv sarifInvocation) error {
	s.errorsKnown = true
	if inv.ExecutionSuccessful != nil && !*inv.ExecutionSuccessful {
		s.errors = append(s.errors, fmt.Sprintf("run %d: the tool reports that its execution did not succeed", run))
	}
	for _, n := range append(slices.Clone(inv.ToolExecutionNotifications), inv.ToolConfigurationNotifications...) {
		if strings.EqualFold(n.Level, "error") {
			msg, _, _ := strings.Cut(strings.TrimSpace(n.Message.Text), "\n")
			if len(msg) > 200 {
				msg = msg[:200] + "…"
			}
			s.errors = append(s.errors, fmt.Sprintf("run %d: %s", run, msg))
		}
	}
	when, wat := inv.EndTimeUTC, ptr(at, "endTimeUtc")
	if when == "" {
		when, wat = inv.StartTimeUTC, ptr(at, "startTimeUtc")
	}
	if when == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, when)
	if err != nil {
		return d.failf(wat, "time %q is not an RFC 3339 time", when)
	}
	if t.After(s.date) {
		s.date, s.dateAt = t, wat
	}
	return nil
}

// rule finds the rule a reference names: by index, else by id.
func (s *sarifState) rule(ref sarifRef) *sarifRule {
	rules := s.runState[ref.run].components[ref.comp]
	if ref.index >= 0 && ref.index < len(rules) {
		return &rules[ref.index]
	}
	if ref.id != "" {
		for i := range rules {
			if rules[i].ID == ref.id {
				return &rules[i]
			}
		}
	}
	return nil
}

// read resolves every tally against the rules, now that all are known.
func (s *sarifState) read() *Read {
	var counts openCounts
	checks := map[string]*Check{}
	vulns := map[string]bool{}
	for _, key := range s.order {
		t := s.tally[key]
		rule := s.rule(key.ref)
		id := key.ref.id
		if id == "" && rule != nil {
			id = rule.ID
		}
		for range t.open {
			counts.add(s.severity(key, rule))
		}
		if id != "" {
			c := checks[id]
			if c == nil {
				c = &Check{ID: id, At: t.at}
				if rule != nil {
					c.At = rule.at
				}
				checks[id] = c
			}
			c.Failed += t.open
			c.Passed += t.pass
		}
		if t.open > 0 {
			for _, v := range vulnIDs(id) {
				vulns[v] = true
			}
			if rule != nil {
				for _, tag := range append([]string{rule.ID}, rule.Properties.Tags...) {
					for _, v := range vulnIDs(tag) {
						vulns[v] = true
					}
				}
			}
		}
	}
	for k := range s.pending {
		if a := s.runState[k[0]].artifacts; k[1] >= 0 && k[1] < len(a) && a[k[1]] != "" {
			s.uris[a[k[1]]] = true
		}
	}
	at := "/runs"
	if len(s.resultsAt) == 1 {
		at = s.resultsAt[0]
	}
	r := &Read{Tool: strings.Join(s.tools, ", ")}
	if r.Tool != "" {
		r.Facts = append(r.Facts, Fact{Name: "scan.tool", Value: r.Tool, At: s.toolAt})
	}
	if !s.date.IsZero() {
		r.Facts = append(r.Facts, Fact{Name: "scan.date", Value: s.date.UTC().Format(time.RFC3339), At: s.dateAt})
	}
	r.Facts = append(r.Facts, counts.facts(at, "")...)
	failed := []string{}
	for _, id := range sortedKeys(checks) {
		r.Checks = append(r.Checks, *checks[id])
		if checks[id].Failed > 0 {
			failed = append(failed, id)
		}
	}
	r.Facts = append(r.Facts,
		Fact{Name: "scan.failed_checks", Value: failed, At: at},
		Fact{Name: "scan.failed_resources", Value: sortedKeys(s.uris), At: at},
		Fact{Name: "scan.vulnerability_ids", Value: sortedKeys(vulns), At: at})
	if s.errorsKnown {
		errs := SortedList(s.errors)
		if errs == nil {
			errs = []string{}
		}
		r.Facts = append(r.Facts,
			Fact{Name: "scan.errors", Value: errs, At: "/runs"},
			Fact{Name: "scan.complete", Value: len(errs) == 0, At: "/runs"})
	}
	r.Covered = sarifTargets(s.repos, s.roots)
	return r
}

// severity is a result's bucket: its own security-severity, else its
// rule's, else its level (its own, else the rule's default, else
// "warning", SARIF's default). Levels map conservatively, so that a rule
// asking for no high findings is not passed by a tool that gives no
// score: error is high, warning medium, note low; none counts in no
// bucket.
func (s *sarifState) severity(key sarifKey, rule *sarifRule) string {
	if key.sev != "" {
		return key.sev
	}
	if rule != nil {
		if b, ok := scoreBucket(rule.Properties.SecuritySeverity); ok {
			return b
		}
	}
	level := key.level
	if level == "" && rule != nil {
		level = strings.ToLower(rule.DefaultConfiguration.Level)
	}
	switch level {
	case "error":
		return "high"
	case "note":
		return "low"
	case "none":
		return ""
	}
	return "medium"
}

// scoreBucket reads a security-severity (a CVSS-like score, 0 to 10, as a
// string or a number) into a bucket: 9 and above critical, 7 high, 4
// medium, above 0 low; 0 counts in no bucket. A value that is no score is
// as if absent.
func scoreBucket(v any) (string, bool) {
	var text string
	switch x := v.(type) {
	case string:
		text = x
	case json.Number:
		text = string(x)
	default:
		return "", false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	if err != nil || math.IsNaN(f) || f < 0 || f > 10 {
		return "", false
	}
	switch {
	case f >= 9:
		return "critical", true
	case f >= 7:
		return "high", true
	case f >= 4:
		return "medium", true
	case f > 0:
		return "low", true
	}
	return "-", true
}

var vulnIDPattern = regexp.MustCompile(`(?i)\b(CVE-\d{4}-\d{4,}|GHSA(?:-[23456789cfghjmpqrvwx]{4}){3})\b`)

// vulnIDs finds CVE and GHSA ids in a rule id or tag, in their canonical
// spelling (CVE upper case, GHSA's suffix lower case).
func vulnIDs(s string) []string {
	var out []string
	for _, m := range vulnIDPattern.FindAllString(s, -1) {
		if strings.EqualFold(m[:4], "GHSA") {
			out = append(out, "GHSA"+strings.ToLower(m[4:]))
		} else {
			out = append(out, strings.ToUpper(m))
		}
	}
	return out
}

// sarifTargets names what the scan covered: the repositories of
// versionControlProvenance, else the absolute roots the artifacts are
// relative to (originalUriBaseIds). Relative artifact paths alone name no
// target: a folder name does not say which repository it was.
func sarifTargets(repos, roots []string) []Target {
	names := SortedList(repos)
	if len(names) == 0 {
		names = SortedList(roots)
	}
	var out []Target
	for _, n := range names {
		t := Target{Name: n}
		if len(repos) > 0 {
			// An overlay may name a repository without scheme or .git.
			bare := strings.TrimSuffix(strings.TrimSuffix(n, "/"), ".git")
			if _, rest, ok := strings.Cut(bare, "://"); ok {
				bare = rest
			}
			if bare != n {
				t.Aliases = []string{bare}
			}
		}
		out = append(out, t)
	}
	return out
}
