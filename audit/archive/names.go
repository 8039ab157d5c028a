package archive

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"unicode"
)

// CheckName refuses entry names that could escape the directory an archive
// is extracted into, or that mean different files on different systems:
// absolute paths, dot segments, backslashes, control characters, and
// names Windows cannot hold ([CheckWindowsName]). name is slash separated,
// without the trailing slash of a directory entry.
func CheckName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("empty name")
	case strings.HasPrefix(name, "/"):
		return fmt.Errorf("absolute path")
	case strings.Contains(name, `\`):
		return fmt.Errorf("backslash in name (a Windows path separator could escape the archive)")
	case strings.Contains(name, ":"):
		return fmt.Errorf("colon in name (a drive letter or stream name)")
	case strings.ContainsFunc(name, unicode.IsControl):
		return fmt.Errorf("control character in name")
	case !fs.ValidPath(name) || name == ".":
		return fmt.Errorf("path escapes its directory or is not clean (dot segments, empty elements)")
	}
	return CheckWindowsName(name)
}

// CheckWindowsName refuses a slash-separated name that Windows cannot
// store as written: the characters < > " | ? *, a segment ending in a dot
// or a space (Windows drops them, so "a.txt." would overwrite "a.txt"),
// and the reserved device names CON, PRN, AUX, NUL, COM1-9 and LPT1-9,
// with or without an extension ("nul.txt" opens the null device).
func CheckWindowsName(name string) error {
	if i := strings.IndexAny(name, `<>"|?*`); i >= 0 {
		return fmt.Errorf("%q is not allowed in a Windows file name", name[i])
	}
	for _, seg := range strings.Split(name, "/") {
		if strings.HasSuffix(seg, ".") || strings.HasSuffix(seg, " ") {
			return fmt.Errorf("segment %q ends in a dot or space, which Windows drops (it would be the same file as %q)",
				seg, strings.TrimRight(seg, ". "))
		}
		if reservedDevice(seg) {
			return fmt.Errorf("segment %q is a reserved device name on Windows", seg)
		}
	}
	return nil
}

// reservedDevice reports whether Windows takes seg for a device: the part
// before the first dot, less trailing spaces, is a device name.
func reservedDevice(seg string) bool {
	stem, _, _ := strings.Cut(seg, ".")
	stem = strings.ToUpper(strings.TrimRight(stem, " "))
	switch stem {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(stem) >= 4 && (strings.HasPrefix(stem, "COM") || strings.HasPrefix(stem, "LPT")) {
		switch stem[3:] {
		case "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³":
			return true
		}
	}
	return false
}

// archiveExts are name endings of archives, for callers that refuse
// archives inside archives ([Options.RefuseNested]): their members would
// escape per-file hashing, and archives within archives are the classic
// decompression bomb. The test is by name only, since auditpack never
// opens an entry's content as an archive.
var archiveExts = []string{".zip", ".jar", ".war", ".ear", ".apk", ".aar", ".ipa", ".tar", ".tgz", ".tbz2", ".txz",
	".gz", ".bz2", ".xz", ".zst", ".lz4", ".7z", ".rar", ".cab", ".iso", ".cpio", ".xpi", ".nupkg", ".whl"}

// CheckNested refuses a file name that looks like an archive.
func CheckNested(name string) error {
	if ext := NestedExt(name); ext != "" {
		return fmt.Errorf("nested archive (%s): its members would escape the checks on each file; unpack it and add its files instead", ext)
	}
	return nil
}

// NestedExt returns the archive ending of name (".zip", ".tar.gz" ends in
// ".gz"), or "" if name does not look like an archive.
func NestedExt(name string) string {
	lower := strings.ToLower(path.Base(name))
	for _, ext := range archiveExts {
		if strings.HasSuffix(lower, ext) {
			return ext
		}
	}
	return ""
}

// Names tracks entry names to refuse duplicates, including ones that
// differ only in case (they would overwrite each other on macOS and
// Windows), and a name that is both a file and a directory.
type Names struct {
	folded map[string]string
	dirs   map[string]bool
	files  map[string]bool
}

// NewNames returns an empty set of names.
func NewNames() *Names {
	return &Names{folded: map[string]string{}, dirs: map[string]bool{}, files: map[string]bool{}}
}

// Add records name, a file or (dir) a directory, and refuses it if it
// clashes with one recorded before. A directory may be named again, as
// archives often list a directory after files within it.
func (n *Names) Add(name string, dir bool) error {
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
