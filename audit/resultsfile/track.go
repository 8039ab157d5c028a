package resultsfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"unicode/utf8"

	"github.com/auditpack/auditpack/frameworks/schemadoc"
)

// tracker passes a results.json stream through, hashing it, bounding it
// and keeping the bytes since the last mark, so that a problem found in a
// file read once, in pieces, can still be given its line and column.
type tracker struct {
	r   io.Reader
	sum hash.Hash
	n   int64 // bytes read so far, after any skipped
	// skipped counts the bytes before the stream (a byte order mark):
	// hashed, never decoded.
	skipped int64
	limit   int64
	buf     []byte // buf[head:] are the bytes from base to n
	head    int
	base    int64
	line    int // line of the byte at base, 1-based
	col     int // characters before base on its line
	// start is where the value after base starts, past white space and
	// separators, once found; scanned is how far it was looked for.
	start, scanned int64
	found          bool
}

func newTracker(r io.Reader, limit int64) *tracker {
	return &tracker{r: r, sum: sha256.New(), limit: limit, line: 1}
}

// errResultsTooLarge is a results.json beyond MaxSize.
var errResultsTooLarge = fmt.Errorf("larger than %d GiB", MaxSize>>30)

// readChunk bounds one read, so that the decoder, whose buffer grows with
// the largest value it has met, never reads far past the value it is on.
const readChunk = 64 << 10

// maxWindow bounds the bytes kept since the last mark: one value of the
// file, as elementLimits bounds it, with what the decoder read past it.
// Without it a string of gigabytes was buffered whole, several times
// over, before the value's size was checked.
const maxWindow = int64(schemadoc.MaxSize) + 2*readChunk

// errValueTooLarge is a value beyond maxWindow.
var errValueTooLarge = fmt.Errorf("a value is larger than %d MiB", schemadoc.MaxSize>>20)

func (t *tracker) Read(p []byte) (int, error) {
	if len(p) > readChunk {
		p = p[:readChunk]
	}
	n, err := t.r.Read(p)
	t.sum.Write(p[:n])
	if t.head > len(t.buf)/2 { // compact now and then, not at every mark
		t.buf = append(t.buf[:0], t.buf[t.head:]...)
		t.head = 0
	}
	t.buf = append(t.buf, p[:n]...)
	t.n += int64(n)
	if t.n > t.limit {
		return n, errResultsTooLarge
	}
	if t.n-t.base > maxWindow && t.n-t.valueStart() > maxWindow {
		return n, errValueTooLarge
	}
	return n, err
}

// valueStart is the offset of the first byte after base that is neither
// white space nor a separator (n while there is none): white space
// between values is not bounded, only a value.
func (t *tracker) valueStart() int64 {
	if t.found {
		return t.start
	}
	kept := t.buf[t.head:]
	for i := max(t.scanned, t.base); i < t.n; i++ {
		if c := kept[i-t.base]; c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != ',' && c != ':' {
			t.start, t.found = i, true
			return i
		}
	}
	t.scanned = t.n
	return t.n
}

// mark forgets the bytes before off, which no problem will point into.
func (t *tracker) mark(off int64) {
	kept := t.buf[t.head:]
	k := int(min(max(off-t.base, 0), int64(len(kept))))
	t.line, t.col = t.advance(kept[:k])
	t.head += k
	t.base += int64(k)
	t.found, t.scanned = false, t.base
}

// advance returns the line and column after seg, read from base.
func (t *tracker) advance(seg []byte) (int, int) {
	nl := bytes.Count(seg, []byte("\n"))
	if nl == 0 {
		return t.line, t.col + utf8.RuneCount(seg)
	}
	return t.line + nl, utf8.RuneCount(seg[bytes.LastIndexByte(seg, '\n')+1:])
}

// pos is the line and 1-based column of the byte at off, at or after the
// last mark.
func (t *tracker) pos(off int64) (int, int) {
	kept := t.buf[t.head:]
	k := int(min(max(off-t.base, 0), int64(len(kept))))
	line, col := t.advance(kept[:k])
	return line, col + 1
}

// from returns the bytes kept from off on.
func (t *tracker) from(off int64) []byte {
	kept := t.buf[t.head:]
	return kept[min(max(off-t.base, 0), int64(len(kept))):]
}

// hexSum is the SHA-256 of the bytes read so far.
func (t *tracker) hexSum() string { return hex.EncodeToString(t.sum.Sum(nil)) }
