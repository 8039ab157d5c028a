package facts

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/auditpack/auditpack/mappings"
)

// prowler reads Prowler's OCSF JSON (-M json-ocsf, Prowler 4 and 5): one
// JSON array of OCSF Detection Findings, one per check and resource.
//
// The check is metadata.event_code; its outcome status_code (FAIL, PASS,
// MANUAL). A muted finding (Prowler's mutelist) keeps its status_code but
// has status "Suppressed": it is not open. MANUAL is neither
// a failure nor a pass. Each finding's target is its cloud account
// (cloud.account.uid), with the account name and every resource uid as
// aliases; Kubernetes findings carry no cloud object, so there each
// resource is its own target.
var prowler = parser{id: "prowler-ocsf-json", name: "Prowler OCSF JSON (-M json-ocsf)",
	detect: detectProwler, parse: parseProwlerOCSF,
	yields: []string{"scan.tool", "scan.date", "scan.targets", "scan.findings_open",
		"scan.critical_open", "scan.high_open", "scan.medium_open", "scan.low_open",
		"scan.failed_checks", "scan.failed_resources",
		"posture.requirements_failed", "posture.requirements_passed"}}

// detectProwler looks for an array whose first element's metadata names
// Prowler as the product and has an event_code (the check id). Other OCSF
// producers write the same shape; only the product tells them apart.
func detectProwler(head []byte) bool {
	s, ok := shapeOf(head)
	if !ok || !s.Array || !slices.Contains(s.Nested["metadata"], "event_code") {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))))
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		return false
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return false
		}
		if k != "metadata" {
			if skipValue(dec) != nil {
				return false
			}
			continue
		}
		var m struct {
			Product struct {
				Name string `json:"name"`
				UID  string `json:"uid"`
			} `json:"product"`
		}
		if dec.Decode(&m) != nil {
			return false
		}
		return strings.EqualFold(m.Product.Name, "prowler") || strings.EqualFold(m.Product.UID, "prowler")
	}
	return false
}

// ocsfFinding is the part of one finding auditpack reads.
type ocsfFinding struct {
	Metadata struct {
		EventCode *string `json:"event_code"`
		Product   struct {
			Version string `json:"version"`
		} `json:"product"`
		Profiles []string `json:"profiles"`
	} `json:"metadata"`
	Severity    string      `json:"severity"`
	SeverityID  json.Number `json:"severity_id"`
	Status      string      `json:"status"`
	StatusID    json.Number `json:"status_id"`
	StatusCode  *string     `json:"status_code"`
	Time        any         `json:"time"`
	TimeDT      any         `json:"time_dt"`
	EventTime   any         `json:"event_time"`
	FindingInfo struct {
		CreatedTime   any `json:"created_time"`
		CreatedTimeDT any `json:"created_time_dt"`
	} `json:"finding_info"`
	Resources []struct {
		UID string `json:"uid"`
	} `json:"resources"`
	Cloud *struct {
		Provider string `json:"provider"`
		Account  *struct {
			UID  string `json:"uid"`
			Name string `json:"name"`
		} `json:"account"`
	} `json:"cloud"`
}

// prowlerCheck is what one check did over the whole file.
type prowlerCheck struct {
	failed, passed, mutedFailed int
	providers                   []string
	providerSeen                map[string]bool
	at                          string
}

// prowlerTarget is what the findings of one account (or resource) say.
type prowlerTarget struct {
	counts          openCounts
	checks          map[string]bool
	resources       map[string]bool
	aliases         map[string]bool
	failedResources map[string]bool
}

