package packager

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"github.com/auditpack/auditpack/reports/procedure"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/auditpack/auditpack/reports/signature"
)

// File is a package file held in memory: the files Build writes itself
// (the signed report, inputs as read, VERIFY.txt, manifest.json,
// SHA256SUMS and its signature), never a rendered artefact.
type File struct {
	Path string
	Data []byte
}

// Input is an input file exactly as read: its role (config, model, rules,
// exceptions, evidence-manifest), the name the user gave, and its bytes.
//
// An input too large to hold has no Data but its SHA256 (lower-case hex)
// and Size: [Build] lists it and the caller copies it, by streaming, to
// the path [Package.InputPaths] gives.
type Input struct {
	Role   string
	Source string
	Data   []byte
	SHA256 string
	Size   int64
}

// External is a file the caller writes into the package itself, typically
// a large evidence file copied by streaming; [Build] only lists it.
type External struct {
	Path   string // package path, under evidence/
	SHA256 string // lower-case hex
	Size   int64
}

// BuildOptions is everything a package is made of. Nothing is read from
// the clock or the disk: the caller supplies bytes, hashes and times.
type BuildOptions struct {
	Tool       Tool
	Project    Project
	AsOf       time.Time // the as-of date of the results
	Frameworks []Versioned
	RuleSets   []Versioned
	// Demo marks a package signed with a throwaway key (manifest and VERIFY.txt).
	Demo bool
	// Streamed are the rendered files other than the PDF (results.json,
	// workbook.xlsx, ...), at the package root or in a folder of their own,
	// which the caller wrote into the package itself through
	// [Artefact.Stream]; Build checks their names and lists them with the
	// hashes and sizes of the bytes written.
	Streamed []Streamed
	// Report is the unsigned PDF report, signed here in place; nil when the
	// package has no PDF report.
	Report []byte
	Inputs []Input
	// Evidence lists the evidence files the caller copies under evidence/;
	// EmbedEvidence says the package carries the bundle at all.
	Evidence      []External
	EmbedEvidence bool
	// Signer signs SHA256SUMS and the report.
	Signer *signature.Signer
	// SigningTime is the claimed signing time: when the package is signed,
	// read from the clock by the caller, never the as-of date (a quarter is
	// often assessed after it ends, and a signature dated then would claim
	// a time it was not made at). It is required, and must lie within the
	// signer certificate's validity, or the package could never verify.
	SigningTime time.Time
	// Rand feeds ECDSA signatures; nil means crypto/rand.
	Rand io.Reader
}

// Package is a built package: the files to write (sorted by path) plus the
// external files the caller writes, and the parsed manifest.
type Package struct {
	Files    []File
	External []External
	Manifest *Manifest
	// InputPaths are the package paths of the inputs, in their order.
	InputPaths []string
}

