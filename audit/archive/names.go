package archive

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
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
	case !utf8.ValidString(name):
		return fmt.Errorf("name is not valid UTF-8")
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
	if err := CheckCharacters(name); err != nil {
		return err
	}
	return CheckWindowsName(name)
}

// CheckWindowsName refuses a slash-separated name that Windows cannot
// store as written: the characters < > " | ? *, a segment ending in a dot
// or a space (Windows drops them, so "a.txt." would overwrite "a.txt"),
// and the reserved device names, with or without an extension ("nul.txt"
// opens the null device): CON, PRN, AUX, NUL, COM0-9 and LPT0-9 with the
// superscript digits 1-3, as Microsoft's "Naming Files, Paths, and
// Namespaces" lists them; CONIN$ and CONOUT$, which Windows 11 opens as
// the console; and CLOCK$, which older versions of that list named.
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
			return fmt.Errorf("segment %q is a reserved device name on Windows%s", seg, codePoints(seg))
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
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$":
		return true
	}
	if len(stem) >= 4 && (strings.HasPrefix(stem, "COM") || strings.HasPrefix(stem, "LPT")) {
		switch stem[3:] {
		case "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³":
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
// differ only in case or in Unicode normalisation (they would overwrite
// each other on macOS and Windows), a folder spelled two such ways ("A/x"
// and "a/y" land in one folder there), and a name that is both a file and
// a directory.
type Names struct {
	folded  map[string]string // entry key to its name
	spelled map[string]string // folder key to the first spelling seen
	dirs    map[string]bool
	files   map[string]bool
}

// NewNames returns an empty set of names.
func NewNames() *Names {
	return &Names{folded: map[string]string{}, spelled: map[string]string{}, dirs: map[string]bool{}, files: map[string]bool{}}
}

// foldKey is the form in which two names are the same file on a system
// that ignores case and normalisation: Unicode's canonical caseless match
// (NFD, full case folding, NFD again), so that "ς" and "σ", "ſ" and "s",
// and "café" composed or decomposed meet. strings.ToLower would miss all
// three. The folding is stricter than any one file system's, which only
// ever refuses more.
func foldKey(name string) string {
	return norm.NFD.String(cases.Fold().String(norm.NFD.String(name)))
}

// Add records name, a file or (dir) a directory, and refuses it if it
// clashes with one recorded before. A directory may be named again, as
// archives often list a directory after files within it.
func (n *Names) Add(name string, dir bool) error {
	key := foldKey(name)
	if prev, dup := n.folded[key]; dup && !(dir && n.dirs[key]) {
		if prev == name {
			return fmt.Errorf("duplicate name")
		}
		return fmt.Errorf("same name as %q except for case or Unicode normalisation", prev)
	}
	n.folded[key] = name
	for p := path.Dir(name); p != "."; p = path.Dir(p) {
		if err := n.folder(p); err != nil {
			return err
		}
	}
	if dir {
		return n.folder(name)
	}
	if n.dirs[key] {
		return fmt.Errorf("%q is both a file and a directory", name)
	}
	n.files[key] = true
	return nil
}

// folder records p as a folder, which must be spelled as before.
func (n *Names) folder(p string) error {
	key := foldKey(p)
	if n.files[key] {
		return fmt.Errorf("%q is both a file and a directory", p)
	}
	if prev, ok := n.spelled[key]; ok && prev != p {
		return fmt.Errorf("folder %q is the same folder as %q except for case or Unicode normalisation", p, prev)
	}
	n.spelled[key] = p
	n.dirs[key] = true
	return nil
}

// codePoints lists the non-ASCII characters of s by code point, so that a
// message shows "COM¹" as more than a lookalike of "COM1".
func codePoints(s string) string {
	var cps []string
	for _, r := range s {
		if r >= 0x80 {
			cps = append(cps, fmt.Sprintf("%U", r))
		}
	}
	if cps == nil {
		return ""
	}
	return " (it holds " + strings.Join(cps, ", ") + ")"
}
