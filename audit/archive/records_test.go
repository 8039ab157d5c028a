package archive

import (
	"encoding/binary"
	"strings"
	"testing"
)

// block is one extra block: id, then its data.
func block(id uint16, data []byte) []byte {
	b := binary.LittleEndian.AppendUint16(nil, id)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(data)))
	return append(b, data...)
}

// oneEntry is an archive of one stored file whose headers change may edit.
func oneEntry(local, central func(h *hdr)) []byte {
	return rawZip{entries: []rawEntry{{name: "scan.txt", data: "port 22 closed\n", local: local, central: central}}}.bytes()
}

var (
	bundleRules  = Options{AllowComment: true, RefuseNested: true}
	packageRules = Options{Strict: true}
)

// TestOpenRefusesLinksFromEveryHost: unzip restores a link from the mode
// bits whatever host the entry names, so the mode is read for all of them.
func TestOpenRefusesLinksFromEveryHost(t *testing.T) {
	for _, host := range []uint16{0, 2, 3, 5, 16, 19, 30, 10} {
		data := oneEntry(nil, func(h *hdr) { h.madeBy, h.attrs = host<<8|20, 0o120777<<16 })
		wantRefused(t, data, bundleRules, ErrNotRegular, "scan.txt", "symbolic link")
		wantRefused(t, data, packageRules, ErrNotRegular, "scan.txt", "symbolic link")
	}
	for _, mode := range []uint32{0o104777, 0o102755, 0o101644} {
		data := oneEntry(nil, func(h *hdr) { h.attrs = mode << 16 })
		wantRefused(t, data, bundleRules, ErrNotRegular, "scan.txt", "setuid, setgid or sticky")
		wantRefused(t, data, packageRules, ErrNotRegular, "scan.txt", "setuid, setgid or sticky")
	}
	sticky := rawZip{entries: []rawEntry{{name: "tmp/", central: func(h *hdr) { h.attrs = 0o41777<<16 | 0x10 }}}}.bytes()
	wantRefused(t, sticky, bundleRules, ErrNotRegular, "tmp/", "sticky")
	for _, mode := range []uint32{0, 0o100644, 0o100755} {
		if _, err := open(oneEntry(nil, func(h *hdr) { h.madeBy, h.attrs = 5<<8|20, mode<<16 }), bundleRules); err != nil {
			t.Errorf("mode %#o: %v", mode, err)
		}
	}
}

// TestNamesFoldCaseAndNormalisation: names that macOS or Windows store as
// one file, or folders they store as one folder, are refused.
func TestNamesFoldCaseAndNormalisation(t *testing.T) {
	for _, tc := range []struct {
		names  []string
		reason string
	}{
		{[]string{"ς.txt", "σ.txt"}, `same name as "ς.txt" except for case`},
		{[]string{"ſ.txt", "S.txt"}, `same name as "ſ.txt" except for case`},
		{[]string{"caf\u00e9.txt", "cafe\u0301.txt"}, `same name as "café.txt" except for case or Unicode normalisation`},
		{[]string{"Scan.json", "scan.JSON"}, "except for case"},
		{[]string{"A/x.txt", "a/y.txt"}, `folder "a" is the same folder as "A" except for case`},
		{[]string{"A/", "a/y.txt"}, `folder "a" is the same folder as "A"`},
		{[]string{"logs/Caf\u00e9/1", "logs/cafe\u0301/2"}, "is the same folder as"},
		{[]string{"a/B/x", "a/b"}, `"a/b" is both a file and a directory`},
	} {
		n := NewNames()
		var err error
		for _, name := range tc.names {
			dir := strings.HasSuffix(name, "/")
			if err = n.Add(strings.TrimSuffix(name, "/"), dir); err != nil {
				break
			}
		}
		if err == nil || !strings.Contains(err.Error(), tc.reason) {
			t.Errorf("%q: got %v, want %q", tc.names, err, tc.reason)
		}
	}
	n := NewNames()
	for _, name := range []string{"A/x.txt", "A/y.txt", "A", "B/x.txt", "σ/ς.txt"} {
		if err := n.Add(name, name == "A"); err != nil {
			t.Errorf("%q: %v", name, err)
		}
	}
	wantRefused(t, rawZip{entries: []rawEntry{stored("Docs/a.txt", "a"), stored("docs/b.txt", "b")}}.bytes(), bundleRules,
		ErrDuplicate, "docs/b.txt", `folder "docs" is the same folder as "Docs"`)
}

