package facts

import (
	"fmt"
	"io"
	"strings"
)

// The decoders hold a whole token in memory, even one the readers skip: a
// JSON string, an XML comment, attribute value or run of text. A file of
// one such value a gigabyte long would take as much memory, whatever the
// facts kept. The guards below watch the bytes on their way to the
// decoder and refuse any single value longer than maxValue, so that
// memory follows the facts, not the largest value of the file.

// maxValue bounds one JSON string or number, or one XML comment,
// attribute value, CDATA section, processing instruction or run of text.
// No fact auditpack reads comes near it; the decoder's buffer stays
// within a few times this.
const maxValue = 2 << 20

// errValueTooLong is the error of a value over maxValue.
type errValueTooLong struct {
	what string
	at   int64 // byte offset where the value starts
}

func (e errValueTooLong) Error() string {
	return fmt.Sprintf("%s starting at byte %d is longer than %d bytes, more than auditpack reads", e.what, e.at, maxValue)
}

// jsonGuard refuses a JSON string or number longer than maxValue.
type jsonGuard struct {
	r             io.Reader
	off           int64
	inStr, escape bool
	run           int   // bytes of the current string or bare value
	start         int64 // where it began
	err           error
}

func (g *jsonGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	for i := 0; i < n; i++ {
		c := p[i]
		switch {
		case g.inStr:
			switch {
			case g.escape:
				g.escape = false
			case c == '\\':
				g.escape = true
			case c == '"':
				g.inStr, g.run = false, 0
				continue
			}
			g.run++
		case c == '"':
			g.inStr, g.run, g.start = true, 0, g.off+int64(i)
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == ':' ||
			c == '[' || c == ']' || c == '{' || c == '}':
			g.run = 0
		default:
			if g.run == 0 {
				g.start = g.off + int64(i)
			}
			g.run++
		}
		if g.run > maxValue {
			what := "a JSON value"
			if g.inStr {
				what = "a JSON string"
			}
			g.err = errValueTooLong{what, g.start}
			g.off += int64(i)
			return i, g.err
		}
	}
	g.off += int64(n)
	return n, err
}

// xmlGuard refuses an XML comment, CDATA section, processing
// instruction, attribute value, tag or run of text longer than maxValue.
type xmlGuard struct {
	r     io.Reader
	off   int64
	state xmlState
	quote byte   // the attribute value's quote
	open  []byte // what follows '<', until the construct is known
	tail  [2]byte
	run   int
	start int64
	err   error
}

type xmlState int

const (
	xText xmlState = iota
	xOpen          // after '<', deciding what opens
	xTag
	xAttr
	xComment
	xCDATA
	xPI
)

var xmlWhat = map[xmlState]string{xText: "a run of XML text", xOpen: "an XML tag", xTag: "an XML tag",
	xAttr: "an XML attribute value", xComment: "an XML comment", xCDATA: "an XML CDATA section", xPI: "an XML processing instruction"}

func (g *xmlGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	for i := 0; i < n; i++ {
		g.step(p[i], g.off+int64(i))
		if g.run > maxValue {
			g.err = errValueTooLong{xmlWhat[g.state], g.start}
			g.off += int64(i)
			return i, g.err
		}
	}
	g.off += int64(n)
	return n, err
}

func (g *xmlGuard) begin(s xmlState, at int64) {
	g.state, g.run, g.start, g.tail = s, 0, at, [2]byte{}
}

// ends reports whether c closes what end names, given the two bytes
// before it.
func (g *xmlGuard) ends(c byte, end string) bool {
	done := c == end[len(end)-1] && (len(end) < 2 || g.tail[1] == end[len(end)-2]) && (len(end) < 3 || g.tail[0] == end[0])
	g.tail[0], g.tail[1] = g.tail[1], c
	return done
}

func (g *xmlGuard) step(c byte, at int64) {
	g.run++
	switch g.state {
	case xText:
		if c == '<' {
			g.begin(xOpen, at)
			g.open = g.open[:0]
		}
	case xOpen:
		g.open = append(g.open, c)
		o := string(g.open)
		switch {
		case o == "!--":
			g.state = xComment
		case o == "![CDATA[":
			g.state = xCDATA
		case o == "?":
			g.state = xPI
		case strings.HasPrefix("!--", o) || strings.HasPrefix("![CDATA[", o):
			// not known yet
		default:
			g.state = xTag
			for _, b := range g.open {
				g.stepTag(b, at)
			}
		}
	case xTag:
		g.stepTag(c, at)
	case xAttr:
		if c == g.quote {
			g.state = xTag
		}
	case xComment:
		if g.ends(c, "-->") {
			g.begin(xText, at+1)
		}
	case xCDATA:
		if g.ends(c, "]]>") {
			g.begin(xText, at+1)
		}
	case xPI:
		if g.ends(c, "?>") {
			g.begin(xText, at+1)
		}
	}
}

func (g *xmlGuard) stepTag(c byte, at int64) {
	switch c {
	case '"', '\'':
		g.quote = c
		g.state, g.run, g.start = xAttr, 0, at
	case '>':
		g.begin(xText, at+1)
	}
}
