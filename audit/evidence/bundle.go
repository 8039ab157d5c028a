package evidence

import (
	"fmt"

	"github.com/auditpack/auditpack/audit/archive"
)

// BundleError is a bundle refused as a whole, or an entry of it refused,
// because it could escape the bundle, hide content from the manifest's
// hashes, or exhaust memory, disk or time. It always names the entry (when
// there is one) and the reason. Verification stops on it: a hostile bundle
// is not evidence with problems, it is not evidence.
type BundleError struct {
	Bundle string // the bundle as named to people
	Entry  string // the entry's name as stored, empty for the whole bundle
	Reason string
}

func (e *BundleError) Error() string {
	if e.Entry == "" {
		return fmt.Sprintf("%s: evidence bundle refused: %s", e.Bundle, e.Reason)
	}
	return fmt.Sprintf("%s: entry %q refused: %s", e.Bundle, e.Entry, e.Reason)
}

// Limits bound what a bundle may make auditpack read. Sizes count the bytes
// actually read, not what an archive's headers claim.
type Limits struct {
	MaxEntries  int   // files and directories
	MaxFileSize int64 // bytes of one file
	MaxTotal    int64 // bytes of all files together
	// MaxRatio bounds uncompressed to compressed size of a zip entry, once
	// an entry has produced more than RatioFloor bytes.
	MaxRatio   int64
	RatioFloor int64
}

// DefaultLimits are generous enough for a real audit (tens of thousands of
// files, gigabytes of scans and logs) and small enough that a crafted
// bundle cannot exhaust a workstation.
var DefaultLimits = Limits{
	MaxEntries:  200_000,
	MaxFileSize: 8 << 30,
	MaxTotal:    64 << 30,
	MaxRatio:    100,
	RatioFloor:  1 << 20,
}

// CheckEntryName refuses names that could escape the bundle or mean
// different files on different systems ([archive.CheckName]: absolute
// paths, dot segments, backslashes, drive letters, control characters,
// names Windows cannot hold) and archives ([archive.CheckNested]):
// evidence is declared file by file so that every file is hashed and seen
// by the auditor, and an archive inside a bundle would hide its members
// from both. The archive test is by name on purpose: auditpack never
// opens a bundle's files, so content that merely looks like an archive
// (an Office document is a zip container) is hashed like any other file.
// name is slash separated, without a trailing slash.
func CheckEntryName(name string) error {
	if err := archive.CheckName(name); err != nil {
		return err
	}
	return archive.CheckNested(name)
}

// newNames tracks entry names to refuse duplicates, with the same rules
// for directories as for zip archives.
func newNames() *archive.Names { return archive.NewNames() }
