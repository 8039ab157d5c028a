package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/evidence/facts"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/printable"
	proj "github.com/auditpack/auditpack/audit/project"
	"github.com/auditpack/auditpack/cmd/auditpack/internal/staging"
	"github.com/auditpack/auditpack/mappings"
	"github.com/urfave/cli/v2"
)

func (env *environment) initCommand() *cli.Command {
	return &cli.Command{
		Name:  "init",
		Usage: "write a starter auditpack.yaml whose overlay lists the model's data, zones and mitigations",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "model", Required: true, Usage: "threat-model `FILE` to start from"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "auditpack.yaml", Usage: "configuration `FILE` to write"},
			&cli.BoolFlag{Name: "force", Usage: "replace an existing file"},
		},
		Action: func(c *cli.Context) error {
			return env.runInit(c.Context, initOptions{model: c.String("model"), out: c.String("out"), force: c.Bool("force")})
		},
	}
}

// initOptions are init's options.
type initOptions struct {
	model string // the threat model to start from
	out   string // the configuration to write
	force bool
}

// runInit writes a starter configuration for a threat model, naming the
// model relative to the configuration.
func (env *environment) runInit(_ context.Context, o initOptions) error {
	m, _, err := loadModelFile(o.model)
	if err != nil {
		return err
	}
	out := o.out
	rel, err := filepath.Rel(filepath.Dir(absPath(out)), absPath(o.model))
	if err != nil {
		rel = absPath(o.model)
	}
	var b strings.Builder
	starterConfig(&b, m, filepath.ToSlash(rel), env.now())
	if err := env.writeFileAtomic(out, []byte(b.String()), o.force,
		staging.Input{Role: "the threat model", Path: o.model}); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "wrote %s: %d data assets, %d zones, %d mitigations to classify and map\n",
		out, len(m.DataAssets), len(m.Zones), len(m.Mitigations))
	return nil
}

func absPath(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

// starterConfig writes a configuration that parses as it is and whose
// overlay names every data asset, zone and mitigation of m, with comments
// saying what to fill in.
func starterConfig(w io.Writer, m *model.Model, modelPath string, now time.Time) {
	q := strconv.Quote
	fmt.Fprintf(w, "# auditpack project configuration, started from %s.\n", modelPath)
	fmt.Fprintln(w, "# Fill in the overlay: auditpack can only judge what it knows to be PAN,")
	fmt.Fprintln(w, "# which zone is the CDE, and which mitigation provides which capability")
	fmt.Fprintln(w, "# (see `auditpack rules list` and mappings/capabilities.yaml).")
	fmt.Fprintln(w, "schema: auditpack/config/v1")
	fmt.Fprintf(w, "organisation: %s   # your organisation's name\n", q("(set your organisation)"))
	fmt.Fprintf(w, "system: %s\n", q(m.Title))
	year := now.Year()
	fmt.Fprintf(w, "audit_period: {start: \"%d-01-01\", end: \"%d-12-31\"}   # the period under audit\n", year, year)
	fmt.Fprintln(w, "frameworks: [pci-dss, aicpa-tsc]")
	fmt.Fprintf(w, "model: %s\n", q(modelPath))
	fmt.Fprintln(w, "# evidence: evidence          # a bundle made with `auditpack evidence init evidence`")
	fmt.Fprintln(w, "# exceptions: exceptions.yaml")
	fmt.Fprintln(w, "overlay:")
	fmt.Fprintln(w, "  # classifications: pan, sad, pii, phi, credentials, confidential, financial, internal, public")
	fmt.Fprintln(w, "  data_assets:")
	if len(m.DataAssets) == 0 {
		fmt.Fprintln(w, "    []   # the model names no data assets; declare them in the model or on components")
	}
	for _, d := range m.DataAssets {
		fmt.Fprintf(w, "    - match: {id: %s}   # %s\n", q(d.ID), oneLine(d.Name))
		fmt.Fprintf(w, "      classifications: [%s]\n", strings.Join(d.Classifications, ", "))
	}
	fmt.Fprintln(w, "  # zone tags used by the rules: cde, public; trust: trusted, semi-trusted, untrusted, public")
	fmt.Fprintln(w, "  zones:")
	if len(m.Zones) == 0 {
		fmt.Fprintln(w, "    []")
	}
	for _, z := range m.Zones {
		fmt.Fprintf(w, "    - match: {id: %s}   # %s\n", q(z.ID), oneLine(z.Name))
		fmt.Fprintf(w, "      tags: [%s]\n", strings.Join(z.Tags, ", "))
		if z.Trust != "" {
			fmt.Fprintf(w, "      trust: %s\n", z.Trust)
		}
	}
	fmt.Fprintln(w, "  # provides: [{capability: encrypt-in-transit, params: {min_tls_version: \"1.2\", cert_validation: true}}]")
	fmt.Fprintln(w, "  # a match may also be a pattern over the text: {pattern: \"(?i)\\\\btls\\\\b\"}")
	fmt.Fprintln(w, "  mitigations:")
	if len(m.Mitigations) == 0 {
		fmt.Fprintln(w, "    []")
	}
	for _, mi := range m.Mitigations {
		fmt.Fprintf(w, "    - match: {id: %s}   # %s (%s)\n", q(mi.ID), oneLine(mi.Title), mi.Status)
		fmt.Fprintln(w, "      provides: []")
	}
}

var spaces = regexp.MustCompile(`\s+`)

func oneLine(s string) string {
	s = strings.TrimSpace(spaces.ReplaceAllString(strings.ToValidUTF8(s, "?"), " "))
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}

func (env *environment) evidenceInitCommand() *cli.Command {
	return &cli.Command{
		Name: "init", ArgsUsage: "DIR", Usage: "write a manifest skeleton for the files in DIR, with their hashes",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "force", Usage: "replace an existing manifest"}},
		Action: func(c *cli.Context) error {
			return env.runEvidenceInit(c.Context, evidenceInitOptions{dir: c.Args().First(), force: c.Bool("force")})
		},
	}
}

