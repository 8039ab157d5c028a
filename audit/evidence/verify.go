package evidence

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/auditpack/auditpack/audit/evidence/facts"
)

// ProblemType classifies evidence problems; each is reported separately.
type ProblemType string

// The evidence problem types.
const (
	MissingFile    ProblemType = "missing-file"
	HashMismatch   ProblemType = "hash-mismatch"
	UnreadableFile ProblemType = "unreadable-file"
	Stale          ProblemType = "stale"
	OutsidePeriod  ProblemType = "outside-period"
	FutureDated    ProblemType = "future-dated"
	UndeclaredFile ProblemType = "undeclared-file"
)

// Problem is one thing wrong with the bundle. Item is empty for undeclared
// files; File is empty for item-level problems.
type Problem struct {
	Type    ProblemType `json:"type"`
	Item    string      `json:"item,omitempty"`
	File    string      `json:"file,omitempty"`
	Message string      `json:"message"`
}

// Options carry what verification must not guess: the as-of date and the
// audit period (zero times mean "no period").
type Options struct {
	AsOf        time.Time
	PeriodStart time.Time
	PeriodEnd   time.Time
	// Workers bounds parallel hashing; 0 means one per CPU.
	Workers int
	// Progress, when set, is told what hashing has done; the command line
	// draws it, the package never prints.
	Progress Progress
	// ReadFacts reads the facts of one evidence file while it is hashed
	// (nil means [facts.ReadAll]). It answers (nil, nil) for a file no
	// format recognises and a [*facts.Error] for a recognised file that
	// does not parse; it may stop reading early.
	ReadFacts func(io.Reader) (*facts.Read, error)
}

// Progress receives hashing progress. Its methods are called from several
// goroutines and must be safe for that; they should return quickly.
type Progress interface {
	// Start gives the totals before hashing begins.
	Start(files int, bytes int64)
	// Add reports files finished and bytes hashed since the last call.
	Add(files int, bytes int64)
}

// FileStatus is the outcome of hashing one declared file.
type FileStatus struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Actual string `json:"actual_sha256,omitempty"`
	Size   int64  `json:"size"`
	OK     bool   `json:"ok"`
}

// ItemStatus is an item with its verified files and problems.
type ItemStatus struct {
	Item     Item
	Files    []FileStatus
	Problems []Problem
	// Dated is the time the item speaks for, from which its age counts:
	// the date its files state where one is read (scan.date), else
	// collected_at, and never later than effective_until. AgeDays is
	// whole days from Dated to the as-of date.
	Dated   time.Time
	AgeDays int
	// Produced is when the evidence was made: the earlier of its file's
	// own date and collected_at (a file cannot be made after it was
	// collected). It ignores the effective period, a person's word on what
	// the item speaks for, so that which result is the newest and whether
	// an observation is recent enough to count as one rest on when it
	// was observed.
	Produced time.Time
	// Reads holds what each of the item's files says, in file order;
	// Facts the item's facts, read and stated merged (sorted by name,
	// then target); Targets the hosts, images or resources its files say
	// they covered (empty: the files do not say).
	Reads   []FileRead
	Facts   []ItemFact
	Targets []string
}

// Valid reports whether every file is present and intact and the item is
// fresh and within the audit period.
func (s *ItemStatus) Valid() bool {
	for _, p := range s.Problems {
		if p.Disqualifies() {
			return false
		}
	}
	return true
}

// Index is a verified bundle.
type Index struct {
	Manifest   *Manifest
	Items      []*ItemStatus // sorted by id
	Undeclared []string      // sorted
	Problems   []Problem     // every problem, item problems first, sorted
	byID       map[string]*ItemStatus
}

// Item returns the status of an item by id.
func (x *Index) Item(id string) (*ItemStatus, bool) {
	s, ok := x.byID[id]
	return s, ok
}

// Verify hashes every declared file of m in fsys and judges every item
// against opts. It returns an error only when the bundle cannot be listed
// or is refused as hostile ([*BundleError]); everything wrong with the
// evidence itself is a [Problem].
func Verify(fsys fs.FS, m *Manifest, opts Options) (*Index, error) {
	return VerifyContext(context.Background(), fsys, m, opts)
}

// VerifyContext is [Verify] that stops, returning ctx's error, when ctx is
// cancelled; hashing checks it between chunks of every file.
func VerifyContext(ctx context.Context, fsys fs.FS, m *Manifest, opts Options) (*Index, error) {
	// Each declared path once, in manifest order, and the set of them with
	// the manifest, which is not evidence.
	declared := map[string]bool{m.rel: true}
	var paths []string
	for _, it := range m.Items {
		for _, f := range it.Files {
			if !declared[f.Path] {
				declared[f.Path] = true
				paths = append(paths, f.Path)
			}
		}
	}
	// Undeclared files are looked for while the declared ones are hashed:
	// the listing reads directories, not files, so it costs the hashing
	// little and no longer adds its own time after it.
	listCtx, stopListing := context.WithCancel(ctx)
	defer stopListing()
	type listing struct {
		names []string
		err   error
	}
	listed := make(chan listing, 1)
	go func() {
		names, err := listUndeclared(listCtx, fsys, declared)
		listed <- listing{names, err}
	}()
	hashes, err := hashAll(ctx, fsys, paths, opts)
	if err != nil {
		stopListing()
		<-listed
		return nil, err
	}
	undeclared := <-listed
	if undeclared.err != nil {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("evidence verification stopped: %w", err)
		}
		return nil, undeclared.err
	}
	return judge(m, hashes, undeclared.names, opts), nil
}

