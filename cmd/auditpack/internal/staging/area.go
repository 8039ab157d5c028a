package staging

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
)

// Options say how an output may be written.
type Options struct {
	// Force allows replacing an existing auditpack package or empty
	// directory, never anything else.
	Force bool
	// DemoOnly narrows Force to packages of the built-in example, so that
	// `demo --force` cannot replace a real signed package.
	DemoOnly bool
	// Inputs are what the run reads; no output may be, hold or lie in one.
	Inputs []Input
	// Notify, when set, is told about stale staging that was cleaned up and
	// anything left behind that the user should know of.
	Notify func(msg string)
}

func (o Options) notify(format string, args ...any) {
	if o.Notify != nil {
		o.Notify(fmt.Sprintf(format, args...))
	}
}

// Input is a file or directory the run reads, with its role for messages.
type Input struct {
	Role string // e.g. "the evidence bundle"
	Path string
}

// Area is one output being built: a directory and, optionally, a zip.
type Area struct {
	// Dir is where the output directory is built; Zip where the zip is
	// ("" when none is wanted).
	Dir, Zip string

	out, zip         string // final paths, absolute and clean
	showOut, showZip string // the same as the user named them, for messages
	opts             Options
	base             string   // the staging prefix: parent/.auditpack-tmp-<pid>-<random>
	lock             *os.File // held from Stage to Commit or Abort
	kept             bool     // the output was kept under another name: Abort leaves it
}

// prefix starts every staging name, so a later run can recognise them.
const prefix = ".auditpack-tmp-"

// Stage checks the output paths and creates the staging directory beside
// out. zip is the zip's final path, "" for none.
func Stage(out, zip string, o Options) (*Area, error) {
	a := &Area{showOut: filepath.Clean(out), opts: o}
	var err error
	if a.out, err = absolute(out); err != nil {
		return nil, err
	}
	if zip != "" {
		a.showZip = filepath.Clean(zip)
		if a.zip, err = absolute(zip); err != nil {
			return nil, err
		}
	}
	for _, p := range [][2]string{{a.out, a.showOut}, {a.zip, a.showZip}} {
		if p[0] == "" {
			continue
		}
		if err := guard(p[0], p[1], o.Inputs); err != nil {
			return nil, err
		}
		if err := checkExisting(p[0], p[1], p[0] == a.zip, o); err != nil {
			return nil, err
		}
	}
	parent := filepath.Dir(a.out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, unwritable(filepath.Dir(a.showOut), err)
	}
	clean(parent, o)
	if err := a.lockNew(parent); err != nil {
		return nil, unwritable(filepath.Dir(a.showOut), err)
	}
	a.Dir = a.base
	if err := os.Mkdir(a.Dir, 0o755); err != nil {
		a.unlock()
		return nil, unwritable(filepath.Dir(a.showOut), err)
	}
	if zip != "" {
		a.Zip = a.base + ".zip"
	}
	return a, nil
}

// absolute makes p absolute and clean, so that "pkg/", "q/." and "." name
// the directory itself and the staging beside it is never inside it. Its
// parent is resolved on disk (see Resolve), as the system will when it
// renames, so that "../x" from a linked working directory means the same
// to auditpack as to the kernel; the last name is kept, so an output that
// is itself a link is seen as the link.
func absolute(p string) (string, error) {
	if p == "" {
		return "", &RefusedError{Path: p, Reason: "empty output path"}
	}
	clean := filepath.Clean(p)
	var abs string
	switch base := filepath.Base(clean); base {
	case ".", "..", string(filepath.Separator):
		abs = Resolve(clean)
	default:
		abs = filepath.Join(Resolve(filepath.Dir(clean)), base)
	}
	if filepath.Dir(abs) == abs {
		return "", &RefusedError{Path: p, Reason: "is the root directory"}
	}
	return abs, nil
}

// unwritable explains a failure to create staging beside the output: the
// user chose a place auditpack cannot write, which is bad usage.
func unwritable(dir string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, syscall.ENOTDIR) {
		return &RefusedError{Path: dir, Reason: "is not a directory (a part of the output path is a file)"}
	}
	return &RefusedError{Path: dir, Reason: fmt.Sprintf("cannot be written: %v", err)}
}

