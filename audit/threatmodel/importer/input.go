package importer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/auditpack/auditpack/frameworks/schemadoc"
)

var (
	bom      = []byte{0xEF, 0xBB, 0xBF}
	zipMagic = []byte("PK\x03\x04")
)

// TrimBOM removes a leading UTF-8 byte order mark. Windows tools write one
// in front of JSON, YAML and XML alike, and no parser here expects it.
func TrimBOM(data []byte) []byte {
	return bytes.TrimPrefix(data, bom)
}

// IsZIP reports whether data starts like a ZIP archive: a renamed archive
// is a common mistake, and it deserves its own message rather than a
// parse error from the middle of compressed bytes.
func IsZIP(data []byte) bool {
	return bytes.HasPrefix(data, zipMagic)
}

// SHA256 returns the hex SHA-256 of data, as recorded in
// [model.Source].SHA256: the digest of the bytes as read, before any BOM is
// removed, so that an auditor can check it with sha256sum.
func SHA256(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// CheckSize refuses data longer than limit bytes. Each format passes its
// own limit: how large a real export gets differs by tool.
func CheckSize(data []byte, limit int) error {
	if len(data) > limit {
		return fmt.Errorf("file is %d bytes, more than the %d allowed", len(data), limit)
	}
	return nil
}

// DecodeJSON decodes one JSON value into generic values (map[string]any,
// []any, string, [json.Number], bool and nil), keeping numbers in their
// source spelling so that ids written as numbers survive. The document is
// checked against the format's limits (values, nesting, string lengths;
// see [schemadoc.ScanJSON]) before the decoder builds anything, so hostile
// input cannot exhaust memory or the stack; syntax errors name a line and
// column; data after the value is refused rather than silently ignored.
func DecodeJSON(data []byte, lim schemadoc.Limits) (any, error) {
	if err := schemadoc.ScanJSON("", data, lim); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, describeJSONError(data, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("at offset %d: unexpected data after the top-level value", dec.InputOffset())
	}
	return v, nil
}

// describeJSONError turns a decoder error into one that names a line and
// column, which is what a person fixing the file needs.
func describeJSONError(data []byte, err error) error {
	off := int64(-1)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
	} else if errors.Is(err, io.ErrUnexpectedEOF) {
		off = int64(len(data))
	}
	if off < 0 || off > int64(len(data)) {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := int(off) - bytes.LastIndexByte(data[:off], '\n') - 1
	return fmt.Errorf("invalid JSON at line %d, column %d: %w", line, col, err)
}