// TestOpenRefusesDataInEntryRecords: a second archive in an entry comment
// or extra field is refused, in bundles (within bounds for what other
// tools write) and in packages (nothing auditpack does not write).
func TestOpenRefusesDataInEntryRecords(t *testing.T) {
	inner := rawZip{entries: []rawEntry{stored("evil.sh", "#!/bin/sh\n")}}.bytes()
	cafe := block(0xcafe, make([]byte, 600))
	for _, tc := range []struct {
		name             string
		local, central   func(h *hdr)
		bundle, package_ string // "" means accepted
	}{
		{"zip in comment", nil, func(h *hdr) { h.comment = inner }, "holds a zip record signature", "an entry comment of"},
		{"long comment", nil, func(h *hdr) { h.comment = []byte(strings.Repeat("c", MaxEntryComment+1)) }, "more than the 256 allowed", "auditpack writes none"},
		{"short comment", nil, func(h *hdr) { h.comment = []byte("scanned by nmap") }, "", "auditpack writes none"},
		{"0xcafe in local", func(h *hdr) { h.extra = cafe }, nil, "local header: extra block 0xcafe of 600 bytes", "local header: extra block 0xcafe"},
		{"0xcafe in central", nil, func(h *hdr) { h.extra = cafe }, "central directory: extra block 0xcafe of 600 bytes", "central directory: extra block 0xcafe"},
		{"jar marker", func(h *hdr) { h.extra = block(0xcafe, nil) }, nil, "", "not one auditpack writes"},
		{"unknown id", nil, func(h *hdr) { h.extra = block(0x9999, []byte("x")) }, "an unknown kind of extra field", "not one auditpack writes"},
		{"zip in NTFS block", nil, func(h *hdr) { h.extra = block(0x000a, inner[:60]) }, "holds a zip record signature", "not one auditpack writes"},
		{"too much", nil, func(h *hdr) { h.extra = block(0x000a, make([]byte, MaxExtra)) }, "more than the 1024 allowed", "more than the 1024 allowed"},
		{"nonzero padding", func(h *hdr) { h.extra = block(0xa220, []byte{4, 0, 'h', 'i'}) }, nil, "alignment padding must be zero", "not one auditpack writes"},
		{"padding", func(h *hdr) { h.extra = block(0xa220, []byte{4, 0, 0, 0}) }, nil, "", "not one auditpack writes"},
		{"common fields", func(h *hdr) {
			h.extra = append(append(block(0x5455, []byte{3, 1, 2, 3, 4, 5, 6, 7, 8}), block(0x7875, []byte{1, 4, 0, 0, 0, 0, 4, 0, 0, 0, 0})...), block(0x000a, make([]byte, 32))...)
		}, nil, "", "not one auditpack writes"},
		{"modification time", func(h *hdr) { h.extra = block(0x5455, []byte{1, 1, 2, 3, 4}) },
			func(h *hdr) { h.extra = block(0x5455, []byte{1, 1, 2, 3, 4}) }, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := oneEntry(tc.local, tc.central)
			for _, rule := range []struct {
				opts   Options
				reason string
			}{{bundleRules, tc.bundle}, {packageRules, tc.package_}} {
				if rule.reason == "" {
					if _, err := open(data, rule.opts); err != nil {
						t.Errorf("strict %v: %v", rule.opts.Strict, err)
					}
					continue
				}
				wantRefused(t, data, rule.opts, ErrStructure, "scan.txt", rule.reason)
			}
		})
	}
	if _, err := open(goZip(t), packageRules); err != nil {
		t.Errorf("what archive/zip writes is refused as a package: %v", err)
	}
}

func TestCheckNameSaysInvalidUTF8(t *testing.T) {
	if err := CheckName("inv\xffx"); err == nil || !strings.Contains(err.Error(), "not valid UTF-8") {
		t.Fatalf("got %v", err)
	}
}
