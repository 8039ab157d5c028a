package facts

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// Detection looks at a file's head, and a file may put anything that
// changes nothing of what it says before its first key or its root
// element: JSON white space, a byte order mark, XML comments, processing
// instructions and a document type declaration. A file of a known format
// padded so is still that format; the padding is streamed past (never
// held), up to maxLead bytes, before the head is taken.

// maxLead bounds the padding skipped before a document's start. A file
// with more is taken as it stands (and most likely recognised by none).
const maxLead = 64 << 20

// maxDecl bounds the XML declaration kept for the parser.
const maxDecl = 1 << 10

// lead is what was skipped before the document's start: the XML
// declaration kept for the parser, and the bytes and newlines dropped
// after it, by which the parser's positions are shifted back.
type lead struct {
	decl  []byte
	bytes int64
	lines int
}

// skipLead consumes the padding at the start of br.
func skipLead(br *bufio.Reader) (lead, error) {
	var l lead
	drop := func(n int) error {
		b, err := br.Peek(n)
		if err != nil {
			return err
		}
		l.bytes += int64(n)
		l.lines += bytes.Count(b, []byte("\n"))
		_, err = br.Discard(n)
		return err
	}
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		if err := drop(3); err != nil {
			return l, err
		}
	}
	for l.bytes < maxLead {
		b, err := br.Peek(1)
		if err != nil {
			return l, nil // nothing but padding: the head is empty
		}
		switch {
		case isSpace(b[0]):
			if err := drop(1); err != nil {
				return l, err
			}
			continue
		case b[0] != '<':
			return l, nil
		}
		b, _ = br.Peek(5)
		switch {
		case bytes.HasPrefix(b, []byte("<?xml")) && l.decl == nil && l.bytes == 0:
			decl, ok := peekUntil(br, []byte("?>"), maxDecl)
			if !ok {
				return l, nil
			}
			l.decl = append([]byte{}, decl...)
			if _, err := br.Discard(len(decl)); err != nil {
				return l, err
			}
			continue
		case bytes.HasPrefix(b, []byte("<!--")):
			if err := dropUntil(br, &l, []byte("-->")); err != nil {
				return l, nil
			}
		case bytes.HasPrefix(b, []byte("<?")):
			if err := dropUntil(br, &l, []byte("?>")); err != nil {
				return l, nil
			}
		case bytes.HasPrefix(b, []byte("<!DOC")):
			// A document type declaration without an internal subset;
			// one with a subset is left as it stands.
			d, ok := peekUntil(br, []byte(">"), maxDecl)
			if !ok || bytes.ContainsAny(d, "[") {
				return l, nil
			}
			if err := drop(len(d)); err != nil {
				return l, err
			}
		default:
			return l, nil
		}
	}
	return l, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// peekUntil peeks br up to and including end, within limit bytes.
func peekUntil(br *bufio.Reader, end []byte, limit int) ([]byte, bool) {
	b, _ := br.Peek(min(limit, br.Size()))
	i := bytes.Index(b, end)
	if i < 0 {
		return nil, false
	}
	return b[:i+len(end)], true
}

// dropUntil streams past br up to and including end (a comment's or a
// processing instruction's close), counting what it drops; past maxLead
// it stops with an error and leaves the rest.
func dropUntil(br *bufio.Reader, l *lead, end []byte) error {
	// Skip the opening, so that "<!-->" does not close itself.
	if _, err := br.Discard(2); err != nil {
		return err
	}
	l.bytes += 2
	for l.bytes < maxLead {
		b, err := br.Peek(br.Size())
		if len(b) == 0 {
			return io.ErrUnexpectedEOF
		}
		if i := bytes.Index(b, end); i >= 0 {
			n := i + len(end)
			l.bytes += int64(n)
			l.lines += bytes.Count(b[:n], []byte("\n"))
			_, err := br.Discard(n)
			return err
		}
		// Keep the last bytes, which may begin the close.
		n := len(b) - (len(end) - 1)
		if n <= 0 {
			if err != nil {
				return io.ErrUnexpectedEOF
			}
			continue
		}
		l.bytes += int64(n)
		l.lines += bytes.Count(b[:n], []byte("\n"))
		if _, err := br.Discard(n); err != nil {
			return err
		}
	}
	return errors.New("padding longer than auditpack skips")
}

// shift moves an error's position back to the file's own.
func (l lead) shift(err error) error {
	var fe *Error
	if l.bytes == 0 || !errors.As(err, &fe) {
		return err
	}
	if fe.Line > 0 {
		fe.Line += l.lines
	}
	if fe.Offset > 0 {
		fe.Offset += l.bytes
	}
	return err
}