// lockNew creates and locks a fresh staging prefix in parent. The lock
// file records the final paths, so that a later run can put back an output
// this one had moved aside if it is killed at that moment.
func (a *Area) lockNew(parent string) error {
	for range 10 {
		var r [6]byte
		rand.Read(r[:])
		base := filepath.Join(parent, prefix+strconv.Itoa(os.Getpid())+"-"+hex.EncodeToString(r[:]))
		f, err := os.OpenFile(base+".lock", os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return err
		}
		if !tryLock(f) {
			f.Close()
			os.Remove(base + ".lock")
			continue
		}
		if _, err := f.WriteString(a.out + "\n" + a.zip + "\n"); err != nil {
			f.Close()
			os.Remove(base + ".lock")
			return err
		}
		a.base, a.lock = base, f
		return nil
	}
	return fmt.Errorf("%s: no free staging name", parent)
}

func (a *Area) unlock() {
	if a.lock != nil {
		os.Remove(a.base + ".lock")
		a.lock.Close()
		a.lock = nil
	}
}

// Abort removes everything staged, unless Commit kept it for the user.
func (a *Area) Abort() {
	if a.kept {
		return
	}
	os.RemoveAll(a.Dir)
	if a.Zip != "" {
		os.Remove(a.Zip)
	}
	a.unlock()
}

// move is one rename of the commit. fi identifies what was moved, so that
// undoing it moves back only that, never what another run put there since.
type move struct {
	from, to string
	fi       fs.FileInfo
}

// rename performs m, recording what it moved.
func (m *move) rename() error {
	if err := renameNoReplace(m.from, m.to); err != nil {
		return err
	}
	m.fi, _ = os.Lstat(m.to)
	return nil
}

// undo moves m back if what is at m.to is still what m moved there.
func (m move) undo() bool {
	cur, err := os.Lstat(m.to)
	if err != nil || m.fi == nil || !os.SameFile(cur, m.fi) {
		return false
	}
	return renameNoReplace(m.to, m.from) == nil
}

// Commit moves the output into place. Without force it fails if anything
// exists at the output paths at that moment; with force it first moves an
// existing package aside and checks it again. When it cannot place the
// output it leaves what is there untouched and keeps the output under a
// free name beside it ([KeptError]).
func (a *Area) Commit() error {
	defer a.unlock()
	var aside, placed []move
	undo := func() {
		for _, m := range slices.Backward(placed) {
			m.undo()
		}
		for _, m := range slices.Backward(aside) {
			if !m.undo() {
				a.opts.notify("%s, replaced by --force, could not be put back; it is at %s", m.from, m.to)
			}
		}
	}
	targets := []move{{from: a.Dir, to: a.out}}
	shown := []string{a.showOut}
	if a.zip != "" {
		targets = append(targets, move{from: a.Zip, to: a.zip})
		shown = append(shown, a.showZip)
	}
	if a.opts.Force {
		for i, t := range targets {
			m := move{from: t.to, to: a.base + ".old" + strconv.Itoa(i)}
			err := m.rename()
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				undo()
				return err
			}
			aside = append(aside, m)
			// What is moved aside is what will be deleted: check it
			// again, since it may have changed since Stage looked.
			if err := replaceable(m.to, shown[i], t.to == a.zip, a.opts.DemoOnly); err != nil {
				undo()
				return a.keep(shown[i] + " changed while this package was being built and is no longer something --force may replace")
			}
		}
	}
	for i := range targets {
		if err := targets[i].rename(); err != nil {
			undo()
			if errors.Is(err, fs.ErrExist) {
				return a.keep(shown[i] + " appeared while this package was being built (another build, or someone else, created it)")
			}
			return err
		}
		placed = append(placed, targets[i])
	}
	for _, m := range aside {
		if err := removeAll(m.to); err != nil {
			a.opts.notify("the package replaced at %s could not be removed completely (%v); what is left is at %s", m.from, err, m.to)
		}
	}
	return nil
}

// keep renames what is still staged to the first free name out.new,
// out.new-2, … beside the output, and reports where and why.
func (a *Area) keep(why string) error {
	a.kept = true
	e := &KeptError{Path: a.showOut, Why: why}
	haveDir := exists(a.Dir)
	haveZip := a.Zip != "" && exists(a.Zip)
	for i := 1; i < 1000 && (haveDir || haveZip); i++ {
		name := a.out + ".new"
		if i > 1 {
			name += "-" + strconv.Itoa(i)
		}
		if exists(name) || exists(name+".zip") {
			continue
		}
		shown := filepath.Join(filepath.Dir(a.showOut), filepath.Base(name))
		if haveDir {
			if renameNoReplace(a.Dir, name) != nil {
				continue
			}
			e.Kept, haveDir = shown, false
		}
		if haveZip {
			if renameNoReplace(a.Zip, name+".zip") == nil {
				e.Zip, haveZip = shown+".zip", false
			}
		}
	}
	if haveDir {
		e.Kept = a.Dir
	}
	if haveZip {
		e.Zip = a.Zip
	}
	return e
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}
