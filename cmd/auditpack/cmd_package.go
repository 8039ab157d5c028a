package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/auditpack/auditpack/reports/procedure"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/auditpack/auditpack/audit"
	"github.com/auditpack/auditpack/audit/diff"
	"github.com/auditpack/auditpack/audit/printable"
	"github.com/auditpack/auditpack/audit/resultsfile"
	"github.com/auditpack/auditpack/cmd/auditpack/internal/staging"
	"github.com/auditpack/auditpack/reports/diagram"
	"github.com/auditpack/auditpack/reports/oscal"
	"github.com/auditpack/auditpack/reports/packager"
	"github.com/auditpack/auditpack/reports/pdf"
	"github.com/auditpack/auditpack/reports/requests"
	"github.com/auditpack/auditpack/reports/signature"
	"github.com/auditpack/auditpack/reports/view"
	"github.com/auditpack/auditpack/reports/xlsx"
	"github.com/urfave/cli/v2"
)

// artefactRenderer renders one file of the package from the results. It is
// the seam through which report renderers join the package: the PDF report
// (named packager.ReportName) is signed in place by the package builder, every
// other artefact is streamed into the staged package, hashed as written,
// and listed in manifest.json and SHA256SUMS. A renderer must be
// deterministic: the same results and options, the same bytes.
type artefactRenderer struct {
	name   string
	render func(w io.Writer, res *audit.Results, opts renderOptions) error
	// early marks a renderer that needs nothing of renderOptions but the
	// results: it starts while results.json is written for the package id.
	early bool
}

// renderOptions are what renderers may depend on besides the results.
type renderOptions struct {
	// View is what every output shows, decided once for all of them.
	View *view.View
	// Demo asks the report to say, prominently, that the package is signed
	// with a throwaway demo key.
	Demo bool
	// AsOf fixes every date a renderer writes into document metadata.
	AsOf time.Time
	// Version is auditpack's version, for "produced by" lines.
	Version string
	// PackageID names the package in every artefact; it is derived from
	// the results, so equal results give equal ids.
	PackageID string
	// Signer describes the signing certificate (subject and fingerprint);
	// Verification is what the report's verification procedure needs of it.
	Signer       string
	Verification procedure.Signer
	// SigningTime is when the package is signed, for the report's cover,
	// which is drawn before signing.
	SigningTime time.Time
	// Changes are what changed since the previous package (build
	// --previous), nil without one; PreviousID names that package.
	Changes    *diff.Changes
	PreviousID string
}

// renderers are the artefacts every package carries, in order: the results,
// the PDF report (signed in place by the package builder), the workbook and
// the OSCAL assessment results, all rendered from the same results.
var renderers = []artefactRenderer{
	{name: resultsName, early: true, render: func(w io.Writer, res *audit.Results, _ renderOptions) error {
		return resultsfile.EncodeTo(w, res)
	}},
	{name: packager.ReportName, render: func(w io.Writer, res *audit.Results, o renderOptions) error {
		return pdf.Render(w, res, pdf.Options{PackageID: o.PackageID, Signer: o.Signer, DemoSignature: o.Demo,
			Changes: o.Changes, PreviousPackageID: o.PreviousID, View: o.View, SigningTime: o.SigningTime,
			Verification: o.Verification})
	}},
	{name: "workbook.xlsx", render: func(w io.Writer, res *audit.Results, o renderOptions) error {
		return xlsx.Render(w, res, xlsx.Options{PackageID: o.PackageID, Signer: o.Signer, Demo: o.Demo,
			Changes: o.Changes, PreviousPackageID: o.PreviousID, View: o.View})
	}},
	{name: "oscal/assessment-results.json", early: true, render: func(w io.Writer, res *audit.Results, o renderOptions) error {
		return oscal.RenderView(w, res, o.View)
	}},
	{name: "requests.csv", early: true, render: func(w io.Writer, res *audit.Results, _ renderOptions) error {
		return requests.WriteCSV(w, res.Requests)
	}},
	{name: diagram.SVGName, early: true, render: func(w io.Writer, res *audit.Results, _ renderOptions) error {
		return diagram.RenderSVG(w, res)
	}},
}

// resultsID is the package id of results.json as written; a previous
// package's id is computed from its file as read, so it is the id that
// package's own report shows.
func resultsID(data []byte) string {
	sum := sha256.Sum256(data)
	return sumID(hex.EncodeToString(sum[:]))
}

// sumID is the package id of a results.json whose SHA-256 is sum (hex):
// "AP-" and its first twelve hex digits.
func sumID(sum string) string { return "AP-" + strings.ToUpper(sum[:12]) }

