package facts

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
)

const grypeID = "grype-json"

// grype reads Grype JSON (-o json): the matches of one source (an image, a
// directory, a file, an SBOM), which is the target, named as the user gave
// it; an image's id, manifest digest, repo digests and tags are aliases.
//
// Open findings are the entries of matches; ignoredMatches (an ignore
// rule or a VEX statement matched) are not open. Grype's severities are
// Critical, High, Medium, Low, Negligible and Unknown: Negligible and
// Unknown count as open findings of no severity. A match's CVE or GHSA id
// is kept, and so are the CVE and GHSA ids of its related vulnerabilities
// (a distribution advisory names the CVEs it fixes; a GHSA its CVE), so
// that a rule naming either finds it.
var grype = parser{id: grypeID, name: "Grype JSON (-o json)",
	detect: detectGrype,
	parse:  parseGrype,
	yields: []string{"scan.findings_open", "scan.critical_open", "scan.high_open",
		"scan.medium_open", "scan.low_open", "scan.vulnerability_ids", "scan.date",
		"scan.tool", "scan.targets", "scan.errors", "scan.complete"}}

// detectGrype recognises Grype's top-level keys, or, when matches fill the
// head so that source and descriptor lie beyond it, the keys of the first
// match.
func detectGrype(head []byte) bool {
	s, ok := shapeOf(head)
	if !ok || s.Array || !s.Has("matches") {
		return false
	}
	if s.Has("source", "descriptor") {
		return true
	}
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if tok != "matches" {
			if skipValue(dec) != nil {
				return false
			}
			continue
		}
		if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
			return false
		}
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			return false
		}
		var vuln, artifact bool
		for dec.More() && !(vuln && artifact) {
			k, err := dec.Token()
			if err != nil {
				return false
			}
			vuln = vuln || k == "vulnerability"
			artifact = artifact || k == "artifact"
			if skipValue(dec) != nil {
				break
			}
		}
		return vuln && artifact
	}
	return false
}

// grypeMatch holds the fields read from one match; the rest is skipped.
type grypeMatch struct {
	Vulnerability struct {
		ID       string `json:"id"`
		Severity string `json:"severity"`
	} `json:"vulnerability"`
	Related []struct {
		ID string `json:"id"`
	} `json:"relatedVulnerabilities"`
}

type grypeReader struct {
	w                      *jsonWalk
	name, version, stamp   string
	target                 string
	aliases                []string
	sawDescriptor, matched bool
	sawDB                  bool
	errors                 []string
	counts                 severityCounts
	vulns                  idSet
}

func parseGrype(r io.Reader) (*Read, error) {
	gr := &grypeReader{w: newJSONWalk(r, grypeID), vulns: idSet{}}
	w := gr.w
	err := w.object(func(key string) error {
		switch key {
		case "matches":
			gr.matched = true
			return w.array(func(int) error {
				var m grypeMatch
				if err := w.decode(&m); err != nil {
					return err
				}
				gr.counts.add(m.Vulnerability.Severity)
				if cveOrGHSA.MatchString(m.Vulnerability.ID) {
					gr.vulns.add(m.Vulnerability.ID)
				}
				for _, rel := range m.Related {
					if cveOrGHSA.MatchString(rel.ID) {
						gr.vulns.add(rel.ID)
					}
				}
				return nil
			})
		case "source":
			return gr.source()
		case "descriptor":
			gr.sawDescriptor = true
			return gr.descriptor()
		}
		return w.skip()
	})
	if err == nil {
		err = w.end()
	}
	if err == nil && !gr.matched {
		err = &Error{Format: grypeID, At: "/matches", Offset: w.dec.InputOffset(),
			Err: errors.New("no matches list: grype always writes one, even empty")}
	}
	if err != nil {
		return nil, err
	}
	return gr.read(), nil
}

// source reads what was scanned: target is a string (a directory or file
// path) or, for an image, an object of its names.
func (gr *grypeReader) source() error {
	w := gr.w
	return w.object(func(key string) error {
		if key != "target" {
			return w.skip()
		}
		tok, err := w.token()
		if err != nil {
			return err
		}
		switch v := tok.(type) {
		case string:
			gr.target = v
			return nil
		case nil:
			return nil
		case json.Delim:
			if v != '{' {
				return w.fail(errWantTarget)
			}
		default:
			return w.fail(errWantTarget)
		}
		for w.dec.More() {
			tok, err := w.token()
			if err != nil {
				return err
			}
			k, _ := tok.(string)
			w.path = append(w.path, k)
			switch k {
			case "userInput":
				gr.target, err = w.str()
			case "imageID", "manifestDigest":
				var s string
				s, err = w.str()
				gr.aliases = append(gr.aliases, s)
			case "repoDigests", "tags":
				var s []string
				s, err = w.strs()
				gr.aliases = append(gr.aliases, s...)
			default:
				err = w.skip()
			}
			w.path = w.path[:len(w.path)-1]
			if err != nil {
				return err
			}
		}
		_, err = w.token()
		return err
	})
}

