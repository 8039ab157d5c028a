package packager

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strings"
)

// maxSumsSize bounds SHA256SUMS (and manifest.json) as read by the
// verifier: 10 000 files at ~300 bytes a line.
const maxSumsSize = 16 << 20

// SumEntry is one line of SHA256SUMS.
type SumEntry struct {
	Path   string
	SHA256 string // 64 lower-case hex digits
}

// FormatSums writes entries in the format `sha256sum` writes and
// `sha256sum -c --strict` reads: "<hex>  <path>\n", sorted by path in byte
// order (LC_ALL=C). The entries must already be valid and unique.
func FormatSums(entries []SumEntry) []byte {
	var b bytes.Buffer
	for _, e := range entries {
		b.WriteString(e.SHA256)
		b.WriteString("  ")
		b.WriteString(e.Path)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// ParseSums reads SHA256SUMS and accepts only the exact form [FormatSums]
// writes: lower-case hex, two spaces (text mode), a valid package name
// ([CheckName]), strictly ascending paths (so no duplicates), a final
// newline, and nothing else. Anything looser is refused rather than guessed
// at, since a second way to write the same list is a way to smuggle a file.
func ParseSums(data []byte) ([]SumEntry, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("%s is empty", SumsName)
	}
	if len(data) > maxSumsSize {
		return nil, fmt.Errorf("%s is larger than %d bytes", SumsName, maxSumsSize)
	}
	if data[len(data)-1] != '\n' {
		return nil, fmt.Errorf("%s does not end with a newline", SumsName)
	}
	lines := strings.Split(string(data[:len(data)-1]), "\n")
	out := make([]SumEntry, 0, len(lines))
	for i, line := range lines {
		n := i + 1
		if len(line) < 67 || line[64:66] != "  " {
			return nil, fmt.Errorf("%s line %d: want \"<64 hex digits>  <path>\"", SumsName, n)
		}
		sum, p := line[:64], line[66:]
		if !isLowerHex(sum) {
			return nil, fmt.Errorf("%s line %d: digest is not 64 lower-case hex digits", SumsName, n)
		}
		if err := CheckName(p); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", SumsName, n, err)
		}
		if p == SumsName || p == SignatureName {
			return nil, fmt.Errorf("%s line %d: %s cannot list itself or its signature", SumsName, n, SumsName)
		}
		if len(out) > 0 && out[len(out)-1].Path >= p {
			return nil, fmt.Errorf("%s line %d: %q is not in ascending byte order after %q (or is listed twice)",
				SumsName, n, p, out[len(out)-1].Path)
		}
		out = append(out, SumEntry{Path: p, SHA256: sum})
	}
	return out, nil
}

func isLowerHex(s string) bool {
	if _, err := hex.DecodeString(s); err != nil {
		return false
	}
	return strings.ToLower(s) == s
}
