package packager

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/auditpack/auditpack/reports/signature"
)

// A streamed artefact passes through unchanged and is listed, in
// manifest.json and SHA256SUMS, with the hash and size of the bytes
// written; the builder does not write it again.
func TestStreamedArtefactIsListedAsWritten(t *testing.T) {
	s := signature.NewTestCA(t, signature.AlgRSA2048).Issue(t, signature.AlgRSA2048, "signer")
	data := []byte("# Audit\n\nEvery control passes.\n")
	var w bytes.Buffer
	st, err := Artefact{Path: "summary.md", Write: func(out io.Writer) error {
		for _, chunk := range bytes.SplitAfter(data, []byte("\n")) {
			if _, err := out.Write(chunk); err != nil {
				return err
			}
		}
		return nil
	}}.Stream(&w)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w.Bytes(), data) {
		t.Fatalf("wrote %q, want %q", w.Bytes(), data)
	}
	sum := sha256.Sum256(data)
	if st.Path != "summary.md" || st.SHA256 != hex.EncodeToString(sum[:]) || st.Size != int64(len(data)) {
		t.Fatalf("streamed %+v, want the path, SHA-256 and size of the bytes written", st)
	}
	opts := testOptions(t, s)
	opts.Streamed = append(opts.Streamed, st)
	p, err := Build(opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range p.Files {
		if f.Path == "summary.md" || f.Path == "results.json" {
			t.Fatalf("%s: a streamed artefact is not the builder's to write", f.Path)
		}
	}
	var listed *FileEntry
	for i := range p.Manifest.Files {
		if p.Manifest.Files[i].Path == "summary.md" {
			listed = &p.Manifest.Files[i]
		}
	}
	if listed == nil || listed.SHA256 != st.SHA256 || listed.Size != st.Size || listed.MediaType != "text/plain" {
		t.Errorf("manifest lists %+v, want %+v as text/plain", listed, st)
	}
	for _, f := range p.Files {
		if f.Path == SumsName && !bytes.Contains(f.Data, []byte(st.SHA256+"  summary.md\n")) {
			t.Errorf("%s does not list summary.md as written:\n%s", SumsName, f.Data)
		}
	}
}

// A renderer's error ends the stream and is returned as it is.
func TestStreamReturnsTheRenderersError(t *testing.T) {
	boom := errors.New("boom")
	_, err := Artefact{Path: "x.json", Write: func(w io.Writer) error {
		io.WriteString(w, "{")
		return boom
	}}.Stream(io.Discard)
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want %v", err, boom)
	}
}

func TestStreamedArtefactNamesAreChecked(t *testing.T) {
	s := signature.NewTestCA(t, signature.AlgECDSAP256).Issue(t, signature.AlgECDSAP256, "signer")
	sum := strings.Repeat("ab", 32)
	for name, st := range map[string]Streamed{
		"reserved":  {Path: ManifestName, SHA256: sum},
		"clashes":   {Path: "Results.json", SHA256: sum},
		"a SHA-256": {Path: "x.json", SHA256: "nothex"},
		"only A-Z":  {Path: "a b.json", SHA256: sum},
	} {
		opts := testOptions(t, s)
		opts.Streamed = append(opts.Streamed, st)
		if _, err := Build(opts); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%+v: want an error mentioning %q, got %v", st, name, err)
		}
	}
}
