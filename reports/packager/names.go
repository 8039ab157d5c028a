package packager

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/auditpack/auditpack/audit/archive"
)

// Names of the files every package has, and of the optional signed report.
const (
	ManifestName  = "manifest.json"
	SumsName      = "SHA256SUMS"
	SignatureName = "SHA256SUMS.p7s"
	VerifyName    = "VERIFY.txt"
	ReportName    = "report.pdf"
	// InputsDir holds the inputs exactly as read; EvidenceDir the embedded
	// evidence bundle.
	InputsDir   = "inputs"
	EvidenceDir = "evidence"
)

// maxNameLen bounds a package path; tar, zip and every file system in use
// accept this much.
const maxNameLen = 240

// CheckName reports whether p may name a file in a package. Names are
// slash-separated, relative and clean, and use only [A-Za-z0-9._/-] with no
// segment starting with a dot, so that the same bytes mean the same file to
// sha256sum, unzip and every file system, and nothing can escape the package
// directory or hide from `ls`. Names Windows cannot hold are refused too
// ([archive.CheckWindowsName]): a segment ending in a dot ("a.txt." is
// "a.txt" there) and device names such as CON or nul.txt.
func CheckName(p string) error {
	if p == "" || len(p) > maxNameLen {
		return fmt.Errorf("name of %d bytes (1 to %d allowed)", len(p), maxNameLen)
	}
	if !fs.ValidPath(p) || path.Clean(p) != p || p == "." {
		return fmt.Errorf("%q is not a clean relative path", p)
	}
	for _, seg := range strings.Split(p, "/") {
		if seg[0] == '.' {
			return fmt.Errorf("%q has a segment starting with a dot", p)
		}
	}
	for i := 0; i < len(p); i++ {
		if !nameByte(p[i]) {
			return fmt.Errorf("%q contains %q (only A-Z a-z 0-9 . _ - / are allowed)", p, p[i])
		}
	}
	if err := archive.CheckWindowsName(p); err != nil {
		return fmt.Errorf("%q: %w", p, err)
	}
	return nil
}

func nameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == '/'
}

// reserved reports whether p is written by [Build] itself, so no artefact,
// input or evidence file may take it.
func reserved(p string) bool {
	switch p {
	case ManifestName, SumsName, SignatureName, VerifyName, ReportName:
		return true
	}
	return false
}

// InputPath returns the package path of an input: inputs/<role>/<name>, the
// name being the base of what the user gave with every other character
// replaced by '_'. Paths on disk therefore never leak into the layout, and
// the same inputs give the same names on every machine. taken holds the
// names already used; a clash gets a numeric suffix, in input order.
func InputPath(role, source string, taken map[string]bool) string {
	base := sanitize(path.Base(strings.ReplaceAll(source, `\`, "/")))
	dir := InputsDir + "/" + sanitize(role)
	p := dir + "/" + base
	for i := 2; taken[strings.ToLower(p)]; i++ {
		ext := path.Ext(base)
		p = fmt.Sprintf("%s/%s-%d%s", dir, strings.TrimSuffix(base, ext), i, ext)
	}
	taken[strings.ToLower(p)] = true
	return p
}

// sanitize maps a name onto the allowed alphabet, without slashes, a
// leading or trailing dot, or a Windows device name.
func sanitize(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !nameByte(c) || c == '/' {
			b[i] = '_'
		}
	}
	if len(b) == 0 || b[0] == '.' {
		b = append([]byte{'_'}, b...)
	}
	if len(b) > 100 {
		b = b[len(b)-100:]
		b[0] = '_'
	}
	if b[len(b)-1] == '.' {
		b[len(b)-1] = '_'
	}
	if archive.CheckWindowsName(string(b)) != nil {
		b = append([]byte{'_'}, b...)
	}
	return string(b)
}

// mediaType names the format of a package file for manifest.json.
func mediaType(p string) string {
	switch path.Ext(p) {
	case ".pdf":
		return "application/pdf"
	case ".xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case ".json":
		return "application/json"
	case ".yaml", ".yml":
		return "application/yaml"
	case ".txt", ".md", ".csv", ".rules":
		return "text/plain"
	case ".p7s":
		return "application/pkcs7-signature"
	}
	return "application/octet-stream"
}