func parseProwlerOCSF(r io.Reader) (*Read, error) {
	d := newPtrDecoder("prowler-ocsf-json", r)
	if err := d.open("", '[', "the document"); err != nil {
		return nil, err
	}
	checks := map[string]*prowlerCheck{}
	targets := map[string]*prowlerTarget{}
	var when scanTime
	var versions []string
	versionSeen := map[string]bool{}
	versionAt := ""
	for i := 0; d.dec.More(); i++ {
		at := ptr("", i)
		var f ocsfFinding
		if err := d.decode(at, &f); err != nil {
			return nil, err
		}
		if f.Metadata.EventCode == nil || *f.Metadata.EventCode == "" {
			return nil, d.failf(ptr(ptr(at, "metadata"), "event_code"), "finding has no check id")
		}
		if f.StatusCode == nil {
			return nil, d.failf(ptr(at, "status_code"), "finding has no status_code")
		}
		id := *f.Metadata.EventCode
		status := strings.ToUpper(*f.StatusCode)
		if status != "FAIL" && status != "PASS" && status != "MANUAL" {
			return nil, d.failf(ptr(at, "status_code"), "status_code %q is none of FAIL, PASS, MANUAL", *f.StatusCode)
		}
		// The status name decides: Prowler 4 wrote status_id 3 on findings
		// it names "New" (its OCSF library numbered statuses differently),
		// so the id counts only where the name is missing.
		muted := strings.EqualFold(f.Status, "suppressed") || (f.Status == "" && f.StatusID == "3")
		if len(versions) == 0 && versionAt == "" {
			versionAt = ptr(ptr(at, "metadata"), "product")
		}
		if v := f.Metadata.Product.Version; isVersion(v) && !versionSeen[v] {
			if len(versions) == 0 {
				versionAt = ptr(ptr(ptr(at, "metadata"), "product"), "version")
			}
			versionSeen[v] = true
			versions = append(versions, v)
		}
		if err := when.add(d, at, f); err != nil {
			return nil, err
		}

		c := checks[id]
		if c == nil {
			c = &prowlerCheck{at: at, providerSeen: map[string]bool{}}
			checks[id] = c
		}
		if p := f.provider(); p != "" && !c.providerSeen[p] {
			c.providerSeen[p] = true
			c.providers = append(c.providers, p)
		}
		open := status == "FAIL" && !muted
		switch {
		case open:
			c.failed++
		case status == "FAIL":
			c.mutedFailed++
		case status == "PASS":
			c.passed++
		}

		// Only an account target gathers its finding's resources as
		// aliases: a finding without an account makes each resource a
		// target of its own, which is no other resource's alias (and
		// aliasing them all to each other grows with the square of the
		// resources).
		account := f.Cloud != nil && f.Cloud.Account != nil && f.Cloud.Account.UID != ""
		for _, name := range f.targets() {
			t := targets[name]
			if t == nil {
				t = &prowlerTarget{checks: map[string]bool{}, resources: map[string]bool{},
					aliases: map[string]bool{}, failedResources: map[string]bool{}}
				targets[name] = t
			}
			if f.Cloud != nil && f.Cloud.Account != nil && f.Cloud.Account.Name != "" {
				t.aliases[f.Cloud.Account.Name] = true
			}
			if account {
				for _, res := range f.Resources {
					if res.UID != "" && res.UID != name {
						t.aliases[res.UID] = true
					}
				}
			}
			if !open {
				continue
			}
			t.counts.add(ocsfSeverity(f.Severity, f.SeverityID))
			t.checks[id] = true
			if !account {
				t.failedResources[name] = true
				continue
			}
			for _, res := range f.Resources {
				if res.UID != "" {
					t.failedResources[res.UID] = true
				}
			}
		}
	}
	if err := d.close(""); err != nil {
		return nil, err
	}
	if err := d.end(); err != nil {
		return nil, err
	}

	read := &Read{Tool: "prowler"}
	if len(versions) > 0 {
		read.Tool += " " + strings.Join(versions, ", ")
	}
	if versionAt != "" {
		read.Facts = append(read.Facts, Fact{Name: "scan.tool", Value: read.Tool, At: versionAt})
	}
	if f, ok := when.fact(); ok {
		read.Facts = append(read.Facts, f)
	}
	if len(targets) == 0 {
		// An empty scan still says something: nothing open.
		read.Facts = append(read.Facts, openCounts{}.facts("/", "")...)
		read.Facts = append(read.Facts,
			Fact{Name: "scan.failed_checks", Value: []string{}, At: "/"},
			Fact{Name: "scan.failed_resources", Value: []string{}, At: "/"})
	}
	for _, name := range sortedKeys(targets) {
		t := targets[name]
		read.Targets = append(read.Targets, t.counts.facts("/", name)...)
		read.Targets = append(read.Targets,
			Fact{Name: "scan.failed_checks", Value: sortedKeys(t.checks), At: "/", Target: name},
			Fact{Name: "scan.failed_resources", Value: sortedKeys(t.failedResources), At: "/", Target: name})
		read.Covered = append(read.Covered, Target{Name: name, Aliases: nilIfEmpty(sortedKeys(t.aliases))})
	}
	read.Checks, read.Facts = prowlerChecks(checks, read.Facts)
	return read, nil
}

