// Package evidence reads an evidence bundle: a manifest naming items, their
// files with SHA-256, when and by whom they were collected, how long they
// stay valid, and what each supports (a mitigation, an element and
// capability, a control, a rule, or an exception's compensating control).
//
// [Verify] hashes every file, streaming and in parallel, and reports every
// problem as a typed [Problem]: a missing file, a hash mismatch, a stale
// item, one collected outside the audit period, an undeclared file. Nothing
// stops at the first problem. The package reads the clock nowhere: the as-of
// date is an argument.
package evidence

import (
	_ "embed"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/auditpack/auditpack/audit/archive"
	"github.com/auditpack/auditpack/frameworks/schemadoc"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// SchemaVersion is the manifest's "schema" value.
const SchemaVersion = "auditpack/evidence/v1"

// ManifestNames are the file names a bundle's manifest may have, in the
// order they are looked for.
var ManifestNames = []string{"manifest.yaml", "manifest.yml", "manifest.json"}

//go:embed manifest.schema.json
var schemaJSON []byte

var compiled = sync.OnceValue(func() *jsonschema.Schema {
	return schemadoc.MustCompile("auditpack-evidence.schema.json", schemaJSON)
})

// Schema returns the manifest's published JSON Schema.
func Schema() []byte { return slices.Clone(schemaJSON) }

// Manifest is a parsed evidence manifest.
type Manifest struct {
	Schema string `json:"schema"`
	Bundle string `json:"bundle,omitempty"`
	Items  []Item `json:"items"`
	// File names the manifest in messages; rel is its path in the bundle,
	// which is not evidence and so never reported as undeclared.
	File string `json:"-"`
	rel  string
}

// Item is one piece of evidence.
type Item struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Kind        string `json:"kind"`
	Description string `json:"description,omitempty"`
	Collector   string `json:"collector,omitempty"`
	Owner       string `json:"owner,omitempty"`
	CollectedAt string `json:"collected_at"`
	ValidDays   int    `json:"valid_days,omitempty"`
	ValidUntil  string `json:"valid_until,omitempty"`
	// EffectiveFrom and EffectiveUntil give the period the evidence
	// speaks for (a SOC report's period, the quarter a scan stands for),
	// ending on or before the day it was collected.
	EffectiveFrom  string         `json:"effective_from,omitempty"`
	EffectiveUntil string         `json:"effective_until,omitempty"`
	Files          []File         `json:"files"`
	Supports       []Support      `json:"supports"`
	Facts          map[string]any `json:"facts,omitempty"`

	collected time.Time
	until     time.Time
	effFrom   time.Time
	effUntil  time.Time
}

// File is a file of an item, relative to the bundle root.
type File struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// Support says what an item backs. Element with Capability backs that
// capability on that element; Exception backs an exception's compensating
// control.
type Support struct {
	Mitigation string `json:"mitigation,omitempty"`
	Element    string `json:"element,omitempty"`
	Capability string `json:"capability,omitempty"`
	Control    string `json:"control,omitempty"`
	Rule       string `json:"rule,omitempty"`
	Exception  string `json:"exception,omitempty"`
}

// Collected returns the collection time (UTC).
func (it Item) Collected() time.Time { return it.collected }

// Effective returns the period the item speaks for, either end the zero
// time when the manifest does not give it.
func (it Item) Effective() (from, until time.Time) { return it.effFrom, it.effUntil }

// Expires returns when the item stops being valid by its own declaration
// (valid_until, or collected_at + valid_days), or the zero time.
func (it Item) Expires() time.Time { return it.until }

// ManifestLimits bound an evidence manifest (see [schemadoc.Limits]): a
// generated manifest of thirteen thousand items is 9.5 MB of JSON holding
// about 320,000 values.
var ManifestLimits = schemadoc.Limits{Size: schemadoc.MaxSize, Values: 2_000_000, Depth: 32, String: 64 << 10}

// ParseManifest decodes and validates a manifest. Besides the schema it
// checks that ids are unique, dates parse, and file paths are clean,
// relative and inside the bundle.
//
// Every manifest, YAML or JSON, small or generated, takes the one path:
// decode, schema validation, then the checks above, so that every problem
// is reported with its line and pointer whatever the manifest looks like.
func ParseManifest(name string, data []byte) (*Manifest, error) {
	m := &Manifest{File: name}
	lines, err := schemadoc.DecodeLimited(name, data, ManifestLimits, compiled(), m)
	if err != nil {
		return nil, err
	}
	if ptr, msg, bad := settle(m); bad {
		return nil, schemadoc.Errorf(name, lines, ptr, "%s", msg)
	}
	return m, nil
}

