package markdown

import (
	"strings"
	"unicode/utf8"

	"github.com/auditpack/auditpack/audit/printable"
)

// maxCell bounds the text of one table cell, so one long reason cannot push
// a comment over the size limit.
const maxCell = 240

var escaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;",
	"|", `\|`, "#", `\#`, "!", `\!`, "~", `\~`, "&", "&amp;", "\r", " ", "\n", " ", "\t", " ",
)

// blanks turns a name's line breaks and tabs into spaces, as a table cell
// or a heading must stay on one line.
var blanks = strings.NewReplacer("\r", " ", "\n", " ", "\t", " ")

// esc escapes text for Markdown inline use, on one line. Control and bidi
// characters are shown escaped (printable.String): a comment viewer or a
// terminal showing the report must not obey them.
func esc(s string) string {
	return escaper.Replace(printable.String(blanks.Replace(strings.ToValidUTF8(s, "\uFFFD"))))
}

// cell escapes text for a table cell, shortened to maxCell runes.
func cell(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) > maxCell {
		r := []rune(s)
		s = string(r[:maxCell-1]) + "…"
	}
	return esc(s)
}

// code renders an identifier as inline code. A backtick inside cannot end
// the span early because the fence is longer than any run inside it.
func code(s string) string {
	s = printable.String(strings.NewReplacer("\r", " ", "\n", " ", "|", "¦").Replace(strings.ToValidUTF8(s, "\uFFFD")))
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + " " + s + " " + fence
}
