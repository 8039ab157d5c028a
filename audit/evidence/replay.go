package evidence

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"

	"github.com/auditpack/auditpack/audit/evidence/facts"
)

// Record is what verifying a bundle found, as a package records it: for
// each declared file what hashing and reading it gave, and the undeclared
// files. It lets a bundle be judged again without its files.
type Record struct {
	Files      map[string]RecordedFile // by path in the bundle
	Undeclared []string
}

// RecordedFile is the outcome of hashing and reading one declared file.
type RecordedFile struct {
	SHA256  string // as hashed; empty when missing or unreadable
	Size    int64
	Missing bool
	Err     string // why the file could not be read, if it could not
	// Intact says the file matched its declared SHA-256: only such a file
	// is embedded in a package, and so only such a file can be re-read.
	Intact bool
	// Read is what the file said (nil: no format recognised it);
	// ReadErr why a recognised file's facts could not be read.
	Read    *facts.Read
	ReadErr string
}

// Replay judges the bundle of m again, as [VerifyContext] does, from rec
// instead of hashing: the same items, facts, dates and problems follow
// from the same outcomes. With fsys not nil, every file rec records as
// intact is hashed and read again from fsys (a package's embedded
// evidence), so that a file changed, missing or read otherwise shows; the
// others, never embedded, keep their recorded outcome. A declared file
// rec does not name is missing.
func Replay(ctx context.Context, fsys fs.FS, m *Manifest, rec Record, opts Options) (*Index, error) {
	hashes := map[string]hashResult{}
	var reread []string
	seen := map[string]bool{}
	for _, it := range m.Items {
		for _, f := range it.Files {
			if seen[f.Path] {
				continue
			}
			seen[f.Path] = true
			r, ok := rec.Files[f.Path]
			switch {
			case !ok || r.Missing:
				hashes[f.Path] = hashResult{missing: true}
			case fsys != nil && r.Intact:
				reread = append(reread, f.Path)
			case r.Err != "":
				hashes[f.Path] = hashResult{err: errors.New(r.Err)}
			default:
				h := hashResult{sum: r.SHA256, size: r.Size, read: r.Read}
				if r.ReadErr != "" {
					h.read, h.readErr = nil, errors.New(r.ReadErr)
				}
				hashes[f.Path] = h
			}
		}
	}
	if len(reread) > 0 {
		again, err := hashAll(ctx, fsys, reread, opts)
		if err != nil {
			return nil, fmt.Errorf("re-read embedded evidence: %w", err)
		}
		for p, h := range again {
			hashes[p] = h
		}
	}
	return judge(m, hashes, slices.Clone(rec.Undeclared), opts), nil
}