// descriptor reads the tool's name and version and when it ran.
func (gr *grypeReader) descriptor() error {
	w := gr.w
	return w.object(func(key string) error {
		var err error
		switch key {
		case "name":
			gr.name, err = w.str()
		case "version":
			gr.version, err = w.str()
		case "db":
			err = gr.database()
		case "timestamp":
			var s string
			if s, err = w.str(); err == nil && s != "" {
				if gr.stamp, err = utcDate(s); err != nil {
					err = w.fail(err)
				}
			}
		default:
			err = w.skip()
		}
		return err
	})
}

// database reads whether grype had a usable vulnerability database: a
// scan without one matches nothing, and its empty matches prove nothing.
// Grype before 0.88 gives descriptor.db.error; later ones
// descriptor.db.status.error and .valid.
func (gr *grypeReader) database() error {
	w := gr.w
	gr.sawDB = true
	var readStatus func(key string) error
	readStatus = func(key string) error {
		switch key {
		case "error":
			tok, err := w.token()
			if err != nil {
				return err
			}
			if msg, ok := tok.(string); ok && msg != "" {
				gr.errors = append(gr.errors, "vulnerability database: "+msg)
			}
			return nil
		case "valid":
			tok, err := w.token()
			if err != nil {
				return err
			}
			if v, ok := tok.(bool); ok && !v {
				gr.errors = append(gr.errors, "vulnerability database not valid")
			}
			return nil
		case "status":
			return w.object(readStatus)
		}
		return w.skip()
	}
	known := false
	err := w.object(func(key string) error {
		known = true
		return readStatus(key)
	})
	if err == nil && !known {
		// A null or empty db says nothing of a database: grype matched
		// against none that the file can show.
		gr.errors = append(gr.errors, "vulnerability database unknown: descriptor.db is null or empty")
	}
	return err
}

// errNoSource is the scan error of a file that names nothing scanned.
const errNoSource = "the file names no source it scanned"

var errWantTarget = errors.New("source.target is neither a string nor an object")

func (gr *grypeReader) read() *Read {
	tool := gr.name
	if tool == "" {
		tool = "grype"
	}
	if gr.version != "" {
		tool += " " + gr.version
	}
	r := &Read{Tool: tool}
	toolAt := "/"
	if gr.sawDescriptor {
		toolAt = "/descriptor"
	}
	r.Facts = append(r.Facts, Fact{Name: "scan.tool", Value: tool, At: toolAt})
	if gr.stamp != "" {
		r.Facts = append(r.Facts, Fact{Name: "scan.date", Value: gr.stamp, At: "/descriptor/timestamp"})
	}
	found := gr.counts.facts(gr.target, "/matches")
	found = append(found, Fact{Name: "scan.vulnerability_ids", Value: gr.vulns.list(), At: "/matches", Target: gr.target})
	errs, at := gr.errors, "/descriptor/db"
	if gr.target == "" {
		// A file that names nothing it scanned is no clean scan: its
		// empty matches may be a scan of nothing at all.
		errs = append(slices.Clone(errs), errNoSource)
		if len(gr.errors) == 0 {
			at = "/source"
		}
	}
	if gr.sawDB || gr.target == "" {
		if len(errs) > 0 {
			found = append(found, Fact{Name: "scan.errors", Value: SortedList(errs), At: at, Target: gr.target})
		}
		found = append(found, Fact{Name: "scan.complete", Value: len(errs) == 0, At: at, Target: gr.target})
	}
	for _, f := range found {
		if gr.target != "" {
			r.Targets = append(r.Targets, f)
		}
		f.Target = ""
		r.Facts = append(r.Facts, f)
	}
	if gr.target != "" {
		var aliases []string
		for _, a := range gr.aliases {
			if a != "" && a != gr.target {
				aliases = append(aliases, a)
			}
		}
		r.Covered = []Target{{Name: gr.target, Aliases: SortedList(aliases)}}
	}
	return r
}