// signedBy sets what the artefacts say of their signer: its description,
// what the verification procedure needs of it, and the signing time. build
// takes them from the signing certificate and verify --rederive from the
// manifest, through this one place, so both render the same bytes.
func (ro *renderOptions) signedBy(subject string, fingerprint []byte, selfSigned bool, at time.Time) {
	ro.Signer = describeSigner(subject, hex.EncodeToString(fingerprint))
	ro.Verification = procedure.Signer{SelfSigned: selfSigned, Fingerprint: procedure.FormatFingerprint(fingerprint),
		Hex: hex.EncodeToString(fingerprint)}
	ro.SigningTime = at
}

// describeSigner names a signing certificate for people: its subject and
// the start of its SHA-256 fingerprint (hex).
func describeSigner(subject, fp string) string {
	return fmt.Sprintf("%s (SHA-256 %s…)", subject, fp[:16])
}

// packageFlags are the package options of demo and build.
func packageFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "zip", Usage: "also write the package as a deterministic OUT.zip beside the directory"},
		&cli.BoolFlag{Name: "embed-evidence", Usage: "copy the evidence files into the package, under evidence/"},
		&cli.StringFlag{Name: "previous", Usage: "show what changed since this package `DIR`, package .zip or results.json in the report and workbook"},
	}
}

// packageOptions are how one package is written.
type packageOptions struct {
	out           string
	force, zip    bool
	embedEvidence bool
	demo          bool
	signer        *signerSource
	// signingTime is when the package is signed: the time of the command
	// line, never the as-of date.
	signingTime time.Time
	// previous names the package to compare with, empty for none; prev is
	// its results, read before evaluation so that a bad file costs nothing.
	previous string
	prev     *loadedResults
	// ctx stops the build between steps when cancelled; the staged output
	// is then removed. progress, when not nil, shows the steps.
	ctx      context.Context
	progress *progressBar
}

// inputs are the files and directories the build reads, which its output
// may never replace: the project's inputs, the signing files and the
// previous package.
func (o packageOptions) inputs(p *project) []staging.Input {
	in := slices.Clone(p.paths)
	if o.signer != nil {
		for _, f := range o.signer.files {
			in = append(in, staging.Input{Role: "a signing key or certificate file", Path: f})
		}
	}
	if o.previous != "" {
		in = append(in, staging.Input{Role: "the previous package (--previous)", Path: o.previous})
	}
	return in
}

// step ends one step of the build: it counts it on the progress bar and
// reports a cancellation, so the caller stops before the next one.
func (o packageOptions) step() error {
	if o.progress != nil {
		o.progress.Add(1, 0)
	}
	if o.ctx != nil {
		if err := o.ctx.Err(); err != nil {
			return fmt.Errorf("package not written: %w", err)
		}
	}
	return nil
}

