package importer

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/auditpack/auditpack/audit/model"
)

// Flag reads a yes/no fact from a decoded JSON or YAML value. A boolean, or
// the string "true" or "false" in any case and with surrounding blanks,
// states the fact; absence and anything else leave it [model.Unknown],
// because an exporter that wrote nothing has not said "no".
func Flag(v any) model.Tri {
	switch t := v.(type) {
	case bool:
		return model.TriOf(t)
	case string:
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "true":
			return model.True
		case "false":
			return model.False
		}
	}
	return model.Unknown
}

// Checkbox reads a flag that an editor writes as false for every box
// nobody ticked. Only true states the fact; false cannot be told from
// "never considered" and reads as [model.Unknown], like absence. Use it
// instead of [Flag] wherever false is the tool's default rather than an
// answer the author gave.
func Checkbox(v any) model.Tri {
	if Flag(v) == model.True {
		return model.True
	}
	return model.Unknown
}

// SuggestsTLS reports whether a free-text protocol names a protocol that
// always runs over an encrypted channel (HTTPS, TLS, mTLS, SSL, SSH, SFTP,
// FTPS, SCP, WSS, LDAPS, IPsec, "HTTP/S"). It is a hint for warnings only:
// a protocol label is not evidence that a flow is encrypted.
func SuggestsTLS(protocol string) bool {
	low := strings.ToLower(protocol)
	if strings.Contains(low, "http/s") {
		return true
	}
	for _, w := range strings.FieldsFunc(low, func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9')
	}) {
		if tlsWords[w] {
			return true
		}
	}
	return false
}

var tlsWords = map[string]bool{
	"https": true, "tls": true, "mtls": true, "ssl": true, "ssh": true, "sftp": true, "ftps": true,
	"scp": true, "wss": true, "ldaps": true, "ipsec": true,
}

// Number reads a finite number from a decoded value: a [json.Number] as
// written, or a string with surrounding blanks removed (exporters often
// quote coordinates and ratings). Anything else reads as absent.
func Number(v any) (float64, bool) {
	switch t := v.(type) {
	case json.Number:
		return ParseNumber(t.String())
	case string:
		return ParseNumber(strings.TrimSpace(t))
	}
	return 0, false
}

// ParseNumber parses s as a finite float64. NaN, infinities and values out
// of range are refused: they would poison the geometry and every
// comparison made with them.
func ParseNumber(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// Clean collapses runs of white space into single spaces and trims the
// ends. Names drawn in diagrams carry the line breaks of their labels,
// which would otherwise leak into reports and ids.
func Clean(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Slug lower-cases s and joins its runs of ASCII letters and digits with
// single hyphens; every other character, accented letters included, only
// separates words. Threagile defines its link ids this way, and the same
// spelling makes stable ids and types out of free-text names elsewhere.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}
