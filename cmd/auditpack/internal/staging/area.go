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
)

// Options say how an output may be written.
type Options struct {
	// Force allows replacing an existing auditpack package or empty
	// directory, never anything else.
	Force bool
	// Inputs are what the run reads; no output may be, hold or lie in one.
	Inputs []Input
	// Notify, when set, is told about stale staging that was cleaned up.
	Notify func(msg string)
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

	out, zip string
	force    bool
	base     string   // the staging prefix: parent/.auditpack-tmp-<pid>-<random>
	lock     *os.File // held from Stage to Commit or Abort
	kept     bool     // the output was kept under another name: Abort leaves it
}

// prefix starts every staging name, so a later run can recognise them.
const prefix = ".auditpack-tmp-"

// Stage checks the output paths and creates the staging directory beside
// out. zip is the zip's final path, "" for none.
func Stage(out, zip string, o Options) (*Area, error) {
	for _, p := range []string{out, zip} {
		if p == "" {
			continue
		}
		if err := guard(p, o.Inputs); err != nil {
			return nil, err
		}
		if err := checkExisting(p, p == zip, o.Force); err != nil {
			return nil, err
		}
	}
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	clean(parent, o.Notify)
	a := &Area{out: out, zip: zip, force: o.Force}
	if err := a.lockNew(parent); err != nil {
		return nil, err
	}
	a.Dir = a.base
	if err := os.Mkdir(a.Dir, 0o755); err != nil {
		a.unlock()
		return nil, err
	}
	if zip != "" {
		a.Zip = a.base + ".zip"
	}
	return a, nil
}

// lockNew creates and locks a fresh staging prefix in parent.
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

// move is one rename of the commit, kept so it can be undone.
type move struct{ from, to string }

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
			renameNoReplace(m.to, m.from)
		}
		for _, m := range slices.Backward(aside) {
			renameNoReplace(m.to, m.from)
		}
	}
	targets := []move{{a.Dir, a.out}}
	if a.zip != "" {
		targets = append(targets, move{a.Zip, a.zip})
	}
	if a.force {
		for i, t := range targets {
			old := a.base + ".old" + strconv.Itoa(i)
			err := renameNoReplace(t.to, old)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				undo()
				return err
			}
			aside = append(aside, move{t.to, old})
			// What is moved aside is what will be deleted: check it
			// again, since it may have changed since Stage looked.
			if err := replaceable(old, t.to, t.to == a.zip); err != nil {
				undo()
				a.Abort()
				return err
			}
		}
	}
	for _, t := range targets {
		if err := renameNoReplace(t.from, t.to); err != nil {
			undo()
			if errors.Is(err, fs.ErrExist) {
				return a.keep()
			}
			return err
		}
		placed = append(placed, t)
	}
	for _, m := range aside {
		os.RemoveAll(m.to)
	}
	return nil
}

// keep renames the staged output to the first free name out.new,
// out.new-2, … beside the output, and reports where.
func (a *Area) keep() error {
	a.kept = true
	for i := 1; i < 1000; i++ {
		name := a.out + ".new"
		if i > 1 {
			name += "-" + strconv.Itoa(i)
		}
		if _, err := os.Lstat(name); err == nil {
			continue
		}
		if a.zip != "" {
			if _, err := os.Lstat(name + ".zip"); err == nil {
				continue
			}
		}
		if err := renameNoReplace(a.Dir, name); err != nil {
			continue
		}
		e := &KeptError{Path: a.out, Kept: name}
		if a.zip != "" {
			if err := renameNoReplace(a.Zip, name+".zip"); err == nil {
				e.Zip = name + ".zip"
			} else {
				e.Zip = a.Zip
			}
			if _, err := os.Lstat(a.zip); err == nil {
				e.Path = a.out + " (or " + a.zip + ")"
			}
		}
		return e
	}
	return &KeptError{Path: a.out, Kept: a.Dir, Zip: a.Zip}
}