// writePackage renders the artefacts, copies the evidence, builds and signs
// the package and writes it atomically.
func (env *environment) writePackage(p *project, res *audit.Results, o packageOptions) (err error) {
	if o.progress != nil {
		o.progress.Start(len(renderers)+3, 0)
		defer o.progress.Finish()
	}
	if err := o.step(); err != nil {
		return err
	}
	var ro renderOptions
	if o.prev != nil {
		ro.Changes, ro.PreviousID = diff.Compare(o.prev.results, res), o.prev.id()
		env.printComparison(ro.Changes, ro.PreviousID)
	}
	zipPath := ""
	if o.zip {
		zipPath = filepath.Clean(o.out) + ".zip"
	}
	st, err := env.stageOutput(o.out, zipPath, o.force, o.demo, o.inputs(p))
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			st.Abort()
		}
	}()
	// results.json is streamed into the package first, for the id; the
	// early renderers, which need no id, run meanwhile.
	rs := newRenders(st.Dir)
	ro.View = view.Of(res)
	rs.start(res, renderOptions{View: ro.View}, o, func(r artefactRenderer) bool { return r.early })
	resultsAt := slices.IndexFunc(renderers, func(r artefactRenderer) bool { return r.name == resultsName })
	<-rs.done[resultsAt]
	if err := rs.errs[resultsAt]; err != nil {
		rs.wait()
		return err
	}
	ro.Demo, ro.AsOf, ro.Version = o.demo, p.Inputs.AsOf, version
	ro.SigningTime = o.signingTime
	if s := o.signer.signer; s != nil && s.Leaf != nil {
		ro.signedBy(s.Leaf.Subject.String(), signature.CertFingerprint(s.Leaf), procedure.SelfSigned(s.Leaf), o.signingTime)
	}
	ro.PackageID = sumID(rs.out[resultsAt].SHA256)
	// The others render one at a time (beside the early renderers still
	// at work): the PDF and the workbook each hold tens of megabytes of
	// their own while they render, on top of the results.
	for i, r := range renderers {
		if r.early {
			continue
		}
		rs.start(res, ro, o, func(x artefactRenderer) bool { return x.name == r.name })
		if <-rs.done[i]; rs.errs[i] != nil {
			break
		}
	}
	rendered, err := rs.wait()
	if err != nil {
		return err
	}
	var streamed []packager.Streamed
	for i, r := range renderers {
		if r.name != packager.ReportName {
			streamed = append(streamed, rendered[i])
		}
	}
	var evidence []packager.External
	if o.embedEvidence {
		if evidence, err = copyEvidence(p, st.Dir); err != nil {
			return err
		}
	}
	opts := packager.BuildOptions{
		Tool:          packager.Tool{Name: "auditpack", Version: version},
		Project:       packager.Project{Organisation: res.Project.Organisation, System: res.Project.System},
		AsOf:          p.Inputs.AsOf,
		Demo:          o.demo,
		Streamed:      streamed,
		Report:        rs.report,
		Evidence:      evidence,
		EmbedEvidence: o.embedEvidence,
		Signer:        o.signer.signer,
		SigningTime:   o.signingTime,
	}
	for _, f := range res.Frameworks {
		opts.Frameworks = append(opts.Frameworks, packager.Versioned{ID: f.ID, Version: f.Version})
	}
	for _, r := range res.RuleSets {
		opts.RuleSets = append(opts.RuleSets, packager.Versioned{ID: r.ID, Version: r.Version})
	}
	for _, s := range p.Sources {
		opts.Inputs = append(opts.Inputs, packager.Input{Role: s.Role, Source: s.Name, Data: s.Data})
	}
	if o.prev != nil {
		// The changes chapter rests on these results: keep them, so that
		// auditpack diff can check it from the package alone.
		opts.Inputs = append(opts.Inputs, packager.Input{Role: previousRole, Source: p.recordName(o.prev.name), SHA256: o.prev.sha256, Size: o.prev.size})
	}
	if err := o.step(); err != nil {
		return err
	}
	pkg, err := packager.Build(opts)
	if err != nil {
		return err
	}
	files := map[string][]byte{}
	for _, f := range pkg.Files {
		files[f.Path] = f.Data
	}
	if err := writeFiles(st.Dir, files); err != nil {
		return err
	}
	if o.prev != nil {
		if err := copyPrevious(st.Dir, pkg.InputPaths[len(opts.Inputs)-1], o.prev); err != nil {
			return err
		}
	}
	if o.zip {
		if err := writeZip(st.Zip, st.Dir); err != nil {
			return err
		}
	}
	if err := o.step(); err != nil {
		return err
	}
	if env.beforeCommit != nil {
		env.beforeCommit()
	}
	if err := st.Commit(); err != nil {
		return err
	}
	m := pkg.Manifest
	fmt.Fprintf(env.stdout, "\nwrote %s: %d files, signed by %s\n", printable.String(o.out), len(m.Files)+3, printable.String(m.Signer.Subject))
	fmt.Fprintf(env.stdout, "signer certificate SHA-256: %s\n", m.Signer.CertificateSHA256)
	if m.Report == nil {
		fmt.Fprintln(env.stdout, "no PDF report in this build: the package carries results.json")
	}
	if o.zip {
		fmt.Fprintf(env.stdout, "wrote %s\n", zipPath)
	} else if old := filepath.Clean(o.out) + ".zip"; fileExists(old) {
		warnf(env.stderr, "%s is left from an earlier build and is not this package (add --zip to replace it)", old)
	}
	if o.demo {
		warnf(env.stderr, "the package is signed with a throwaway demo key; it is not evidence")
	}
	return nil
}

// previousRole is the input role of the previous package's results.
const previousRole = "previous-results"

// printComparison says what the package is compared with, and warns when
// the previous results are of another system: the changes are then mostly
// noise, though the package is still correct.
func (env *environment) printComparison(c *diff.Changes, id string) {
	fmt.Fprintf(env.stdout, "\ncompared with %s as of %s: %d regression(s), %d improvement(s); %d scope, %d evidence, %d exception, %d version change(s)\n",
		id, c.Old.AsOf, c.Summary.Regressions, c.Summary.Improvements, c.Summary.Scope, c.Summary.Evidence, c.Summary.Exceptions, c.Summary.Versions)
	if c.Old.Organisation != c.New.Organisation || c.Old.System != c.New.System {
		warnf(env.stderr, "--previous: that package is of %s, %s; this one is of %s, %s", c.Old.Organisation, c.Old.System,
			c.New.Organisation, c.New.System)
	}
}

// renders are artefacts being rendered concurrently, each streamed into its
// own file of the staged package dir, but for the PDF report, which is held
// (a few megabytes) for the package builder to sign in place. Renderers can
// be started in several rounds and waited for once.
type renders struct {
	dir    string
	wg     sync.WaitGroup
	out    []packager.Streamed
	report []byte
	errs   []error
	done   []chan struct{} // closed when the renderer's out and errs are set
}