// prowlerChecks lists each check with the requirements Prowler's mapping
// gives it, and states which requirements failed and which passed: failed
// when any mapped check has an open failure; passed only when mapped
// checks ran, at least one passed, and none failed, open or muted (a
// muted failure is an accepted risk, not a pass).
func prowlerChecks(checks map[string]*prowlerCheck, fs []Fact) ([]Check, []Fact) {
	type state struct{ fail, muted, pass bool }
	reqs := map[string]*state{}
	var out []Check
	for _, id := range sortedKeys(checks) {
		c := checks[id]
		providers := c.providers
		if len(providers) == 0 {
			// No cloud object (Kubernetes, or a trimmed file): the mapping
			// decides when it knows the check under one provider only.
			if p := mappings.ProwlerProviders(id); len(p) == 1 {
				providers = p
			}
		}
		var refs []string
		for _, p := range providers {
			refs = append(refs, mappings.ProwlerRequirements(p, id)...)
		}
		refs = SortedList(refs)
		for _, ref := range refs {
			s := reqs[ref]
			if s == nil {
				s = &state{}
				reqs[ref] = s
			}
			s.fail = s.fail || c.failed > 0
			s.muted = s.muted || c.mutedFailed > 0
			s.pass = s.pass || c.passed > 0
		}
		out = append(out, Check{ID: id, Failed: c.failed, Passed: c.passed, Requirements: nilIfEmpty(refs), At: c.at})
	}
	failed, passed := []string{}, []string{}
	for _, ref := range sortedKeys(reqs) {
		switch s := reqs[ref]; {
		case s.fail:
			failed = append(failed, ref)
		case s.pass && !s.muted:
			passed = append(passed, ref)
		}
	}
	fs = append(fs,
		Fact{Name: "posture.requirements_failed", Value: failed, At: "/"},
		Fact{Name: "posture.requirements_passed", Value: passed, At: "/"})
	return out, fs
}

// provider is the finding's Prowler provider: cloud.provider, or
// "kubernetes" for the container profile Prowler gives Kubernetes findings.
func (f *ocsfFinding) provider() string {
	if f.Cloud != nil && f.Cloud.Provider != "" {
		return strings.ToLower(f.Cloud.Provider)
	}
	if slices.Contains(f.Metadata.Profiles, "container") {
		return "kubernetes"
	}
	return ""
}

// targets names what the finding is about: its account, else each of its
// resources.
func (f *ocsfFinding) targets() []string {
	if f.Cloud != nil && f.Cloud.Account != nil && f.Cloud.Account.UID != "" {
		return []string{f.Cloud.Account.UID}
	}
	var out []string
	seen := map[string]bool{}
	for _, r := range f.Resources {
		if r.UID != "" && !seen[r.UID] {
			seen[r.UID] = true
			out = append(out, r.UID)
		}
	}
	return out
}

// ocsfSeverity maps Prowler's severity name, else OCSF's severity_id
// (1 informational … 5 critical, 6 fatal), to auditpack's buckets.
func ocsfSeverity(name string, id json.Number) string {
	switch strings.ToLower(name) {
	case "critical", "fatal":
		return "critical"
	case "high", "medium", "low":
		return strings.ToLower(name)
	case "informational", "info":
		return ""
	}
	switch id {
	case "5", "6":
		return "critical"
	case "4":
		return "high"
	case "3":
		return "medium"
	case "2":
		return "low"
	}
	return ""
}

