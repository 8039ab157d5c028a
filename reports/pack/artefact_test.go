package pack

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/reports/sign"
)

// A streamed artefact is listed exactly as the same bytes held in memory:
// the manifest and SHA256SUMS do not tell them apart.
func TestStreamedArtefactIsListedAsInMemory(t *testing.T) {
	s := sign.NewTestCA(t, sign.AlgRSA2048).Issue(t, sign.AlgRSA2048, "signer")
	held := build(t, testOptions(t, s))
	opts := testOptions(t, s)
	data := opts.Artefacts[0].Data
	var written bytes.Buffer
	st, err := Artefact{Path: "results.json", Write: func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}}.Stream(&written)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(written.Bytes(), data) {
		t.Fatalf("wrote %q, want %q", written.Bytes(), data)
	}
	opts.Artefacts, opts.Streamed = nil, []Streamed{st}
	p, err := Build(opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range p.Files {
		if f.Path == "results.json" {
			t.Fatal("a streamed artefact is not the builder's to write")
		}
		if f.Path == ManifestName || f.Path == SumsName {
			if !bytes.Equal(f.Data, held[f.Path]) {
				t.Errorf("%s differs from the in-memory package's:\n%s\nwant:\n%s", f.Path, f.Data, held[f.Path])
			}
		}
	}
}

func TestStreamedArtefactNamesAreChecked(t *testing.T) {
	s := sign.NewTestCA(t, sign.AlgECDSAP256).Issue(t, sign.AlgECDSAP256, "signer")
	sum := strings.Repeat("ab", 32)
	for name, st := range map[string]Streamed{
		"reserved":  {Path: ManifestName, SHA256: sum},
		"clashes":   {Path: "Results.json", SHA256: sum},
		"a SHA-256": {Path: "x.json", SHA256: "nothex"},
		"only A-Z":  {Path: "a b.json", SHA256: sum},
	} {
		opts := testOptions(t, s)
		opts.Streamed = []Streamed{st}
		if _, err := Build(opts); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%+v: want an error mentioning %q, got %v", st, name, err)
		}
	}
}
