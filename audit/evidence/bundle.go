package evidence

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"unicode"
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

// archiveExts are file name endings of archives. Evidence is declared file
// by file so that every file is hashed and seen by the auditor; an archive
// inside a bundle would hide its members from both, and archives within
// archives are the classic decompression bomb, so bundles may not contain
// them. The check is by name on purpose: auditpack never opens a bundle's
// files, so content that merely looks like an archive (an Office document
// is a zip container) is hashed like any other file and cannot harm.
var archiveExts = []string{".zip", ".jar", ".war", ".ear", ".apk", ".aar", ".ipa", ".tar", ".tgz", ".tbz2", ".txz",
	".gz", ".bz2", ".xz", ".zst", ".lz4", ".7z", ".rar", ".cab", ".iso", ".cpio", ".xpi", ".nupkg", ".whl"}

// CheckEntryName refuses names that could escape the bundle or mean
// different files on different systems: absolute paths, dot segments,
// backslashes, drive letters, NUL and control characters, and archives.
// name is slash separated, without a trailing slash.
func CheckEntryName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("empty name")
	case strings.HasPrefix(name, "/"):
		return fmt.Errorf("absolute path")
	case strings.Contains(name, `\`):
		return fmt.Errorf("backslash in name (a Windows path separator could escape the bundle)")
	case strings.Contains(name, ":"):
		return fmt.Errorf("colon in name (a drive letter or stream name)")
	case strings.ContainsFunc(name, unicode.IsControl):
		return fmt.Errorf("control character in name")
	case !fs.ValidPath(name):
		return fmt.Errorf("path escapes the bundle or is not clean (dot segments, empty elements)")
	}
	if ext := archiveExt(name); ext != "" {
		return errors.New(nestedArchive(ext))
	}
	return nil
}

func nestedArchive(kind string) string {
	return fmt.Sprintf("nested archive (%s): bundles hold files, not archives; unpack it and declare its files", kind)
}

func archiveExt(name string) string {
	lower := strings.ToLower(path.Base(name))
	for _, ext := range archiveExts {
		if strings.HasSuffix(lower, ext) {
			return ext
		}
	}
	return ""
}

// names tracks entry names to refuse duplicates, including ones that differ
// only in case (they would overwrite each other on macOS and Windows) and a
// file that is also used as a directory.
type names struct {
	folded map[string]string
	dirs   map[string]bool
	files  map[string]bool
}

func newNames() *names {
	return &names{folded: map[string]string{}, dirs: map[string]bool{}, files: map[string]bool{}}
}

func (n *names) add(name string, dir bool) error {
	key := strings.ToLower(name)
	if prev, dup := n.folded[key]; dup && !(dir && n.dirs[key]) {
		if prev == name {
			return fmt.Errorf("duplicate name")
		}
		return fmt.Errorf("same name as %q except for case", prev)
	}
	n.folded[key] = name
	for p := path.Dir(key); p != "."; p = path.Dir(p) {
		if n.files[p] {
			return fmt.Errorf("%q is both a file and a directory", p)
		}
		n.dirs[p] = true
	}
	if dir {
		n.dirs[key] = true
	} else {
		if n.dirs[key] {
			return fmt.Errorf("%q is both a file and a directory", name)
		}
		n.files[key] = true
	}
	return nil
}