var versionPattern = regexp.MustCompile(`^v?[0-9][0-9A-Za-z.+-]*$`)

// isVersion tells a tool version from the placeholders of redacted
// examples ("<prowler_version>").
func isVersion(v string) bool { return versionPattern.MatchString(v) }

// scanTime keeps the latest time the findings give. An epoch number or a
// time with a zone is an instant; Prowler's *_dt fields have no zone (they
// are the scanning machine's local time), so from those only the day is
// kept, and only when the file gives no instant at all.
type scanTime struct {
	instant   time.Time
	instantAt string
	day       string
	dayAt     string
}

func (s *scanTime) add(d *ptrDecoder, at string, f ocsfFinding) error {
	fi := ptr(at, "finding_info")
	for _, c := range []struct {
		v  any
		at string
	}{
		{f.Time, ptr(at, "time")}, {f.TimeDT, ptr(at, "time_dt")}, {f.EventTime, ptr(at, "event_time")},
		{f.FindingInfo.CreatedTime, ptr(fi, "created_time")}, {f.FindingInfo.CreatedTimeDT, ptr(fi, "created_time_dt")},
	} {
		if c.v == nil {
			continue
		}
		t, day, err := parseOCSFTime(c.v)
		if err != nil {
			return d.failf(c.at, "%v", err)
		}
		if !t.IsZero() {
			if t.After(s.instant) {
				s.instant, s.instantAt = t, c.at
			}
			return nil
		}
		if day > s.day {
			s.day, s.dayAt = day, c.at
		}
	}
	return nil
}

func (s *scanTime) fact() (Fact, bool) {
	if !s.instant.IsZero() {
		return Fact{Name: "scan.date", Value: s.instant.UTC().Format(time.RFC3339), At: s.instantAt}, true
	}
	if s.day != "" {
		return Fact{Name: "scan.date", Value: s.day, At: s.dayAt}, true
	}
	return Fact{}, false
}

// parseOCSFTime reads an epoch (seconds, or milliseconds as OCSF defines
// them, told apart by size) or an ISO 8601 time. A time without a zone
// gives only its day.
func parseOCSFTime(v any) (instant time.Time, day string, err error) {
	switch x := v.(type) {
	case json.Number:
		n, err := strconv.ParseInt(string(x), 10, 64)
		if err != nil || n <= 0 {
			return time.Time{}, "", fmt.Errorf("time %s is not a positive whole number of seconds", x)
		}
		if n > 1e11 {
			t, err := unixTime(n / 1000)
			if err != nil {
				return time.Time{}, "", err
			}
			return t.Add(time.Duration(n%1000) * time.Millisecond), "", nil
		}
		t, err := unixTime(n)
		return t, "", err
	case string:
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return t.UTC(), "", nil
		}
		for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"} {
			if t, err := time.Parse(layout, x); err == nil {
				return time.Time{}, t.Format(time.DateOnly), nil
			}
		}
		return time.Time{}, "", fmt.Errorf("time %q is not an ISO 8601 time", x)
	}
	return time.Time{}, "", fmt.Errorf("time is %T, want a number or a string", v)
}

// openCounts counts open findings, in all and by severity bucket.
type openCounts struct{ all, critical, high, medium, low int }

func (c *openCounts) add(severity string) {
	c.all++
	switch severity {
	case "critical":
		c.critical++
	case "high":
		c.high++
	case "medium":
		c.medium++
	case "low":
		c.low++
	}
}

func (c openCounts) facts(at, target string) []Fact {
	return []Fact{
		{Name: "scan.findings_open", Value: c.all, At: at, Target: target},
		{Name: "scan.critical_open", Value: c.critical, At: at, Target: target},
		{Name: "scan.high_open", Value: c.high, At: at, Target: target},
		{Name: "scan.medium_open", Value: c.medium, At: at, Target: target},
		{Name: "scan.low_open", Value: c.low, At: at, Target: target},
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}