// Build assembles a package: it signs the report in place, names the
// inputs, writes VERIFY.txt and manifest.json, lists every file in
// SHA256SUMS and signs it. Problems with what the caller passed are
// [*BuildError]s.
func Build(opts BuildOptions) (*Package, error) {
	s := opts.Signer
	if s == nil || s.Leaf == nil {
		return nil, buildErrorf("no signer")
	}
	if opts.AsOf.IsZero() {
		return nil, buildErrorf("no as-of date")
	}
	if opts.SigningTime.IsZero() {
		return nil, buildErrorf("no signing time")
	}
	st := opts.SigningTime.UTC().Truncate(time.Second)
	if st.Before(s.Leaf.NotBefore) || st.After(s.Leaf.NotAfter) {
		return nil, buildErrorf("signing time %s is outside the validity of certificate %q (%s to %s)",
			st.Format(time.RFC3339), s.Leaf.Subject.String(), s.Leaf.NotBefore.Format(time.RFC3339), s.Leaf.NotAfter.Format(time.RFC3339))
	}
	fp := signature.CertFingerprint(s.Leaf)
	m := &Manifest{
		SchemaVersion: SchemaVersion, Tool: opts.Tool, Demo: opts.Demo, Project: opts.Project,
		AsOf: opts.AsOf.UTC().Format(time.DateOnly), SigningTime: st.Format(time.RFC3339),
		Frameworks: nonNil(opts.Frameworks), RuleSets: nonNil(opts.RuleSets),
		Signer: SignerInfo{CertificateSHA256: hex.EncodeToString(fp), Subject: s.Leaf.Subject.String(),
			Issuer: s.Leaf.Issuer.String(), SelfSigned: procedure.SelfSigned(s.Leaf)},
		Evidence: EvidenceInfo{Embedded: opts.EmbedEvidence, Files: len(opts.Evidence)},
		Inputs:   []InputEntry{}, Files: []FileEntry{},
	}
	b := &builder{taken: map[string]string{}}
	for _, a := range opts.Streamed {
		if reserved(a.Path) || underDir(a.Path, InputsDir) || underDir(a.Path, EvidenceDir) {
			return nil, buildErrorf("artefact name %q is reserved for the package itself", a.Path)
		}
		if len(a.SHA256) != 64 || !isLowerHex(a.SHA256) || a.Size < 0 {
			return nil, buildErrorf("artefact %q needs a SHA-256 and a size", a.Path)
		}
		if err := b.claim(a.Path); err != nil {
			return nil, err
		}
		b.entries = append(b.entries, FileEntry{Path: a.Path, SHA256: a.SHA256, Size: a.Size, MediaType: mediaType(a.Path)})
	}
	if opts.Report != nil {
		signed, err := signature.SignPDF(opts.Report, s, signature.PDFOptions{SigningTime: st, Rand: opts.Rand,
			Reason: reportReason(opts), Name: s.Leaf.Subject.CommonName})
		if err != nil {
			return nil, buildErrorf("sign %s: %v", ReportName, err)
		}
		sum := sha256.Sum256(opts.Report)
		m.Report = &ReportInfo{Path: ReportName, Signature: reportSignature,
			UnsignedSHA256: hex.EncodeToString(sum[:]), UnsignedLength: int64(len(opts.Report))}
		if err := b.add(ReportName, signed); err != nil {
			return nil, err
		}
	}
	inputNames := map[string]bool{}
	var inputPaths []string
	for _, in := range opts.Inputs {
		p := InputPath(in.Role, in.Source, inputNames)
		inputPaths = append(inputPaths, p)
		if in.Data == nil && in.SHA256 != "" {
			if len(in.SHA256) != 64 || !isLowerHex(in.SHA256) || in.Size < 0 {
				return nil, buildErrorf("input %q must have a SHA-256", p)
			}
			if err := b.claim(p); err != nil {
				return nil, err
			}
			b.entries = append(b.entries, FileEntry{Path: p, SHA256: in.SHA256, Size: in.Size, MediaType: mediaType(p)})
			m.Inputs = append(m.Inputs, InputEntry{Role: in.Role, Source: in.Source, Path: p, SHA256: in.SHA256, Size: in.Size})
			continue
		}
		if err := b.add(p, in.Data); err != nil {
			return nil, err
		}
		sum := sha256.Sum256(in.Data)
		m.Inputs = append(m.Inputs, InputEntry{Role: in.Role, Source: in.Source, Path: p,
			SHA256: hex.EncodeToString(sum[:]), Size: int64(len(in.Data))})
	}
	if len(opts.Evidence) > 0 && !opts.EmbedEvidence {
		return nil, buildErrorf("evidence files given but EmbedEvidence is false")
	}
	for _, e := range opts.Evidence {
		if !underDir(e.Path, EvidenceDir) || len(e.SHA256) != 64 || !isLowerHex(e.SHA256) || e.Size < 0 {
			return nil, buildErrorf("evidence file %q must be under %s/ with a SHA-256", e.Path, EvidenceDir)
		}
		if err := b.claim(e.Path); err != nil {
			return nil, err
		}
		b.entries = append(b.entries, FileEntry{Path: e.Path, SHA256: e.SHA256, Size: e.Size, MediaType: mediaType(e.Path)})
	}
	if err := b.add(VerifyName, verifyText(m)); err != nil {
		return nil, err
	}
	slices.SortFunc(b.entries, func(x, y FileEntry) int { return strings.Compare(x.Path, y.Path) })
	m.Files = b.entries
	mj, err := m.Encode()
	if err != nil {
		return nil, err
	}
	sums := make([]SumEntry, 0, len(m.Files)+1)
	for _, f := range m.Files {
		sums = append(sums, SumEntry{Path: f.Path, SHA256: f.SHA256})
	}
	mSum := sha256.Sum256(mj)
	sums = append(sums, SumEntry{Path: ManifestName, SHA256: hex.EncodeToString(mSum[:])})
	slices.SortFunc(sums, func(x, y SumEntry) int { return strings.Compare(x.Path, y.Path) })
	sumsData := FormatSums(sums)
	p7s, err := signature.SignDetached(bytes.NewReader(sumsData), s, signature.CMSOptions{SigningTime: st, Rand: opts.Rand})
	if err != nil {
		return nil, buildErrorf("sign %s: %v", SumsName, err)
	}
	files := append(b.files, File{ManifestName, mj}, File{SumsName, sumsData}, File{SignatureName, p7s})
	slices.SortFunc(files, func(x, y File) int { return strings.Compare(x.Path, y.Path) })
	return &Package{Files: files, External: slices.Clone(opts.Evidence), Manifest: m, InputPaths: inputPaths}, nil
}

// builder collects files and refuses unsafe or clashing names, including
// names that differ only in case, which collide on macOS and Windows.
type builder struct {
	files   []File
	entries []FileEntry
	taken   map[string]string // lower-case name -> name
}

func (b *builder) claim(p string) error {
	if err := CheckName(p); err != nil {
		return buildErrorf("%v", err)
	}
	low := strings.ToLower(p)
	if prev, ok := b.taken[low]; ok {
		return buildErrorf("%q clashes with %q", p, prev)
	}
	// A file cannot also be a folder of another file.
	for dir := p; strings.Contains(dir, "/"); {
		dir = dir[:strings.LastIndex(dir, "/")]
		if prev, ok := b.taken[strings.ToLower(dir)]; ok {
			return buildErrorf("%q is inside %q, which is a file", p, prev)
		}
		b.taken[strings.ToLower(dir)+"/"] = dir
	}
	if _, ok := b.taken[low+"/"]; ok {
		return buildErrorf("%q is also a folder", p)
	}
	b.taken[low] = p
	return nil
}

func (b *builder) add(p string, data []byte) error {
	if err := b.claim(p); err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	b.files = append(b.files, File{Path: p, Data: data})
	b.entries = append(b.entries, FileEntry{Path: p, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data)), MediaType: mediaType(p)})
	return nil
}

func underDir(p, dir string) bool { return strings.HasPrefix(p, dir+"/") || p == dir }

func nonNil(v []Versioned) []Versioned {
	if v == nil {
		return []Versioned{}
	}
	return slices.Clone(v)
}

// selfSigned reports whether c is its own issuer, in which case no CA can
// vouch for it and a verifier must pin its fingerprint.
func reportReason(opts BuildOptions) string {
	r := "Audit package"
	if opts.Project.Organisation != "" {
		r += " of " + opts.Project.Organisation
	}
	r += ", as of " + opts.AsOf.UTC().Format(time.DateOnly)
	if opts.Demo {
		r = "DEMO signature with a throwaway key. " + r
	}
	return r
}