func newRenders(dir string) *renders {
	rs := &renders{dir: dir, out: make([]packager.Streamed, len(renderers)), errs: make([]error, len(renderers)),
		done: make([]chan struct{}, len(renderers))}
	for i := range rs.done {
		rs.done[i] = make(chan struct{})
	}
	return rs
}

// start renders, each on its own goroutine, the renderers that pick selects.
func (rs *renders) start(res *audit.Results, ro renderOptions, o packageOptions, pick func(artefactRenderer) bool) {
	for i, r := range renderers {
		if !pick(r) {
			continue
		}
		rs.wg.Add(1)
		go func() {
			defer rs.wg.Done()
			defer close(rs.done[i])
			a := packager.Artefact{Path: r.name, Write: func(w io.Writer) error { return r.render(w, res, ro) }}
			var err error
			if r.name == packager.ReportName {
				var buf bytes.Buffer
				err = a.Write(&buf)
				rs.report = buf.Bytes()
			} else {
				rs.out[i], err = streamArtefact(rs.dir, a)
			}
			if err != nil {
				rs.errs[i] = fmt.Errorf("render %s: %w", r.name, err)
				return
			}
			rs.errs[i] = o.step()
		}()
	}
}

// wait returns every streamed artefact, in the renderers' order, once all
// started renders have ended, with all their errors.
func (rs *renders) wait() ([]packager.Streamed, error) {
	rs.wg.Wait()
	return rs.out, errors.Join(rs.errs...)
}

// streamArtefact writes a into a new file of dir, through a buffer, hashing
// as it writes.
func streamArtefact(dir string, a packager.Artefact) (packager.Streamed, error) {
	if err := packager.CheckName(a.Path); err != nil {
		return packager.Streamed{}, err
	}
	dst := filepath.Join(dir, filepath.FromSlash(a.Path))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return packager.Streamed{}, err
	}
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return packager.Streamed{}, err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	st, err := a.Stream(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return st, err
}

// copyEvidence copies every evidence file that verified, and the evidence
// manifest, under evidence/ in dir, hashing as it streams. A file that no
// longer matches the hash verified moments ago means the bundle is being
// changed underneath us: that is an integrity failure, not a warning.
func copyEvidence(p *project, dir string) ([]packager.External, error) {
	x := p.Inputs.Evidence
	if x == nil || p.EvidenceFS == nil {
		return nil, &usageError{"--embed-evidence: the project has no evidence bundle"}
	}
	var out []packager.External
	for _, s := range p.Sources {
		if s.Role == "evidence-manifest" {
			name := packager.EvidenceDir + "/" + path.Base(filepath.ToSlash(s.Name))
			if err := writeFiles(dir, map[string][]byte{name: s.Data}); err != nil {
				return nil, err
			}
			sum := sha256.Sum256(s.Data)
			out = append(out, packager.External{Path: name, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(s.Data))})
		}
	}
	// Items may share a file (one scan serving two requirements): each
	// path is copied once. A path that verified for one item verified
	// against the same bytes for every other, so the first copy serves.
	copied := map[string]bool{}
	for _, it := range x.Items {
		for _, f := range it.Files {
			if !f.OK {
				continue // missing or damaged: results.json reports it; nothing to embed
			}
			if copied[f.Path] {
				continue
			}
			copied[f.Path] = true
			name := packager.EvidenceDir + "/" + f.Path
			if err := packager.CheckName(name); err != nil {
				return nil, &inputError{fmt.Errorf("--embed-evidence: evidence file %s cannot be embedded: %w", f.Path, err)}
			}
			sum, n, err := copyFile(p.EvidenceFS, f.Path, filepath.Join(dir, filepath.FromSlash(name)))
			if err != nil {
				return nil, &inputError{fmt.Errorf("--embed-evidence: %s: %w", f.Path, err)}
			}
			if sum != f.SHA256 {
				return nil, &integrityError{fmt.Sprintf("evidence file %s changed while the package was built (SHA-256 %s, verified %s)", f.Path, sum, f.SHA256)}
			}
			out = append(out, packager.External{Path: name, SHA256: sum, Size: n})
		}
	}
	return out, nil
}

// copyFile streams src from fsys to dst, returning its SHA-256 and size.
func copyFile(fsys fs.FS, src, dst string) (string, int64, error) {
	in, err := fsys.Open(src)
	if err != nil {
		return "", 0, err
	}
	defer in.Close()
	if fi, err := in.Stat(); err != nil || !fi.Mode().IsRegular() {
		return "", 0, fmt.Errorf("not a regular file")
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", 0, err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", 0, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return hex.EncodeToString(h.Sum(nil)), n, err
}

// writeZip writes the staged package directory as a deterministic zip.
func writeZip(dst, dir string) error {
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	err = packager.WriteZip(f, os.DirFS(dir))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func fileExists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}
