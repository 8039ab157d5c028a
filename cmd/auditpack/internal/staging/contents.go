package staging

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/auditpack/auditpack/audit/archive"
	"github.com/auditpack/auditpack/audit/rootfs"
	"github.com/auditpack/auditpack/reports/packager"
)

// contents is what an existing output holds, as far as deciding whether
// --force may replace it needs.
type contents struct {
	empty    bool
	manifest []byte   // manifest.json at the root, nil if none
	files    []string // regular files, slash-separated, relative
	other    []string // anything else: links, devices, other file systems
}

// check refuses contents that are not exactly a package.
func (c *contents) check(display string, refuse func(string) error, demoOnly bool) error {
	if c.manifest == nil {
		return refuse("is not an auditpack package (it has no " + packager.ManifestName + ")")
	}
	m, err := packager.ParseManifest(c.manifest)
	if err != nil {
		return refuse(fmt.Sprintf("is not an auditpack package (its %s is not a package's: %v)", packager.ManifestName, err))
	}
	listed := map[string]bool{packager.ManifestName: true, packager.SumsName: true, packager.SignatureName: true}
	for _, f := range m.Files {
		listed[f.Path] = true
	}
	extra := slices.Clone(c.other)
	for _, f := range c.files {
		if !listed[f] {
			extra = append(extra, f)
		}
	}
	if len(extra) > 0 {
		slices.Sort(extra)
		more := ""
		if len(extra) > 5 {
			more = fmt.Sprintf(" and %d more", len(extra)-5)
			extra = extra[:5]
		}
		return refuse(fmt.Sprintf("holds what its package does not list (%s%s): move it out, or remove the package yourself",
			strings.Join(extra, ", "), more))
	}
	if demoOnly && !m.Demo {
		return &RefusedError{Path: display, Reason: "is the package of a real project, not of the built-in example; demo --force replaces only a demo package"}
	}
	return nil
}

// dirContents lists a directory without following links or crossing into
// another file system.
func dirContents(root string) (*contents, error) {
	fi, err := os.Lstat(root)
	if err != nil {
		return nil, err
	}
	dev, haveDev := device(fi)
	c := &contents{}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == root {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if dv, ok := device(info); haveDev && ok && dv != dev {
			c.other = append(c.other, rel+" (another file system)")
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case d.IsDir():
		case info.Mode().IsRegular():
			c.files = append(c.files, rel)
		default:
			c.other = append(c.other, rel+" (not a regular file)")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(c.files) == 0 && len(c.other) == 0 {
		entries, err := os.ReadDir(root)
		if err != nil {
			return nil, err
		}
		c.empty = len(entries) == 0
	}
	if slices.Contains(c.files, packager.ManifestName) {
		p := filepath.Join(root, packager.ManifestName)
		if c.manifest, err = rootfs.ReadFile(p, p, maxManifest); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// zipContents lists a zip read with the package rules.
func zipContents(p string) (*contents, error) {
	zr, f, err := packager.OpenZipFile(p)
	var refusal archive.Refusal
	if errors.As(err, &refusal) {
		return nil, errors.New("is not an auditpack package zip (" + err.Error() + ")")
	} else if err != nil {
		return nil, err
	}
	defer f.Close()
	c := &contents{}
	err = fs.WalkDir(zr, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !d.Type().IsRegular() {
			c.other = append(c.other, p+" (not a regular file)")
			return nil
		}
		c.files = append(c.files, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !slices.Contains(c.files, packager.ManifestName) {
		return nil, errors.New("is not an auditpack package zip (no " + packager.ManifestName + " at its root)")
	}
	m, err := zr.Open(packager.ManifestName)
	if err != nil {
		return nil, err
	}
	defer m.Close()
	if c.manifest, err = readManifest(m); err != nil {
		return nil, err
	}
	return c, nil
}
