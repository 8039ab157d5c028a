package packager

import (
	"archive/zip"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/auditpack/auditpack/audit/workers"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit/archive"
)

// VerifyOptions is the trust decision for [Verify]. A package is only as
// trustworthy as the key that signed it, and the package names that key
// itself, so the caller must say what to trust:
//
//   - Roots: the signer certificate must chain to one of these anchors at the
//     claimed signing time (--ca). Pin may be given as well.
//   - Pin alone: the signer certificate's SHA-256 must equal it (for a
//     self-signed key, --signer-fingerprint).
//   - Neither: every integrity check still runs, with the fingerprint that
//     manifest.json claims, but the result is "UNTRUSTED: no anchor" and
//     verification fails, unless AcceptUnanchored is set, in which case the
//     check passes and the report says so ([TrustNone]).
type VerifyOptions struct {
	Roots            *x509.CertPool
	Pin              []byte
	AcceptUnanchored bool
}

// Trust says on what grounds the signer was accepted.
type Trust string

// The trust outcomes of a verification.
const (
	TrustAnchor Trust = "anchor"     // chains to a given CA (and matches the pin, if any)
	TrustPinned Trust = "pinned"     // matches the given fingerprint
	TrustNone   Trust = "no-anchor"  // only consistent with the package's own claim
	TrustFailed Trust = "not-proven" // signature or trust check failed
)

// Check is one line of a verification report.
type Check struct {
	Name   string
	File   string
	OK     bool
	Detail string
}

// Report is the outcome of [Verify]: every check in order, every failure,
// and what was learnt about the package.
type Report struct {
	Checks   []Check
	Failures []Failure
	Manifest *Manifest // nil if manifest.json is missing or unreadable
	Signer   *x509.Certificate
	Trust    Trust
	Files    int // regular files in the package
}

// Limits on files the verifier reads whole.
const (
	maxSignatureSize = 1 << 20
	maxReportSize    = 512 << 20
)

// Verify checks a package directory read through fsys (open it with
// os.OpenRoot so symlinks cannot escape). A zip must be checked from its
// bytes with [VerifyZip]: an fs.FS view of a zip shows only its central
// directory. Verify returns a report and, when anything fails, a
// [*VerifyError] listing every failure. Files are hashed on several
// goroutines at once, so fsys must allow that (os.Root's does).
func Verify(fsys fs.FS, opts VerifyOptions) (*Report, error) {
	v := newVerifier(fsys, opts)
	if _, ok := fsys.(*zip.Reader); ok {
		v.fail("", ErrZip, "a zip must be verified from its bytes (VerifyZip), not through archive/zip")
		return v.rep, &VerifyError{Failures: v.rep.Failures}
	}
	return v.run()
}

// VerifyZip checks a package zip of size bytes: first the archive itself
// ([OpenZip]: every local header against the central directory, nothing
// hidden before, between or after the entries, safe and unique names),
// then everything [Verify] checks, reading each file through the checked
// archive, which proves its CRC-32 and size as it goes.
func VerifyZip(r io.ReaderAt, size int64, opts VerifyOptions) (*Report, error) {
	v := newVerifier(nil, opts)
	v.step("zip structure", "", func() string {
		z, err := OpenZip(r, size)
		if err != nil {
			v.rep.Failures = append(v.rep.Failures, zipFailures(err)...)
			return ""
		}
		v.fsys = z
		return fmt.Sprintf("%d entries; local headers agree with the central directory; nothing before, between or after them", len(z.Entries()))
	})
	if len(v.rep.Failures) > 0 {
		return v.rep, &VerifyError{Failures: v.rep.Failures}
	}
	return v.run()
}

func newVerifier(fsys fs.FS, opts VerifyOptions) *verifier {
	return &verifier{fsys: fsys, opts: opts, rep: &Report{Trust: TrustFailed}, present: map[string]bool{}}
}

