package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/config"
	"github.com/auditpack/auditpack/audit/diff"
	"github.com/auditpack/auditpack/audit/printable"
	proj "github.com/auditpack/auditpack/audit/project"
	"github.com/auditpack/auditpack/audit/resultsfile"
	"github.com/auditpack/auditpack/reports/packager"
	"github.com/auditpack/auditpack/reports/view"
	"github.com/auditpack/auditpack/reports/xlsx"
)

// workbookName is where a package keeps its workbook.
const workbookName = "workbook.xlsx"

// rederivation is one package evaluated again from the inputs it records.
type rederivation struct {
	fsys     fs.FS
	m        *packager.Manifest
	recorded *audit.Results
	derived  *audit.Results
	prev     *audit.Results // the previous results (build --previous), nil for none
	prevID   string
	mode     string // how the evidence was judged again, in words
	// configured are the frameworks the recorded configuration selects,
	// as "ref#baseline"; nil when they cannot be told.
	configured []string
}

// rederive runs the evaluation again from the inputs a verified package
// records, with the one pipeline of build (project load and audit.Run),
// and compares what it gives with what the package says: every (rule,
// element) verdict, every control verdict and every count of results.json,
// the counts on the workbook's Summary sheet, and, with the version of
// auditpack that built the package, every artefact to the byte. Any
// difference is an *integrityError (exit 3) listing them.
func (env *environment) rederive(ctx context.Context, target string) error {
	fsys, done, err := openPackage(target)
	if err != nil {
		return err
	}
	defer done()
	rd, err := env.rederivePackage(ctx, fsys)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "\nre-derived from the inputs the package records, with auditpack %s\n", version)
	fmt.Fprintf(env.stdout, "evidence: %s\n", rd.mode)
	var failed []string
	check := func(name string, problems []string, ok string) {
		if len(problems) == 0 {
			fmt.Fprintf(env.stdout, "ok      %-40s %s\n", name, ok)
			return
		}
		fmt.Fprintf(env.stdout, "FAILED  %-40s %d difference(s)\n", name, len(problems))
		for _, p := range problems {
			fmt.Fprintf(env.stdout, "        %s\n", printable.String(p))
		}
		failed = append(failed, name)
	}
	var verdicts []string
	for _, d := range audit.Disagreements(rd.recorded, rd.derived) {
		verdicts = append(verdicts, fmt.Sprintf("%s: %s says %s, the inputs give %s", d.What, resultsName, d.Recorded, d.Derived))
	}
	check("verdicts "+resultsName, verdicts, fmt.Sprintf("%d rule results, %d controls and every count agree",
		len(rd.derived.RuleResults), len(rd.derived.Controls)))
	v := view.Of(rd.derived)
	if slices.ContainsFunc(rd.m.Files, func(f packager.FileEntry) bool { return f.Path == workbookName }) {
		problems, err := workbookCounts(fsys, v)
		if err != nil {
			problems = append(problems, err.Error())
		}
		check("summary counts "+workbookName, problems, "the Summary sheet's counts agree")
	}
	for _, w := range rd.versionNotes() {
		warnf(env.stderr, "%s", w)
	}
	if rd.m.Tool.Version == version {
		problems, err := rd.artefacts(v)
		if err != nil {
			return err
		}
		check("artefacts", problems, "every artefact is the one the re-derived results render, to the byte")
	} else {
		fmt.Fprintf(env.stdout, "not compared: artefacts byte for byte (the package was built by auditpack %s)\n", printable.String(rd.m.Tool.Version))
	}
	if len(failed) > 0 {
		return &integrityError{fmt.Sprintf("re-derivation failed (%s): the package is not what its recorded inputs give", strings.Join(failed, "; "))}
	}
	fmt.Fprintln(env.stdout, "\nre-derived: the verdicts follow from the recorded inputs")
	return nil
}

// openPackage opens a package directory, through os.OpenRoot, or zip,
// through the checked archive reader, as a file system.
func openPackage(target string) (fs.FS, func(), error) {
	fi, err := os.Stat(target)
	if err != nil {
		return nil, nil, &inputError{fmt.Errorf("package: %w", err)}
	}
	if fi.IsDir() {
		root, err := os.OpenRoot(target)
		if err != nil {
			return nil, nil, &inputError{err}
		}
		return root.FS(), func() { root.Close() }, nil
	}
	z, f, err := packager.OpenZipFile(target)
	if err != nil {
		return nil, nil, &inputError{fmt.Errorf("%s: %w", target, err)}
	}
	return z, func() { f.Close() }, nil
}