// evidenceInitOptions are evidence init's options.
type evidenceInitOptions struct {
	dir   string // the bundle, whose manifest.yaml is written
	force bool
}

// runEvidenceInit writes a manifest skeleton listing every file of a
// bundle with its hash.
func (env *environment) runEvidenceInit(_ context.Context, o evidenceInitOptions) error {
	dir := o.dir
	fsys, _, err := proj.DiskFiles{Base: "."}.Dir(dir)
	if err != nil {
		return err
	}
	var b strings.Builder
	n, err := manifestSkeleton(&b, fsys)
	if err != nil {
		return err
	}
	if err := env.writeFileAtomic(filepath.Join(dir, "manifest.yaml"), []byte(b.String()), o.force); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "wrote %s with %d items: set each item's kind, collected_at and supports\n", filepath.Join(dir, "manifest.yaml"), n)
	return nil
}

// manifestSkeleton lists every regular file of a bundle as one item with
// its SHA-256. What an item supports cannot be guessed, so supports is left
// empty and the manifest fails validation until the user states it.
func manifestSkeleton(w io.Writer, fsys fs.FS) (int, error) {
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && !slices.Contains(evidence.ManifestNames, p) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return 0, &inputError{err}
	}
	slices.Sort(files)
	fmt.Fprintln(w, "# Evidence manifest. For every item set kind, the kind the item is (a rule takes an")
	fmt.Fprintln(w, "# item only as its kind; scan-result and test-result are generic and specific rules")
	fmt.Fprintln(w, "# refuse them):")
	writeKinds(w)
	fmt.Fprintln(w, "# collected_at, and what it supports: {mitigation: ID}, {element: ID, capability: CAP},")
	fmt.Fprintln(w, "# {control: \"pci-dss@4.0.1:4.2.1\"}, {rule: RULE} or {exception: ID}.")
	fmt.Fprintln(w, "schema: auditpack/evidence/v1")
	fmt.Fprintln(w, "items:")
	for i, p := range files {
		f, err := fsys.Open(p)
		if err != nil {
			return 0, &inputError{err}
		}
		fi, _ := f.Stat()
		sum, read, rerr := hashAndRead(f)
		f.Close()
		if rerr != nil {
			return 0, &inputError{fmt.Errorf("%s: %w", p, rerr)}
		}
		fmt.Fprintf(w, "  - id: EV-%03d\n    title: %s\n", i+1, strconv.Quote(p))
		skeletonItem(w, fi.ModTime(), read)
		fmt.Fprintf(w, "    files: [{path: %s, sha256: %s}]\n", strconv.Quote(p), sum)
		fmt.Fprintln(w, "    supports: []")
	}
	return len(files), nil
}

// hashAndRead hashes a file and, in the same pass, reads its facts.
// read.err is set, and read.read nil, for a file of a known format that
// does not parse: init proposes nothing from it but still lists it.
func hashAndRead(f io.Reader) (string, fileFacts, error) {
	h := sha256.New()
	tee := io.TeeReader(f, h)
	read, err := facts.ReadAll(tee)
	var fe *facts.Error
	out := fileFacts{read: read}
	if errors.As(err, &fe) {
		out = fileFacts{err: err}
	} else if err != nil {
		return "", out, err
	}
	// A parser may stop before the end; the hash covers the whole file.
	if _, err := io.Copy(io.Discard, tee); err != nil {
		return "", out, err
	}
	return hex.EncodeToString(h.Sum(nil)), out, nil
}