// run performs every check after the zip structure.
func (v *verifier) run() (*Report, error) {
	v.step("layout", "", v.layout)
	var sums []SumEntry
	var sumsData []byte
	v.step("list of files", SumsName, func() string {
		sumsData = v.readWhole(SumsName, maxSumsSize)
		if sumsData == nil {
			return ""
		}
		var err error
		if sums, err = ParseSums(sumsData); err != nil {
			v.fail(SumsName, ErrMalformed, "%v", err)
			return ""
		}
		return fmt.Sprintf("%d files listed", len(sums))
	})
	v.step("manifest", ManifestName, func() string {
		data := v.readWhole(ManifestName, maxSumsSize)
		if data == nil {
			return ""
		}
		m, err := ParseManifest(data)
		if err != nil {
			v.fail(ManifestName, ErrMalformed, "%v", err)
			return ""
		}
		v.rep.Manifest = m
		return fmt.Sprintf("%s, tool %s %s, as of %s", m.SchemaVersion, m.Tool.Name, m.Tool.Version, m.AsOf)
	})
	if sums != nil {
		v.checkDigests(sums)
	}
	if sums != nil && v.rep.Manifest != nil {
		v.step("manifest agrees", ManifestName, func() string { return v.checkManifest(sums) })
	}
	v.checkSignatures(sumsData)
	if len(v.rep.Failures) > 0 {
		v.rep.Trust = TrustFailed
		return v.rep, &VerifyError{Failures: v.rep.Failures}
	}
	return v.rep, nil
}

type verifier struct {
	fsys    fs.FS
	opts    VerifyOptions
	rep     *Report
	present map[string]bool  // regular files found
	sizes   map[string]int64 // bytes read while hashing
}

func (v *verifier) fail(file string, kind error, format string, args ...any) {
	v.rep.Failures = append(v.rep.Failures, Failure{File: file, Kind: kind, Reason: fmt.Sprintf(format, args...)})
}

// step runs fn as one named check; it passes if fn added no failure.
func (v *verifier) step(name, file string, fn func() string) {
	before := len(v.rep.Failures)
	detail := fn()
	ok := len(v.rep.Failures) == before
	if !ok {
		var reasons []string
		for _, f := range v.rep.Failures[before:] {
			reasons = append(reasons, f.String())
		}
		detail = strings.Join(reasons, "; ")
	}
	v.rep.Checks = append(v.rep.Checks, Check{Name: name, File: file, OK: ok, Detail: detail})
}

// layout lists every entry and refuses unsafe names and anything that is
// not a regular file or a directory: opening a FIFO would block, and a
// symlink could point outside the package.
func (v *verifier) layout() string {
	lower := map[string]string{}
	err := fs.WalkDir(v.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			v.fail(p, ErrMalformed, "cannot list: %v", err)
			return nil
		}
		if p == "." {
			return nil
		}
		if err := CheckName(p); err != nil {
			v.fail(p, ErrUnsafeName, "%v", err)
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if prev, ok := lower[strings.ToLower(p)]; ok {
			v.fail(p, ErrDuplicate, "differs from %q only in case", prev)
		}
		lower[strings.ToLower(p)] = p
		switch {
		case d.IsDir():
			if entries, err := fs.ReadDir(v.fsys, p); err == nil && len(entries) == 0 {
				v.fail(p, ErrExtra, "empty directory that the package does not list")
			}
		case d.Type().IsRegular():
			v.present[p] = true
		default:
			v.fail(p, ErrNotRegular, "entry of type %s", d.Type())
		}
		return nil
	})
	if err != nil {
		v.fail("", ErrMalformed, "cannot list the package: %v", err)
	}
	v.rep.Files = len(v.present)
	return fmt.Sprintf("%d files, every name safe, only regular files", len(v.present))
}