// settle checks what the schema cannot (unique ids, dates that parse, clean
// paths listed once per item) and fills in the items' parsed dates. A
// problem is returned as the JSON pointer of the offending value and the
// message.
func settle(m *Manifest) (ptr, msg string, bad bool) {
	ids := make(map[string]int, len(m.Items))
	for i := range m.Items {
		it := &m.Items[i]
		at := func(suffix string) string { return fmt.Sprintf("/items/%d%s", i, suffix) }
		if j, dup := ids[it.ID]; dup {
			return at("/id"), fmt.Sprintf("duplicate item id %q (also /items/%d)", it.ID, j), true
		}
		ids[it.ID] = i
		var err error
		if it.collected, err = ParseDate(it.CollectedAt); err != nil {
			return at("/collected_at"), err.Error(), true
		}
		if it.ValidUntil != "" {
			if it.until, err = ParseDate(it.ValidUntil); err != nil {
				return at("/valid_until"), err.Error(), true
			}
		} else if it.ValidDays > 0 {
			it.until = it.collected.AddDate(0, 0, it.ValidDays)
		}
		if ptr, msg, bad := settleEffective(it, at); bad {
			return ptr, msg, true
		}
		// Items list a handful of files, for which a scan is cheaper than
		// a set; a long list is checked through one.
		var seen map[string]bool
		if len(it.Files) > 16 {
			seen = make(map[string]bool, len(it.Files))
		}
		for j, f := range it.Files {
			if err := checkPath(f.Path); err != nil {
				return at(fmt.Sprintf("/files/%d/path", j)), err.Error(), true
			}
			twice := false
			if seen != nil {
				twice, seen[f.Path] = seen[f.Path], true
			} else {
				twice = slices.ContainsFunc(it.Files[:j], func(g File) bool { return g.Path == f.Path })
			}
			if twice {
				return at(fmt.Sprintf("/files/%d/path", j)), fmt.Sprintf("file %q is listed twice in this item", f.Path), true
			}
		}
	}
	return "", "", false
}

// settleEffective parses an item's effective period and refuses one that
// ends before it starts, or after the day the evidence was collected:
// evidence cannot speak for a time after it was made (a scan run early in
// a quarter shows that day, not the weeks after it).
func settleEffective(it *Item, at func(string) string) (ptr, msg string, bad bool) {
	var err error
	if it.EffectiveFrom != "" {
		if it.effFrom, err = ParseDate(it.EffectiveFrom); err != nil {
			return at("/effective_from"), err.Error(), true
		}
	}
	if it.EffectiveUntil != "" {
		if it.effUntil, err = ParseDate(it.EffectiveUntil); err != nil {
			return at("/effective_until"), err.Error(), true
		}
	}
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	if !it.effFrom.IsZero() && !it.effUntil.IsZero() && it.effFrom.After(it.effUntil) {
		return at("/effective_from"), fmt.Sprintf("effective_from %s is after effective_until %s", it.EffectiveFrom, it.EffectiveUntil), true
	}
	if !it.effUntil.IsZero() && day(it.effUntil) > day(it.collected) {
		return at("/effective_until"), fmt.Sprintf("effective_until %s is after collected_at %s: evidence cannot speak for a time after it was collected", it.EffectiveUntil, it.CollectedAt), true
	}
	if !it.effFrom.IsZero() && day(it.effFrom) > day(it.collected) {
		return at("/effective_from"), fmt.Sprintf("effective_from %s is after collected_at %s: evidence cannot speak for a time after it was collected", it.EffectiveFrom, it.CollectedAt), true
	}
	return "", "", false
}

// checkPath refuses paths that could leave the bundle, that name the same
// file in two spellings, or that no bundle entry can have (the characters
// [CheckEntryName] refuses; docs/evidence-bundles.md lists them). They are
// refused here, when the manifest is read, with the pointer to the path,
// rather than later as a file that cannot be found; the path is quoted
// with its control characters escaped.
func checkPath(p string) error {
	if i := strings.IndexFunc(p, unicode.IsControl); i >= 0 {
		r, _ := utf8.DecodeRuneInString(p[i:])
		return fmt.Errorf("path %s contains a control character (%U); names in a bundle cannot", shown(p), r)
	}
	switch {
	case strings.Contains(p, ":"):
		return fmt.Errorf("path %s contains a colon (a drive letter or stream name on Windows); names in a bundle cannot", shown(p))
	case strings.Contains(p, `\`):
		return fmt.Errorf("path %s contains a backslash; use forward slashes", shown(p))
	case strings.HasPrefix(p, "/"):
		return fmt.Errorf("path %s is absolute; paths are relative to the bundle", shown(p))
	case path.Clean(p) != p || p == "." || strings.HasPrefix(p, "../") || p == "..":
		return fmt.Errorf("path %s is not a clean path inside the bundle", shown(p))
	}
	if err := archive.CheckName(p); err != nil {
		return fmt.Errorf("path %s cannot be a bundle entry: %v", shown(p), err)
	}
	if err := archive.CheckNested(p); err != nil {
		return fmt.Errorf("path %s cannot be a bundle entry: %v", shown(p), err)
	}
	return nil
}

// shown quotes a path for a message, escaped, and cut short when long: a
// path of ten thousand bytes is refused for its length, not reprinted.
func shown(p string) string {
	const max = 80
	if len(p) <= max {
		return strconv.Quote(p)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(p[cut]) {
		cut--
	}
	return strconv.Quote(p[:cut]) + "…"
}

// ParseDate reads a date (2006-01-02) or an RFC 3339 time, in UTC.
func ParseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither a date (YYYY-MM-DD) nor an RFC 3339 time", s)
	}
	return t.UTC(), nil
}
