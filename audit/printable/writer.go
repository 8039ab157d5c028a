package printable

import (
	"io"
	"sync"
	"unicode/utf8"
)

// Writer passes everything written to it through [Text] on its way to W,
// so that output that forgot to escape a name still cannot move the
// cursor. A character split between two writes is held back until the
// next one completes it (or Flush gives up on it).
type Writer struct {
	W io.Writer

	mu      sync.Mutex
	pending []byte
}

// NewWriter returns a Writer to w.
func NewWriter(w io.Writer) *Writer { return &Writer{W: w} }

// Write escapes p and writes it; it reports len(p) on success, as callers
// count what they gave, not what was written.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	data := p
	if len(w.pending) > 0 {
		data = append(w.pending, p...)
		w.pending = nil
	}
	// Hold back an incomplete UTF-8 sequence at the end.
	for k := 1; k <= utf8.UTFMax-1 && k <= len(data); k++ {
		c := data[len(data)-k]
		if c < 0x80 {
			break
		}
		if c >= 0xc0 { // a leading byte: is its sequence complete?
			if !utf8.FullRune(data[len(data)-k:]) {
				w.pending = append([]byte(nil), data[len(data)-k:]...)
				data = data[:len(data)-k]
			}
			break
		}
	}
	if plainASCII(data) {
		// Most output (every JSON document, most text) has nothing to
		// escape: write it as it is, without copying it into a string.
		if _, err := w.W.Write(data); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	if _, err := io.WriteString(w.W, Text(string(data))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// plainASCII reports whether Text would leave b as it is because it is
// printable ASCII, line feeds and tabs only.
func plainASCII(b []byte) bool {
	for _, c := range b {
		if (c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f {
			return false
		}
	}
	return true
}

// Flush writes what is held back, escaped as invalid.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.pending) == 0 {
		return nil
	}
	_, err := io.WriteString(w.W, Text(string(w.pending)))
	w.pending = nil
	return err
}
