package packager

import (
	"bytes"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/reports/signature"
)

func TestParseSumsIsStrict(t *testing.T) {
	h := strings.Repeat("ab", 32)
	good := h + "  a.txt\n" + h + "  b/c.txt\n"
	if _, err := ParseSums([]byte(good)); err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string]string{
		"empty":          "",
		"no newline":     strings.TrimSuffix(good, "\n"),
		"binary marker":  h + " *a.txt\n",
		"upper case":     strings.ToUpper(h) + "  a.txt\n",
		"unsorted":       h + "  b.txt\n" + h + "  a.txt\n",
		"duplicate":      h + "  a.txt\n" + h + "  a.txt\n",
		"parent":         h + "  ../a.txt\n",
		"escaped name":   "\\" + h + "  a\\nb\n",
		"lists itself":   h + "  SHA256SUMS\n",
		"crlf":           h + "  a.txt\r\n",
		"blank line":     h + "  a.txt\n\n",
		"short digest":   h[:62] + "  a.txt\n",
		"trailing space": h + "  a.txt \n",
	} {
		if _, err := ParseSums([]byte(bad)); err == nil {
			t.Errorf("%s: accepted %q", name, bad)
		}
	}
}

func TestParseManifestRefusesNonCanonical(t *testing.T) {
	s := signature.NewTestCA(t, signature.AlgECDSAP256).Issue(t, signature.AlgECDSAP256, "signer")
	good := build(t, testOptions(t, s))[ManifestName]
	if _, err := ParseManifest(good); err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string][]byte{
		"compact":       bytes.ReplaceAll(good, []byte("\n  "), []byte("\n")),
		"unknown field": bytes.Replace(good, []byte(`"demo": false,`), []byte(`"demo": false, "x": 1,`), 1),
		"trailing data": append(append([]byte{}, good...), "{}\n"...),
		"other version": bytes.Replace(good, []byte("package/v1"), []byte("package/v2"), 1),
		"missing field": bytes.Replace(good, []byte("  \"demo\": false,\n"), nil, 1),
		"null files":    bytes.Replace(good, []byte(`"rule_sets": [`), []byte(`"rule_sets": null, "x": [`), 1),
	} {
		if _, err := ParseManifest(bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func FuzzParseSums(f *testing.F) {
	h := strings.Repeat("0f", 32)
	f.Add([]byte(h + "  a.txt\n" + h + "  inputs/model/model.yaml\n"))
	f.Add([]byte(h + " *a.txt\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := ParseSums(data)
		if err != nil {
			return
		}
		// One canonical encoding: what is accepted re-formats to itself.
		if out := FormatSums(entries); !bytes.Equal(out, data) {
			t.Fatalf("accepted %q but formats it as %q", data, out)
		}
	})
}

func FuzzParseManifest(f *testing.F) {
	s := signature.NewTestCA(f, signature.AlgECDSAP256).Issue(f, signature.AlgECDSAP256, "signer")
	f.Add(build(f, testOptions(f, s))[ManifestName])
	opts := testOptions(f, s)
	opts.Report, opts.Evidence, opts.EmbedEvidence = nil, nil, false
	f.Add(build(f, opts)[ManifestName])
	f.Add([]byte(`{"schema_version":"auditpack/package/v1"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest(data)
		if err != nil {
			return
		}
		out, err := m.Encode()
		if err != nil || !bytes.Equal(out, data) {
			t.Fatalf("accepted a manifest that does not re-encode to itself: %v", err)
		}
	})
}
