package synthetic

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"

	"github.com/auditpack/auditpack/audit/evidence"
	"github.com/auditpack/auditpack/audit/model"
	"github.com/auditpack/auditpack/audit/threatmodel/native"
)

// File names of a written project, relative to its root.
const (
	ConfigName     = "auditpack.yaml"
	ModelName      = "model.json"
	ExceptionsName = "exceptions.json"
	EvidenceDir    = "evidence"
)

// CreateFunc opens a file of the project for writing; name is slash
// separated and relative to the project root. The caller creates parent
// directories as needed.
type CreateFunc func(name string) (io.WriteCloser, error)

// Write writes the project: every evidence file (streamed and hashed as it
// goes), the evidence manifest, the model, the exceptions and the project
// configuration. Memory does not grow with the evidence bytes.
func (p *Project) Write(create CreateFunc) error {
	sums := make([]string, len(p.Files))
	for i, f := range p.Files {
		sum, err := writeStream(create, EvidenceDir+"/"+f.Path, p.Content(i))
		if err != nil {
			return err
		}
		sums[i] = sum
	}
	docs := []struct {
		name string
		v    any
	}{
		{EvidenceDir + "/manifest.json", p.Manifest(sums)},
		{ModelName, struct {
			Schema string `json:"schema"`
			*model.Model
		}{native.SchemaVersion, p.Model}},
		{ExceptionsName, p.exceptionsDoc()},
		{ConfigName, p.configDoc()},
	}
	for _, d := range docs {
		data, err := json.MarshalIndent(d.v, "", " ")
		if err != nil {
			return fmt.Errorf("synthetic: encode %s: %w", d.name, err)
		}
		if err := writeAll(create, d.name, append(data, '\n')); err != nil {
			return err
		}
	}
	return nil
}

// Manifest returns the evidence manifest, given each file's SHA-256.
func (p *Project) Manifest(sums []string) *evidence.Manifest {
	m := &evidence.Manifest{Schema: evidence.SchemaVersion, Bundle: p.Model.ID}
	for _, it := range p.Items {
		e := it.Item
		e.Files = nil
		for _, i := range it.FileIndexes {
			e.Files = append(e.Files, evidence.File{Path: p.Files[i].Path, SHA256: sums[i]})
		}
		m.Items = append(m.Items, e)
	}
	return m
}

func (p *Project) exceptionsDoc() any {
	type exc struct {
		ID                   string            `json:"id"`
		Type                 string            `json:"type"`
		Control              string            `json:"control"`
		Element              string            `json:"element,omitempty"`
		Justification        string            `json:"justification"`
		Approver             string            `json:"approver"`
		ApprovedOn           string            `json:"approved_on"`
		ExpiresOn            string            `json:"expires_on"`
		CompensatingEvidence []string          `json:"compensating_evidence,omitempty"`
		Worksheet            map[string]string `json:"worksheet"`
	}
	var list []exc
	for _, e := range p.Exceptions {
		list = append(list, exc{ID: e.ID, Type: e.Type, Control: e.Control, Element: e.Element,
			Justification: "Accepted while the replacement is built; reviewed quarterly.", Approver: "Chief Information Security Officer",
			ApprovedOn: e.ApprovedOn, ExpiresOn: e.ExpiresOn, CompensatingEvidence: e.CompensatingEvidence,
			Worksheet: map[string]string{"constraints": "The replacement is not built yet.",
				"objective": "Keep the data unreadable to anyone but its users.", "identified_risk": "Wider exposure until the replacement ships.",
				"definition": "Restricted access, logging and daily review.", "validation": "Access tested and logs reviewed.",
				"maintenance": "Reviewed quarterly.", "validated_on": e.ApprovedOn}})
	}
	return map[string]any{"schema": "auditpack/exceptions/v1", "exceptions": list}
}

func (p *Project) configDoc() any {
	return map[string]any{
		"schema":       "auditpack/config/v1",
		"organisation": "Synthetic Pay Ltd",
		"system":       p.Model.Title,
		"audit_period": map[string]string{"start": PeriodStart.Format("2006-01-02"), "end": PeriodEnd.Format("2006-01-02")},
		"as_of":        AsOf.Format("2006-01-02"),
		"frameworks":   []string{"pci-dss", "aicpa-tsc"},
		"model":        ModelName,
		"evidence":     EvidenceDir,
		"exceptions":   ExceptionsName,
		"overlay":      Overlay(),
	}
}

func writeAll(create CreateFunc, name string, data []byte) error {
	w, err := create(name)
	if err != nil {
		return fmt.Errorf("synthetic: create %s: %w", name, err)
	}
	_, err = w.Write(data)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("synthetic: write %s: %w", name, err)
	}
	return nil
}

func writeStream(create CreateFunc, name string, r io.Reader) (string, error) {
	w, err := create(name)
	if err != nil {
		return "", fmt.Errorf("synthetic: create %s: %w", name, err)
	}
	h := sha256.New()
	_, err = io.CopyBuffer(io.MultiWriter(w, h), r, make([]byte, 256<<10))
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("synthetic: write %s: %w", name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Content returns a reader of evidence file i: a header line naming the
// file, then lines of base64-alphabet text drawn from a ChaCha8 stream
// keyed by the seed and the index. It compresses about as well as real
// exports do (roughly 4:3), so zip bundles made from it are realistic.
func (p *Project) Content(i int) io.Reader {
	f := p.Files[i]
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], p.Spec.Seed)
	binary.LittleEndian.PutUint64(key[8:], uint64(i))
	header := fmt.Sprintf("# auditpack synthetic evidence %s (%d bytes)\n", f.Path, f.Size)
	if int64(len(header)) > f.Size {
		header = header[:f.Size]
	}
	return &content{header: []byte(header), left: f.Size - int64(len(header)), src: rand.NewChaCha8(key)}
}

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

type content struct {
	header []byte
	left   int64
	col    int
	src    *rand.ChaCha8
}

func (c *content) Read(p []byte) (int, error) {
	if len(c.header) > 0 {
		n := copy(p, c.header)
		c.header = c.header[n:]
		return n, nil
	}
	if c.left <= 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), c.left)]
	c.src.Read(p)
	for i, b := range p {
		if c.col == 76 {
			p[i], c.col = '\n', 0
			continue
		}
		p[i] = alphabet[b&63]
		c.col++
	}
	c.left -= int64(len(p))
	return len(p), nil
}

// Hashes reads every evidence file's content and returns its SHA-256; it is
// for callers that keep a small project in memory (tests, benchmarks).
func (p *Project) Hashes() []string {
	sums := make([]string, len(p.Files))
	buf := make([]byte, 64<<10)
	for i := range p.Files {
		h := sha256.New()
		io.CopyBuffer(h, p.Content(i), buf)
		sums[i] = hex.EncodeToString(h.Sum(nil))
	}
	return slices.Clip(sums)
}