// rederivePackage reads the package's manifest and results and evaluates
// its recorded inputs again.
func (env *environment) rederivePackage(ctx context.Context, fsys fs.FS) (*rederivation, error) {
	data, err := fs.ReadFile(fsys, packager.ManifestName)
	if err != nil {
		return nil, &inputError{fmt.Errorf("%s: %w", packager.ManifestName, err)}
	}
	m, err := packager.ParseManifest(data)
	if err != nil {
		return nil, &inputError{fmt.Errorf("%s: %w", packager.ManifestName, err)}
	}
	recorded, _, err := decodeFrom(fsys, resultsName, true)
	if err != nil {
		return nil, err
	}
	rd := &rederivation{fsys: fsys, m: m, recorded: recorded}
	rec, err := proj.RecordOf(recorded.Evidence)
	if err != nil {
		return nil, &integrityError{fmt.Sprintf("re-derive: %s: %v", resultsName, err)}
	}
	r := proj.Rederive{FS: fsys, Record: rec}
	for _, in := range m.Inputs {
		r.Inputs = append(r.Inputs, proj.PackageInput{Role: in.Role, Source: in.Source, Path: in.Path})
		if in.Role == "evidence-manifest" && !m.Evidence.Embedded {
			if r.Evidence, err = fs.Sub(fsys, path.Dir(in.Path)); err != nil {
				return nil, &inputError{err}
			}
		}
		if in.Role == previousRole {
			var sum string
			if rd.prev, sum, err = decodeFrom(fsys, in.Path, false); err != nil {
				return nil, err
			}
			rd.prevID = sumID(sum)
		}
	}
	switch {
	case m.Evidence.Embedded:
		if r.Evidence, err = fs.Sub(fsys, packager.EvidenceDir); err != nil {
			return nil, &inputError{err}
		}
		r.Reread = true
		rd.mode = fmt.Sprintf("re-read from the files embedded under %s/ (%d with the manifest); files that did not verify when the package "+
			"was built, and so were not embedded, keep the outcome %s records", packager.EvidenceDir, m.Evidence.Files, resultsName)
	case r.Evidence != nil:
		rd.mode = fmt.Sprintf("not embedded: judged again from the hashes and facts %s records for its files, which are not re-read", resultsName)
	default:
		rd.mode = "no evidence bundle"
	}
	o, err := r.Options()
	if err != nil {
		return nil, err
	}
	o.AsOf = m.AsOf
	for _, f := range recorded.Frameworks {
		name := f.ID + "@" + f.Version
		if f.Baseline != "" {
			name += "#" + f.Baseline
		}
		o.Frameworks = append(o.Frameworks, name)
	}
	p, err := env.load(ctx, true, o)
	if err != nil {
		return nil, fmt.Errorf("re-derive: %w", err)
	}
	rd.configured = configuredFrameworks(p, o)
	p.Inputs.Previous = rd.prev
	if rd.derived, err = p.Evaluate(); err != nil {
		return nil, fmt.Errorf("re-derive: %w", err)
	}
	return rd, nil
}

// configuredFrameworks names the frameworks the recorded configuration
// selects. The re-derivation evaluates those results.json records, since
// a --framework given at build time is in no file; where the two differ,
// it says so.
func configuredFrameworks(p *project, o proj.Options) []string {
	c, err := config.Parse(o.ConfigName, o.ConfigData)
	if err != nil {
		return nil
	}
	var out []string
	for _, name := range c.Frameworks {
		cat, err := p.Registry.Lookup(name)
		if err != nil {
			return nil
		}
		out = append(out, cat.Ref()+"#"+cat.BaselineID)
	}
	slices.Sort(out)
	return out
}

// decodeFrom reads a results.json of the package, whole or slimmed as
// build --previous reads it, with the SHA-256 of its bytes.
func decodeFrom(fsys fs.FS, name string, full bool) (*audit.Results, string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, "", &inputError{fmt.Errorf("%s: %w", name, err)}
	}
	defer f.Close()
	rd, err := resultsfile.Decode(name, f, resultsfile.MaxSize, full)
	if err != nil {
		return nil, "", err
	}
	return rd.Results, rd.SHA256, nil
}