// fileFacts is what a file was read as, for the skeleton.
type fileFacts struct {
	read *facts.Read
	err  error
}

// kindOf proposes the evidence kind of a file by the format it was read as.
// A vulnerability scanner's output may be of an image or of hosts: the
// proposal says which it assumed.
var kindOf = map[string]struct{ kind, note string }{
	"testssl-json-pretty": {"tls-scan", ""},
	"testssl-json":        {"tls-scan", ""},
	"sslyze-json":         {"tls-scan", ""},
	"nmap-xml":            {"network-scan", ""},
	"trivy-json":          {"container-scan", "; internal-vulnerability-scan if it scanned hosts, not images"},
	"grype-json":          {"container-scan", "; internal-vulnerability-scan if it scanned hosts, not images"},
	"prowler-ocsf-json":   {"posture-scan", ""},
	"sarif":               {"sast-scan", ""},
}

// manifestDate reports whether s is a collected_at the manifest takes: a
// date (YYYY-MM-DD) or an RFC 3339 time, with a four-digit year.
func manifestDate(s string) bool {
	_, err := evidence.ParseDate(s)
	return err == nil
}

// skeletonItem writes an item's kind and collected_at: proposed from what
// its file says where auditpack reads its format (the scan's own date,
// the kind its tool makes), else a document dated by the file's
// modification time. Facts read from the file are listed in a comment and
// never written as stated facts: the file states them.
func skeletonItem(w io.Writer, mod time.Time, ff fileFacts) {
	r := ff.read
	if ff.err != nil {
		fmt.Fprintf(w, "    # not readable as the evidence format it looks like: %s\n", comment(ff.err.Error()))
	}
	if r == nil {
		fmt.Fprintln(w, "    kind: document")
		fmt.Fprintf(w, "    collected_at: \"%s\"   # file modification date; set the real collection date\n", mod.UTC().Format(time.DateOnly))
		return
	}
	k, ok := kindOf[r.Format]
	if !ok {
		k.kind, k.note = "scan-result", ""
	}
	fmt.Fprintf(w, "    kind: %s   # proposed: the file is %s (%s)%s\n", k.kind, comment(r.Format), comment(r.Tool), k.note)
	// The file's date is proposed only where the manifest takes it as a
	// date; anything else would make the skeleton fail to load.
	d, ok := r.Fact("scan.date")
	s, isString := d.Value.(string)
	switch {
	case !ok:
		fmt.Fprintf(w, "    collected_at: \"%s\"   # the file gives no scan date: file modification date; set the real one\n", mod.UTC().Format(time.DateOnly))
	case !isString || !manifestDate(s):
		fmt.Fprintf(w, "    collected_at: \"%s\"   # the file's date at %s is no date a manifest takes: file modification date; set the real one\n", mod.UTC().Format(time.DateOnly), comment(d.At))
	default:
		fmt.Fprintf(w, "    collected_at: %s   # read from the file at %s\n", strconv.Quote(s), comment(d.At))
	}
	if len(r.Facts) > 0 {
		names := make([]string, len(r.Facts))
		for i, f := range r.Facts {
			names[i] = f.Name
		}
		fmt.Fprintf(w, "    # facts read from the file, not to be stated here: %s\n", oneLineList(names))
	}
	if len(r.Covered) > 0 {
		names := make([]string, len(r.Covered))
		for i, t := range r.Covered {
			names[i] = t.Name
		}
		fmt.Fprintf(w, "    # it covers %s: name these in the overlay's components (hosts, resources) so that it supports them\n", oneLineList(names))
	}
}

// oneLineList joins names for a comment, shortening a long list.
func oneLineList(names []string) string {
	const most = 12
	more := ""
	if len(names) > most {
		names, more = names[:most], fmt.Sprintf(" and %d more", len(names)-most)
	}
	return comment(strings.Join(names, ", ")) + more
}

// comment is text from a file made safe for a YAML comment: one line, and
// no character a YAML parser refuses (those are shown escaped).
func comment(s string) string {
	return printable.String(strings.TrimSpace(spaces.ReplaceAllString(strings.ToValidUTF8(s, "?"), " ")))
}

// writeKinds lists the evidence kinds as comment lines of the manifest.
func writeKinds(w io.Writer) {
	line := "#  "
	for _, k := range mappings.EvidenceKindIDs() {
		if len(line)+len(k)+2 > 90 {
			fmt.Fprintln(w, line)
			line = "#  "
		}
		line += " " + k + ","
	}
	fmt.Fprintln(w, strings.TrimSuffix(line, ","))
	fmt.Fprintln(w, "# and set")
}
