package facts

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

const trivyID = "trivy-json"

// trivy reads Trivy JSON (-f json, schema version 2): the report of one
// artifact (an image, a file system, a repository), which is the target;
// an image's id, repo digests and tags are its aliases.
//
// Open findings are what Trivy itself leaves reported: every entry of a
// result's Vulnerabilities (except one Trivy marks not_affected), every
// misconfiguration with Status FAIL (PASS and EXCEPTION are not failures),
// and every secret. Findings a VEX statement or an ignore file suppressed
// are moved by Trivy into ExperimentalModifiedFindings and are not open.
// License findings are not counted: they are not security findings.
var trivy = parser{id: trivyID, name: "Trivy JSON (-f json)",
	detect: detectTrivy,
	parse:  parseTrivy,
	yields: []string{"scan.findings_open", "scan.critical_open", "scan.high_open",
		"scan.medium_open", "scan.low_open", "scan.vulnerability_ids", "scan.failed_checks",
		"scan.failed_resources", "scan.date", "scan.tool", "scan.targets", "scan.errors", "scan.complete"}}

func detectTrivy(head []byte) bool {
	s, ok := shapeOf(head)
	return ok && !s.Array && s.Has("SchemaVersion", "ArtifactName") && (s.Has("ArtifactType") || s.Has("Results"))
}

// trivyFinding holds the fields read from one vulnerability,
// misconfiguration or secret; the rest of it is skipped.
type trivyFinding struct {
	VulnerabilityID string `json:"VulnerabilityID"`
	ID              string `json:"ID"`
	RuleID          string `json:"RuleID"`
	Severity        string `json:"Severity"`
	Status          string `json:"Status"`
}

type trivyReader struct {
	w                   *jsonWalk
	version, createdAt  string
	artifact            string
	aliases             []string
	counts              severityCounts
	vulns, checks, ress idSet
	// runs holds each misconfiguration check Trivy reported, with its
	// failures and passes (passes are listed only with
	// --include-non-failures; MisconfSummary counts them by file only).
	runs map[string]*Check
}

func parseTrivy(r io.Reader) (*Read, error) {
	tr := &trivyReader{w: newJSONWalk(r, trivyID), vulns: idSet{}, checks: idSet{}, ress: idSet{},
		runs: map[string]*Check{}}
	w := tr.w
	err := w.object(func(key string) error {
		switch key {
		case "SchemaVersion":
			tok, err := w.token()
			if err != nil {
				return err
			}
			if n, ok := tok.(json.Number); !ok || n.String() != "2" {
				return w.fail(fmt.Errorf("schema version %v is not 2, the only one auditpack reads", tok))
			}
		case "Trivy":
			return w.object(func(key string) error {
				if key != "Version" {
					return w.skip()
				}
				v, err := w.str()
				tr.version = v
				return err
			})
		case "CreatedAt":
			v, err := w.str()
			if err != nil {
				return err
			}
			if v != "" {
				if tr.createdAt, err = utcDate(v); err != nil {
					return w.fail(err)
				}
			}
		case "ArtifactName":
			v, err := w.str()
			tr.artifact = v
			return err
		case "Metadata":
			return tr.metadata()
		case "Results":
			return w.array(func(int) error { return tr.result() })
		default:
			return w.skip()
		}
		return nil
	})
	if err == nil {
		err = w.end()
	}
	if err != nil {
		return nil, err
	}
	return tr.read(), nil
}

// metadata reads an image's names: its id, repo digests and tags.
func (tr *trivyReader) metadata() error {
	w := tr.w
	return w.object(func(key string) error {
		switch key {
		case "ImageID":
			v, err := w.str()
			tr.aliases = append(tr.aliases, v)
			return err
		case "RepoDigests", "RepoTags":
			v, err := w.strs()
			tr.aliases = append(tr.aliases, v...)
			return err
		}
		return w.skip()
	})
}

// result reads one entry of Results: a package list, a config file or a
// file with secrets, named by its Target.
func (tr *trivyReader) result() error {
	w := tr.w
	var target string
	open := 0
	err := w.object(func(key string) error {
		switch key {
		case "Target":
			v, err := w.str()
			target = v
			return err
		case "Vulnerabilities":
			return w.array(func(int) error {
				var f trivyFinding
				if err := w.decode(&f); err != nil {
					return err
				}
				if strings.EqualFold(f.Status, "not_affected") {
					return nil
				}
				open++
				tr.counts.add(f.Severity)
				if cveOrGHSA.MatchString(f.VulnerabilityID) {
					tr.vulns.add(f.VulnerabilityID)
				}
				return nil
			})
		case "Misconfigurations":
			return w.array(func(int) error {
				var f trivyFinding
				if err := w.decode(&f); err != nil {
					return err
				}
				failed := strings.EqualFold(f.Status, "FAIL")
				if f.ID != "" {
					c, ok := tr.runs[f.ID]
					if !ok {
						c = &Check{ID: f.ID, At: w.pointer()}
						tr.runs[f.ID] = c
					}
					if failed {
						c.Failed++
					} else if strings.EqualFold(f.Status, "PASS") {
						c.Passed++
					}
				}
				if !failed {
					return nil
				}
				open++
				tr.counts.add(f.Severity)
				tr.checks.add(f.ID)
				return nil
			})
		case "Secrets":
			return w.array(func(int) error {
				var f trivyFinding
				if err := w.decode(&f); err != nil {
					return err
				}
				open++
				tr.counts.add(f.Severity)
				return nil
			})
		}
		return w.skip()
	})
	if err == nil && open > 0 {
		tr.ress.add(target)
	}
	return err
}

func (tr *trivyReader) read() *Read {
	r := &Read{Tool: strings.TrimSpace("trivy " + tr.version)}
	for _, c := range tr.runs {
		r.Checks = append(r.Checks, *c)
	}
	toolAt := "/"
	if tr.version != "" {
		toolAt = "/Trivy/Version"
	}
	r.Facts = append(r.Facts, Fact{Name: "scan.tool", Value: r.Tool, At: toolAt})
	if tr.createdAt != "" {
		r.Facts = append(r.Facts, Fact{Name: "scan.date", Value: tr.createdAt, At: "/CreatedAt"})
	}
	found := tr.counts.facts(tr.artifact, "/Results")
	found = append(found,
		Fact{Name: "scan.vulnerability_ids", Value: tr.vulns.list(), At: "/Results", Target: tr.artifact},
		Fact{Name: "scan.failed_checks", Value: tr.checks.list(), At: "/Results", Target: tr.artifact},
		Fact{Name: "scan.failed_resources", Value: tr.ress.list(), At: "/Results", Target: tr.artifact})
	if tr.artifact == "" {
		// A report that names no artifact states its findings about
		// the whole file and covers nothing by name; nor is it a clean
		// scan: its empty results may be a scan of nothing at all.
		r.Facts = append(r.Facts, found...)
		r.Facts = append(r.Facts,
			Fact{Name: "scan.errors", Value: []string{"the file names no artifact it scanned"}, At: "/ArtifactName"},
			Fact{Name: "scan.complete", Value: false, At: "/ArtifactName"})
		return r
	}
	// One artifact: the file's facts are its facts, stated here rather
	// than combined, so that an empty list reads as empty, not absent.
	r.Targets = found
	for _, f := range found {
		f.Target = ""
		r.Facts = append(r.Facts, f)
	}
	var aliases []string
	for _, a := range tr.aliases {
		if a != "" && a != tr.artifact {
			aliases = append(aliases, a)
		}
	}
	r.Covered = []Target{{Name: tr.artifact, Aliases: SortedList(aliases)}}
	return r
}