// versionNotes says where the package was built by another auditpack or
// with other rule sets than this one has: verdicts may then differ for
// that reason alone.
func (rd *rederivation) versionNotes() []string {
	var out []string
	if v := rd.recorded.Tool.Version; v != version {
		out = append(out, fmt.Sprintf("re-derive: the package was built by auditpack %s, this is %s; a difference may come from the version", v, version))
	}
	var recorded []string
	for _, f := range rd.recorded.Frameworks {
		recorded = append(recorded, f.Ref+"#"+f.Baseline)
	}
	slices.Sort(recorded)
	if rd.configured != nil && !slices.Equal(recorded, rd.configured) {
		out = append(out, fmt.Sprintf("re-derive: the configuration selects %s, %s records %s (a --framework at build time?); "+
			"re-derived with those %s records", frameworkList(rd.configured), resultsName, frameworkList(recorded), resultsName))
	}
	for _, rs := range rd.recorded.RuleSets {
		i := slices.IndexFunc(rd.derived.RuleSets, func(x audit.RuleSetInfo) bool { return x.ID == rs.ID })
		switch {
		case i < 0:
			out = append(out, fmt.Sprintf("re-derive: rule set %s %s of the package is not loaded here", rs.ID, rs.Version))
		case rd.derived.RuleSets[i].Version != rs.Version:
			out = append(out, fmt.Sprintf("re-derive: rule set %s is version %s in the package, %s here", rs.ID, rs.Version, rd.derived.RuleSets[i].Version))
		}
	}
	return out
}

// workbookCounts compares the counts the workbook's Summary sheet shows
// with those of the re-derived results.
func workbookCounts(fsys fs.FS, v *view.View) ([]string, error) {
	f, err := fsys.Open(workbookName)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", workbookName, err)
	}
	defer f.Close()
	got, err := xlsx.ReadSummaryCounts(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", workbookName, err)
	}
	want := xlsx.SummaryCounts(v)
	cols := xlsx.CountColumns()
	var out []string
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			out = append(out, fmt.Sprintf("row %q: missing from the workbook", want[i].Label))
			continue
		case i >= len(want):
			out = append(out, fmt.Sprintf("row %q: not in the re-derived results", got[i].Label))
			continue
		case got[i].Label != want[i].Label:
			out = append(out, fmt.Sprintf("row %d: the workbook says %q, the inputs give %q", i+1, got[i].Label, want[i].Label))
			continue
		}
		for j, c := range cols {
			if got[i].Values[j] != want[i].Values[j] {
				out = append(out, fmt.Sprintf("%s %s: the workbook says %d, the inputs give %d", want[i].Label, c, got[i].Values[j], want[i].Values[j]))
			}
		}
	}
	return out, nil
}

// artefacts renders every artefact of the package again from the
// re-derived results, as build renders them, and compares each with the
// package's file (the report before it was signed) by SHA-256.
func (rd *rederivation) artefacts(v *view.View) ([]string, error) {
	m := rd.m
	var buf bytes.Buffer
	if err := resultsfile.EncodeTo(&buf, rd.derived); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(buf.Bytes())
	asOf, err := time.Parse(time.DateOnly, m.AsOf)
	if err != nil {
		return nil, &inputError{fmt.Errorf("%s: as_of: %w", packager.ManifestName, err)}
	}
	signedAt, err := time.Parse(time.RFC3339, m.SigningTime)
	if err != nil {
		return nil, &inputError{fmt.Errorf("%s: signing_time: %w", packager.ManifestName, err)}
	}
	fingerprint, err := hex.DecodeString(m.Signer.CertificateSHA256)
	if err != nil {
		return nil, &inputError{fmt.Errorf("%s: signer.certificate_sha256: %w", packager.ManifestName, err)}
	}
	ro := renderOptions{View: v, Demo: m.Demo, AsOf: asOf, Version: version, PackageID: sumID(hex.EncodeToString(sum[:]))}
	ro.signedBy(m.Signer.Subject, fingerprint, m.Signer.SelfSigned, signedAt)
	if rd.prev != nil {
		ro.Changes, ro.PreviousID = diff.Compare(rd.prev, rd.derived), rd.prevID
	}
	var out []string
	for _, r := range renderers {
		want, listed := "", false
		if r.name == packager.ReportName {
			if m.Report != nil {
				want, listed = m.Report.UnsignedSHA256, true
			}
		} else if i := slices.IndexFunc(m.Files, func(f packager.FileEntry) bool { return f.Path == r.name }); i >= 0 {
			want, listed = m.Files[i].SHA256, true
		}
		if !listed {
			continue
		}
		h := sha256.New()
		if err := r.render(h, rd.derived, ro); err != nil {
			return nil, fmt.Errorf("re-derive: render %s: %w", r.name, err)
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != want {
			what := r.name
			if r.name == packager.ReportName {
				what += " (unsigned)"
			}
			out = append(out, fmt.Sprintf("%s: not the file the re-derived results render (SHA-256 %s, rendered %s)", what, want[:16], got[:16]))
		}
	}
	return out, nil
}

// frameworkList names "ref#baseline" frameworks for people.
func frameworkList(refs []string) string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = strings.TrimSuffix(r, "#")
	}
	return strings.Join(out, ", ")
}