// readWhole reads a small file the verifier must parse, failing if it is
// missing or larger than limit.
func (v *verifier) readWhole(name string, limit int64) []byte {
	if !v.present[name] {
		v.fail(name, ErrMissing, "required file is absent")
		return nil
	}
	f, err := v.fsys.Open(name)
	if err != nil {
		v.fail(name, ErrMissing, "cannot open: %v", err)
		return nil
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	switch {
	case errors.Is(err, archive.ErrStructure):
		v.fail(name, ErrZip, "%v", err)
		return nil
	case err != nil:
		v.fail(name, ErrMalformed, "cannot read: %v", err)
		return nil
	case int64(len(data)) > limit:
		v.fail(name, ErrTooLarge, "larger than %d bytes", limit)
		return nil
	}
	return data
}

// hashFile returns the SHA-256 and size of a package file, reading at most
// maxEntrySize bytes through buf.
func (v *verifier) hashFile(name string, buf []byte) (string, int64, error) {
	f, err := v.fsys.Open(name)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.CopyBuffer(h, io.LimitReader(f, maxEntrySize+1), buf)
	if err != nil {
		return "", n, err
	}
	if n > maxEntrySize {
		return "", n, fmt.Errorf("%w: larger than %d bytes", ErrTooLarge, int64(maxEntrySize))
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// hashed is what hashing one package file gave.
type hashed struct {
	sum string
	n   int64
	err error
}

// hashAll hashes the named files on one worker per CPU, each taking the
// next file as it finishes one, so that a large file does not leave the
// others waiting behind it. The results are in the order of names.
func (v *verifier) hashAll(names []string) []hashed {
	out := make([]hashed, len(names))
	workers.Run(len(names), func() func(int) {
		buf := make([]byte, hashBufferSize)
		return func(i int) {
			r := &out[i]
			r.sum, r.n, r.err = v.hashFile(names[i], buf)
		}
	})
	return out
}

// hashBufferSize is each hashing worker's read size: large enough that a
// read costs little beside hashing what it read.
const hashBufferSize = 1 << 20

// checkDigests hashes every file present against SHA256SUMS and reports
// files that are listed but absent and present but unlisted.
func (v *verifier) checkDigests(sums []SumEntry) {
	listed := map[string]string{}
	for _, e := range sums {
		listed[e.Path] = e.SHA256
	}
	v.sizes = map[string]int64{}
	names := make([]string, 0, len(v.present))
	for p := range v.present {
		names = append(names, p)
	}
	slices.Sort(names)
	// The listed files are hashed in parallel first; the checks are then
	// made one by one in name order, as the report lists them.
	var toHash []string
	for _, p := range names {
		if _, ok := listed[p]; ok && p != SumsName && p != SignatureName {
			toHash = append(toHash, p)
		}
	}
	hashes := v.hashAll(toHash)
	results := make(map[string]hashed, len(toHash))
	for i, p := range toHash {
		results[p] = hashes[i]
	}
	for _, p := range names {
		if p == SumsName || p == SignatureName {
			continue
		}
		v.step("sha256", p, func() string {
			want, ok := listed[p]
			if !ok {
				v.fail(p, ErrExtra, "present but not listed in %s", SumsName)
				return ""
			}
			r := results[p]
			got, n, err := r.sum, r.n, r.err
			v.sizes[p] = n
			switch {
			case errors.Is(err, ErrTooLarge):
				v.fail(p, ErrTooLarge, "%v", err)
			case errors.Is(err, archive.ErrStructure):
				v.fail(p, ErrZip, "%v", err)
			case err != nil:
				v.fail(p, ErrMalformed, "cannot read: %v", err)
			case got != want:
				v.fail(p, ErrDigest, "SHA-256 is %s, %s says %s", got, SumsName, want)
			}
			return fmt.Sprintf("%s, %d bytes", got, n)
		})
	}
	for _, e := range sums {
		if !v.present[e.Path] {
			v.step("sha256", e.Path, func() string {
				v.fail(e.Path, ErrMissing, "listed in %s but absent", SumsName)
				return ""
			})
		}
	}
}
