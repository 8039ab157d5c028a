package main

// Progress on the terminal. Long work (hashing a large bundle, rendering
// and signing a large package) draws one line on stderr, redrawn at most
// ten times a second: items and bytes done, the rate and the time left.
// It is silent when stderr is not a terminal (CI logs, pipes) or with
// --quiet, and it never writes to stdout, so output stays parseable. The
// core packages only call an interface; drawing lives here.

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/urfave/cli/v2"
)

// quietFlag turns progress off. Each command gets a flag of its own:
// urfave/cli records on a flag whether it was set.
func quietFlag() cli.Flag {
	return &cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, EnvVars: []string{"AUDITPACK_QUIET"}, Usage: "show no progress on the terminal"}
}

// isTerminal reports whether w is a character device (a terminal), using
// only the standard library.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progressBar draws one task's progress. Its methods are safe for
// concurrent use, as evidence hashing calls them from every worker.
type progressBar struct {
	w     io.Writer
	label string
	unit  string // what items are: "files", "steps"
	start time.Time

	totalItems int64
	totalBytes int64
	items      atomic.Int64
	bytes      atomic.Int64
	lastDraw   atomic.Int64 // unix nanoseconds

	mu   sync.Mutex
	done bool
}

// newProgress returns a bar for a task, or nil when progress must stay
// silent: asked to be quiet, or stderr is no terminal. Callers pass the
// result on as an interface only when non-nil.
func (env *environment) newProgress(quiet bool, label, unit string) *progressBar {
	if quiet || !isTerminal(env.term) {
		return nil
	}
	return &progressBar{w: env.term, label: label, unit: unit, start: time.Now()}
}

// Start sets the totals.
func (p *progressBar) Start(items int, bytes int64) {
	atomic.StoreInt64(&p.totalItems, int64(items))
	atomic.StoreInt64(&p.totalBytes, bytes)
	p.draw(true)
}

// Add counts items and bytes done.
func (p *progressBar) Add(items int, bytes int64) {
	p.items.Add(int64(items))
	p.bytes.Add(bytes)
	p.draw(false)
}

// Finish draws the final state and ends the line.
func (p *progressBar) Finish() {
	if p == nil {
		return
	}
	p.draw(true)
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.done {
		p.done = true
		fmt.Fprintln(p.w)
	}
}

func (p *progressBar) draw(force bool) {
	now := time.Now()
	last := p.lastDraw.Load()
	if !force && now.UnixNano()-last < int64(100*time.Millisecond) {
		return
	}
	if !p.lastDraw.CompareAndSwap(last, now.UnixNano()) && !force {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return
	}
	fmt.Fprintf(p.w, "\r\033[K%s", p.line(now))
}

// line formats the bar: "hashing evidence  1204/20000 files  1.1/2.0 GiB
// 512 MiB/s  0:02 left".
func (p *progressBar) line(now time.Time) string {
	items, bytes := p.items.Load(), p.bytes.Load()
	ti, tb := atomic.LoadInt64(&p.totalItems), atomic.LoadInt64(&p.totalBytes)
	elapsed := now.Sub(p.start)
	s := fmt.Sprintf("%s  %d/%d %s", p.label, items, ti, p.unit)
	var left time.Duration
	if tb > 0 {
		rate := float64(bytes) / max(elapsed.Seconds(), 1e-3)
		s += fmt.Sprintf("  %s/%s  %s/s", size(bytes), size(tb), size(int64(rate)))
		if rate > 0 {
			left = time.Duration(float64(tb-bytes) / rate * float64(time.Second))
		}
	} else if items > 0 && ti > items {
		left = time.Duration(float64(elapsed) / float64(items) * float64(ti-items))
	}
	if left > 0 {
		s += fmt.Sprintf("  %s left", clock(left))
	} else {
		s += fmt.Sprintf("  %s", clock(elapsed))
	}
	return s
}

func size(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

func clock(d time.Duration) string {
	d = d.Round(time.Second)
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}