// judge builds the index of m from what hashing and reading its declared
// files gave and the undeclared files found: every item's files, facts,
// dates and problems. [VerifyContext] and [Replay] share it.
func judge(m *Manifest, hashes map[string]hashResult, undeclared []string, opts Options) *Index {
	x := &Index{Manifest: m, byID: map[string]*ItemStatus{}}
	for _, it := range m.Items {
		st := &ItemStatus{Item: it}
		for _, f := range it.Files {
			h := hashes[f.Path]
			fsx := FileStatus{Path: f.Path, SHA256: f.SHA256, Actual: h.sum, Size: h.size}
			switch {
			case h.missing:
				st.Problems = append(st.Problems, Problem{MissingFile, it.ID, f.Path, "file is not in the bundle"})
			case h.err != nil:
				st.Problems = append(st.Problems, Problem{UnreadableFile, it.ID, f.Path, h.err.Error()})
			case h.sum != f.SHA256:
				st.Problems = append(st.Problems, Problem{HashMismatch, it.ID, f.Path,
					fmt.Sprintf("SHA-256 is %s, manifest says %s", h.sum, f.SHA256)})
			default:
				fsx.OK = true
			}
			st.Files = append(st.Files, fsx)
		}
		st.readFacts(hashes)
		st.judgeDates(opts)
		x.Items = append(x.Items, st)
		x.byID[it.ID] = st
	}
	slices.SortFunc(x.Items, func(a, b *ItemStatus) int { return strings.Compare(a.Item.ID, b.Item.ID) })
	x.Undeclared = undeclared
	for _, st := range x.Items {
		x.Problems = append(x.Problems, st.Problems...)
	}
	for _, p := range undeclared {
		x.Problems = append(x.Problems, Problem{UndeclaredFile, "", p, "file is in the bundle but in no manifest item"})
	}
	return x
}

type hashResult struct {
	sum     string
	size    int64
	missing bool
	err     error
	// read and readErr are what the facts reader made of the file; they
	// are set only for a file hashed to its end.
	read    *facts.Read
	readErr error
}

// hashAll hashes each of paths (distinct) once, in parallel, streaming.
// Workers take the next file from a shared counter, so a few large files do
// not leave the other workers idle behind them.
func hashAll(ctx context.Context, fsys fs.FS, paths []string, opts Options) (map[string]hashResult, error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	prog := opts.Progress
	if prog == nil {
		prog = noProgress{}
	} else {
		var total int64
		o := newOpener(fsys)
		for _, p := range paths {
			if fi, err := o.stat(p); err == nil && fi.Mode().IsRegular() {
				total += fi.Size()
			}
		}
		o.close()
		prog.Start(len(paths), total)
	}
	readFacts := opts.ReadFacts
	if readFacts == nil {
		readFacts = facts.ReadAll
	}
	results := make([]hashResult, len(paths))
	var next atomic.Int64
	var wg sync.WaitGroup
	// A panic in a worker (a facts reader's bug) is raised again on the
	// caller's goroutine, where it can be recovered, not in a worker.
	var bug atomic.Pointer[any]
	for range min(workers, max(len(paths), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if v := recover(); v != nil {
					bug.CompareAndSwap(nil, &v)
					next.Store(int64(len(paths)))
				}
			}()
			buf := make([]byte, 1<<20)
			o := newOpener(fsys)
			defer o.close()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(paths) || ctx.Err() != nil {
					return
				}
				results[i] = hashFile(ctx, o, paths[i], buf, prog, readFacts)
				prog.Add(1, 0)
			}
		}()
	}
	wg.Wait()
	if v := bug.Load(); v != nil {
		panic(*v)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("evidence verification stopped: %w", err)
	}
	for _, r := range results {
		var be *BundleError
		if errors.As(r.err, &be) {
			return nil, be
		}
	}
	out := make(map[string]hashResult, len(paths))
	for i, p := range paths {
		out[p] = results[i]
	}
	return out, nil
}

type noProgress struct{}

func (noProgress) Start(int, int64) {}
func (noProgress) Add(int, int64)   {}

// hashFile hashes one file, handing its bytes to readFacts as they go by.
func hashFile(ctx context.Context, o opener, name string, buf []byte, prog Progress, readFacts func(io.Reader) (*facts.Read, error)) hashResult {
	f, err := o.open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return hashResult{missing: true}
	}
	if err != nil {
		return hashResult{err: err}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return hashResult{err: err}
	}
	if !fi.Mode().IsRegular() {
		return hashResult{err: fmt.Errorf("not a regular file (%s)", fi.Mode().Type())}
	}
	h := sha256.New()
	fd := startFeed(ctx, readFacts)
	var n int64
	for {
		k, err := f.Read(buf)
		h.Write(buf[:k])
		fd.write(buf[:k])
		n += int64(k)
		prog.Add(0, int64(k))
		if err == io.EOF {
			break
		}
		if err != nil {
			fd.abort(err)
			var be *BundleError
			if errors.As(err, &be) {
				return hashResult{err: be}
			}
			return hashResult{err: fmt.Errorf("read: %w", err)}
		}
		if ctx.Err() != nil {
			// Not waiting for the reader: it may be computing for long,
			// and what it reads is dropped anyway.
			fd.w.CloseWithError(ctx.Err())
			return hashResult{err: ctx.Err()}
		}
	}
	read, readErr := fd.finish(ctx)
	if err := ctx.Err(); err != nil {
		return hashResult{err: err}
	}
	return hashResult{sum: hex.EncodeToString(h.Sum(nil)), size: n, read: read, readErr: readErr}
}

// listUndeclared lists the bundle's files that declared does not name. It
// stops, with ctx's error, when ctx is cancelled.
func listUndeclared(ctx context.Context, fsys fs.FS, declared map[string]bool) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return ctx.Err()
		}
		if !declared[p] {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list evidence bundle: %w", err)
	}
	slices.Sort(out)
	return out, nil
}
