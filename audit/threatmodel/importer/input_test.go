package importer

import (
	"strings"
	"testing"

	"github.com/auditpack/auditpack/frameworks/schemadoc"
)

func TestDecodeJSON(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`{"a": [1, 2]}`, ""},
		{"{\n  \"a\": ,\n}", "invalid JSON at line 2, column 8"},
		{`{"a": 1`, "invalid JSON at line 1, column 7: unexpected EOF"},
		{``, "invalid JSON: EOF"},
		{`{} {}`, "at offset 3: unexpected data after the top-level value"},
		{strings.Repeat("[", 5) + strings.Repeat("]", 5), "line 1: nesting is too deep (more than 4 levels)"},
		{`["` + strings.Repeat("x", 11) + `"]`, "line 1: a string of more than 10 bytes"},
		{"[" + strings.Repeat("0,", 20_000) + "0]", "line 1: the document holds more than 20000 values"},
		{`["[[[[[[["]`, ""},
	} {
		_, err := DecodeJSON([]byte(tt.in), schemadoc.Limits{Size: 1 << 20, Values: 20_000, Depth: 4, String: 10})
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.want)) {
			t.Errorf("DecodeJSON(%q) error = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func TestGuards(t *testing.T) {
	if got := string(TrimBOM([]byte("\xEF\xBB\xBF{}"))); got != "{}" {
		t.Errorf("TrimBOM = %q", got)
	}
	if !IsZIP([]byte("PK\x03\x04rest")) || IsZIP([]byte("<xml")) {
		t.Error("IsZIP")
	}
	if err := CheckSize(make([]byte, 5), 4); err == nil || err.Error() != "file is 5 bytes, more than the 4 allowed" {
		t.Errorf("CheckSize = %v", err)
	}
	if err := CheckSize(make([]byte, 4), 4); err != nil {
		t.Errorf("CheckSize at the limit = %v", err)
	}
	if got := SHA256(nil); got != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Errorf("SHA256 = %s", got)
	}
}
